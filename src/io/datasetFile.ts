/**
 * Opening and saving dataset files. Open refuses anything but a regular UTF-8 text file,
 * clears stale temp files of crashed saves (staleTemps.ts) and splits the file into lines
 * without parsing any of them (samples are parsed when asked for); save is atomic and
 * checked (atomicWriter.ts): the old file or the complete new one, never a broken one, and
 * a dataset opened through a symlink is written through it, the link kept.
 */
import { promises as fs } from 'node:fs';
import { joinLines, splitLines } from '../core/dataset';
import type { DatasetDoc } from '../core/dataset';
import { writeFileAtomic } from './atomicWriter';
import { InputFileError, checkInputFile, decodeUtf8Text } from './inputFile';
import { removeStaleTemps } from './staleTemps';
import type { WriteFs } from './writeFs';

/** A problem opening or saving a dataset, with a message that names the file. */
export class DatasetFileError extends Error {}

const WHAT = 'a dataset is UTF-8 JSONL text';

/** Reads and splits a dataset file; refuses folders, special files, binary and non-UTF-8. */
export async function openDataset(path: string): Promise<DatasetDoc> {
  let buf: Buffer;
  try {
    await checkInputFile(path);
    buf = await fs.readFile(path);
  } catch (e) {
    if (e instanceof InputFileError) throw new DatasetFileError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetFileError(`${path}: cannot read (${code ?? String(e)})`);
  }
  const doc = decodeDataset(buf, path);
  // After a successful read only: a file we cannot open is not ours to tidy around.
  await removeStaleTemps(path).catch(() => []);
  return doc;
}

/** Decodes file bytes as strict UTF-8 and splits them into lines. */
export function decodeDataset(buf: Uint8Array, path: string): DatasetDoc {
  try {
    return splitLines(decodeUtf8Text(buf, path, WHAT));
  } catch (e) {
    if (e instanceof InputFileError) throw new DatasetFileError(e.message);
    throw e;
  }
}

/** Writes `doc` to `path` atomically and returns the bytes written (checked on disk). */
export async function saveDataset(path: string, doc: DatasetDoc, fsys?: WriteFs): Promise<number> {
  return writeFileAtomic(path, joinLines(doc), fsys);
}
