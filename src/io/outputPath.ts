/**
 * Checks on a command's output path before any work: never an input of the same run (by
 * path, by real path through symlinks and `..`, or by device and inode for hard links),
 * never a FIFO, device or folder. `-` is standard output where a command supports it.
 */
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import { specialKind } from './writeFs';

/** An output path refused before anything was written; the message names both paths. */
export class OutputPathError extends Error {}

/** The output name that means standard output. */
export const STDOUT = '-';

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  return fs.stat(path).catch(() => undefined);
}

/** True when `a` and `b` name the same file (same path, same real path, or same dev+inode). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = await Promise.all([statOrUndefined(a), statOrUndefined(b)]);
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  // A path not there yet can still spell an existing one (a symlink to a missing file).
  const [ra, rb] = await Promise.all([
    fs.realpath(a).catch(() => resolve(a)),
    fs.realpath(b).catch(() => resolve(b)),
  ]);
  return ra === rb;
}

/**
 * Refuses `output` when it is one of `inputs` (unless `inPlace`: the caller was told to
 * rewrite its input) or a special file. `flag` is how the user named the output.
 */
export async function checkOutputPath(
  output: string,
  inputs: readonly string[],
  opts: { readonly inPlace?: boolean; readonly flag?: string } = {},
): Promise<void> {
  const flag = opts.flag ?? '-o';
  const st = await statOrUndefined(output);
  const kind = st && specialKind(st);
  if (kind)
    throw new OutputPathError(
      `refusing ${flag} ${output}: it is ${kind}, not a regular file; nothing was written and it was not replaced`,
    );
  if (opts.inPlace) return;
  for (const input of inputs) {
    if (await sameFile(output, input))
      throw new OutputPathError(
        `refusing ${flag} ${output}: it is the same file as the input ${input}; writing it would replace the input. Name a different output. Nothing was written.`,
      );
  }
}

/** Refuses an output folder that exists as something else (a file, a FIFO, a device). */
export async function checkOutputDir(dir: string, flag: string): Promise<void> {
  const st = await statOrUndefined(dir);
  if (st && !st.isDirectory())
    throw new OutputPathError(
      `refusing ${flag} ${dir}: it is ${specialKind(st) ?? 'a regular file'}, not a folder; nothing was written`,
    );
}
