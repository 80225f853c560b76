/**
 * Media path security (DESIGN.md section 8), the one place for media paths: a dataset line
 * names its video or images by a path relative to the dataset file, and that path must stay
 * inside the workspace or a configured media root. Symlinks are resolved first, so a link
 * cannot smuggle a path out. Two contracts: `resolveInsideRoots` checks containment only (the
 * file may not exist yet); `resolveExistingMedia` also requires the file and returns its real
 * path, with a MediaPathError that tells a refused path from a missing file.
 */
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { VideoError } from './videoError';

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    if (parent === p) return p;
    return resolve(realish(parent), p.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
}

/** True when `child` is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  // `..` alone or `../x` leaves the root; a name like `..notes` inside it does not.
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

/**
 * Resolves `relPath` (from a dataset line) against `datasetDir` and returns the absolute
 * path (which need not exist), or throws a VideoError that names the path, where it leads
 * and the allowed roots.
 */
export function resolveInsideRoots(
  datasetDir: string,
  relPath: string,
  roots: readonly string[],
): string {
  if (typeof relPath !== 'string' || relPath.trim() === '')
    throw new VideoError('bad-request', 'empty media path');
  if (relPath.includes('\0'))
    throw new VideoError(
      'bad-request',
      `media path contains a NUL byte: ${JSON.stringify(relPath)}`,
    );
  const abs = resolve(datasetDir, relPath);
  const real = realish(abs);
  for (const root of roots) {
    if (isInside(realish(resolve(root)), real)) return abs;
  }
  const where = roots.length ? roots.join(', ') : '(none configured)';
  throw new VideoError(
    'outside-roots',
    `Media path "${relPath}" resolves to ${real}, which is outside the workspace and the media roots (${where}). Move the file inside one, or add its folder to groundwork.mediaRoots.`,
    abs,
  );
}

/** A media path that was refused or is missing, with a message naming the path. */
export class MediaPathError extends Error {
  constructor(
    message: string,
    readonly reason: 'outside' | 'missing',
  ) {
    super(message);
  }
}

/**
 * The real path of an existing media file `rel` (relative to `datasetDir`), after checking it
 * is inside one of `roots`; throws MediaPathError when it is outside or missing.
 */
export async function resolveExistingMedia(
  datasetDir: string,
  rel: string,
  roots: readonly string[],
): Promise<string> {
  let abs: string;
  try {
    abs = resolveInsideRoots(datasetDir, rel, roots);
  } catch (e) {
    throw new MediaPathError(e instanceof Error ? e.message : String(e), 'outside');
  }
  try {
    return await realpath(abs);
  } catch {
    throw new MediaPathError(`${rel}: file not found (${abs})`, 'missing');
  }
}

/** Resolves roots once (realpath where they exist), for repeated checks. */
export async function realRoots(roots: readonly string[]): Promise<string[]> {
  return Promise.all(roots.map((r) => realpath(r).catch(() => r)));
}
