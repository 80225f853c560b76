/**
 * Media paths of a sample resolve relative to the dataset file and must land inside the
 * workspace or a configured media root (DESIGN.md section 8); symlinks are followed before
 * the check so a link cannot lead out.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A media path that was refused or is missing, with a message naming the path. */
export class MediaPathError extends Error {
  constructor(message: string, readonly reason: 'outside' | 'missing') {
    super(message);
  }
}

/** True when `p` is `root` or below it. */
export function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}

async function real(p: string): Promise<string> {
  try { return await realpath(p); } catch { return p; }
}

/** Resolves roots once (realpath), for repeated checks. */
export async function realRoots(roots: readonly string[]): Promise<string[]> {
  return Promise.all(roots.map((r) => real(resolve(r))));
}

/**
 * The absolute path of `rel` (relative to `datasetDir`), after checking it is inside one of
 * `roots`; throws MediaPathError when it is outside or missing.
 */
export async function resolveMediaPath(datasetDir: string, rel: string, roots: readonly string[]): Promise<string> {
  const abs = resolve(datasetDir, rel);
  let target: string;
  try {
    target = await realpath(abs);
  } catch {
    if (!roots.some((r) => isInside(r, abs))) throw new MediaPathError(`${rel}: resolves to ${abs}, outside the workspace; refused`, 'outside');
    throw new MediaPathError(`${rel}: file not found (${abs})`, 'missing');
  }
  if (!roots.some((r) => isInside(r, target))) throw new MediaPathError(`${rel}: resolves to ${target}, outside the workspace; refused`, 'outside');
  return target;
}
