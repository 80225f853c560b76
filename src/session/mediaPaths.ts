/**
 * Media paths for the editor and validation: the video layer's containment check (inside
 * the workspace or a media root, symlinks resolved), plus a check that the file exists, so
 * that a missing file and a refused path get different messages.
 */
import { realpath } from 'node:fs/promises';
import { resolveMediaPath as resolveInsideRoots } from '../video/mediaPath';

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
 * The real path of `rel` (relative to `datasetDir`), after checking it is inside one of
 * `roots` and present; throws MediaPathError when it is outside or missing.
 */
export async function resolveMediaPath(
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
