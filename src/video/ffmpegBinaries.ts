/** Finding ffmpeg and ffprobe: the setting, then PATH, then the binaries shipped on npm. */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { VideoError } from './videoError';

/** Which of the two tools. */
export type ToolName = 'ffmpeg' | 'ffprobe';

/** Where a binary came from, in the order they are tried (DESIGN.md section 5). */
export type BinarySource = 'setting' | 'PATH' | 'npm';

/** A resolved executable and how it was found. */
export interface ResolvedBinary {
  readonly path: string;
  readonly source: BinarySource;
}

/** Explicit paths (the `groundwork.ffmpegPath` / `ffprobePath` settings); empty means unset. */
export interface BinarySettings {
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
}

const NPM_PACKAGES: Record<ToolName, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: ToolName, envPath: string | undefined): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (envPath ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, exe);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function fromNpm(name: ToolName): string | undefined {
  try {
    // The installer packages throw a string (not an Error) on unsupported platforms.
    const req = createRequire(__filename);
    const mod = req(NPM_PACKAGES[name]) as { path?: unknown };
    return typeof mod.path === 'string' && isExecutable(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

const memo = new Map<string, ResolvedBinary>();

/**
 * Resolves one tool. A setting that points at nothing is an error, not a silent fallback:
 * the user asked for that binary and should hear that it is missing.
 */
export function resolveBinary(
  name: ToolName,
  settings: BinarySettings = {},
  envPath = process.env.PATH,
): ResolvedBinary {
  const setting = (name === 'ffmpeg' ? settings.ffmpegPath : settings.ffprobePath)?.trim();
  const key = `${name}\0${setting ?? ''}\0${envPath ?? ''}`;
  const hit = memo.get(key);
  if (hit) return hit;
  let found: ResolvedBinary | undefined;
  if (setting) {
    if (!isExecutable(setting))
      throw new VideoError(
        'ffmpeg-missing',
        `The ${name} path setting points at "${setting}", which is not an executable file.`,
        setting,
      );
    found = { path: setting, source: 'setting' };
  } else {
    const p = onPath(name, envPath);
    if (p) found = { path: p, source: 'PATH' };
    else {
      const n = fromNpm(name);
      if (n) found = { path: n, source: 'npm' };
    }
  }
  if (!found)
    throw new VideoError(
      'ffmpeg-missing',
      `${name} not found: set groundwork.${name}Path, put ${name} on PATH, or install ${NPM_PACKAGES[name]}.`,
    );
  memo.set(key, found);
  return found;
}

/** Both tools at once, as every video operation needs them. */
export function resolveBinaries(settings: BinarySettings = {}): {
  ffmpeg: ResolvedBinary;
  ffprobe: ResolvedBinary;
} {
  return { ffmpeg: resolveBinary('ffmpeg', settings), ffprobe: resolveBinary('ffprobe', settings) };
}
