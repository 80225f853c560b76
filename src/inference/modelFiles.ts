/** Finds a model's files on disk (models folder, then the dev checkout's ../shared/models) and verifies them. */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModelFileEntry, ModelManifest } from './manifest';
import type { ModelReport } from './messages';
import { defaultManifestsDir, describeSource } from './manifest';

/** Where Groundwork keeps downloaded weights: the option, then GROUNDWORK_MODELS_DIR, then a per-user cache. */
export function resolveModelsDir(option?: string): string {
  return (
    option || process.env.GROUNDWORK_MODELS_DIR || join(homedir(), '.cache', 'groundwork', 'models')
  );
}

/**
 * Set to `1` to search the models folder only, never the checkout's `../shared/models`: a
 * test of what a user without some weights sees (the dev checkout would find them there).
 */
export const NO_SHARED_MODELS_ENV = 'GROUNDWORK_NO_SHARED_MODELS';

/** Folders searched for a model file, in order: the models folder, then `../shared/models` beside the project. */
export function searchDirs(modelsDir?: string): string[] {
  const dirs = [resolveModelsDir(modelsDir)];
  if (process.env[NO_SHARED_MODELS_ENV] === '1') return dirs;
  try {
    dirs.push(join(dirname(defaultManifestsDir()), '..', 'shared', 'models'));
  } catch {
    // Not inside a checkout (e.g. a packaged extension): only the models folder counts.
  }
  return dirs;
}

/** SHA-256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** A located file and what is known of its integrity. */
export interface LocatedFile {
  readonly entry: ModelFileEntry;
  readonly path: string;
  /** `verified`: sha256 matched; `unverified`: the manifest gives no sha256. */
  readonly integrity: 'verified' | 'unverified';
}

const verifiedCache = new Map<string, string>();

/**
 * Finds one file in the search folders and checks its sha256 (once per path, size and
 * mtime). A present file with the wrong checksum is an error naming both sums: a
 * truncated or corrupt download must not reach onnxruntime as a puzzling parse error.
 */
export async function locateFile(
  entry: ModelFileEntry,
  modelsDir?: string,
): Promise<LocatedFile | undefined> {
  for (const dir of searchDirs(modelsDir)) {
    const path = join(dir, entry.name);
    if (!existsSync(path)) continue;
    if (!entry.sha256) return { entry, path, integrity: 'unverified' };
    const st = statSync(path);
    const key = `${path}|${st.size}|${st.mtimeMs}`;
    const sum = verifiedCache.get(key) ?? (await sha256File(path));
    verifiedCache.set(key, sum);
    if (sum !== entry.sha256) {
      throw new Error(
        `${path}: sha256 ${sum} does not match the manifest's ${entry.sha256} (${st.size} bytes${entry.bytes ? `, expected ${entry.bytes}` : ''}); the file is corrupt or truncated: delete it and download again`,
      );
    }
    return { entry, path, integrity: 'verified' };
  }
  return undefined;
}

/** Locates every file of a model; the error lists what is missing and where it was looked for. */
export async function locateModel(
  manifest: ModelManifest,
  modelsDir?: string,
): Promise<Record<string, LocatedFile>> {
  const out: Record<string, LocatedFile> = {};
  const missing: string[] = [];
  for (const f of manifest.files) {
    const found = await locateFile(f, modelsDir);
    if (found) out[f.role] = found;
    else missing.push(f.name);
  }
  if (missing.length) {
    const urls = [
      ...new Set(manifest.files.filter((f) => missing.includes(f.name)).map(describeSource)),
    ];
    throw new Error(
      `model ${manifest.id}: missing ${missing.join(', ')} (looked in ${searchDirs(modelsDir).join(', ')}); download from ${urls.join(' and ')} into ${resolveModelsDir(modelsDir)} ("groundwork models install ${manifest.id}" or "groundwork prelabel --download" does it with checksums), or point the groundwork.models.dir setting / GROUNDWORK_MODELS_DIR at a folder that has them`,
    );
  }
  return out;
}

/** Each file's status (verified, unverified, missing, corrupt) and whether the model can run. */
export async function modelReport(
  manifest: ModelManifest,
  modelsDir?: string,
): Promise<ModelReport> {
  const files: ModelReport['files'][number][] = [];
  for (const f of manifest.files) {
    try {
      const found = await locateFile(f, modelsDir);
      files.push(
        found
          ? { name: f.name, path: found.path, status: found.integrity }
          : { name: f.name, status: 'missing' },
      );
    } catch (e) {
      files.push({ name: f.name, status: 'corrupt', message: (e as Error).message });
    }
  }
  return {
    id: manifest.id,
    family: manifest.family,
    task: manifest.task,
    files,
    ready: files.every((f) => f.status === 'verified' || f.status === 'unverified'),
  };
}
