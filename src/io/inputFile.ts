/**
 * Input files of every command: regular files only (a FIFO or /dev/zero would be read
 * forever), never one of our temp files, and text that is UTF-8 with no NUL byte.
 */
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';
import { specialKind, tempPattern } from './writeFs';

/** A problem with an input file; the message names the file and says nothing was changed. */
export class InputFileError extends Error {}

/** Stats `path` and refuses missing, special and temp files with a message naming it. */
export async function checkInputFile(path: string, what = 'a .jsonl file'): Promise<Stats> {
  let st: Stats;
  try {
    st = await fs.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputFileError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(e)})`,
    );
  }
  if (st.isDirectory()) throw new InputFileError(`${path}: is a directory, expected ${what}`);
  const kind = specialKind(st);
  if (kind)
    throw new InputFileError(
      `${path}: is ${kind}, not a regular file; expected ${what}. Nothing was read.`,
    );
  if (tempPattern().test(basename(path)))
    throw new InputFileError(
      `${path}: is a temp file of an unfinished save, not data; open the dataset it belongs to`,
    );
  return st;
}

/** Decodes bytes as strict UTF-8, refusing NUL bytes ("looks binary") and invalid UTF-8. */
export function decodeUtf8Text(buf: Uint8Array, path: string, what: string): string {
  const nul = buf.indexOf(0);
  if (nul >= 0)
    throw new InputFileError(
      `${path}: looks binary (a NUL byte at offset ${nul}); ${what}. Nothing was changed.`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new InputFileError(`${path}: not valid UTF-8 text; ${what}. Nothing was changed.`);
  }
}

/** Reads a regular text file (checked as above) and decodes it as strict UTF-8. */
export async function readTextInput(path: string, what: string): Promise<string> {
  await checkInputFile(path, what);
  let buf: Buffer;
  try {
    buf = await fs.readFile(path);
  } catch (e) {
    throw new InputFileError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  return decodeUtf8Text(buf, path, what);
}
