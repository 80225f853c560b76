/**
 * Opening and saving dataset files. Open reads the file and splits it into lines without
 * parsing any of them (samples are parsed when asked for); save is atomic: a temp file in
 * the same folder, fsync, rename, then fsync of the folder, so a crash at any moment leaves
 * the old file or the new one, never a broken one.
 */
import { promises as fs } from 'node:fs';
import { joinLines, splitLines } from '../core/dataset';
import type { DatasetDoc } from '../core/dataset';
import { AtomicTextWriter } from './atomicWriter';

/** A problem opening or saving a dataset, with a message that names the file. */
export class DatasetFileError extends Error {}

/** Reads and splits a dataset file; refuses directories, binary and non-UTF-8 files clearly. */
export async function openDataset(path: string): Promise<DatasetDoc> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetFileError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(e)})`,
    );
  }
  if (st.isDirectory())
    throw new DatasetFileError(`${path}: is a directory, expected a .jsonl file`);
  return decodeDataset(await fs.readFile(path), path);
}

/** Decodes file bytes as strict UTF-8 and splits them into lines. */
export function decodeDataset(buf: Uint8Array, path: string): DatasetDoc {
  const nul = buf.indexOf(0);
  if (nul >= 0)
    throw new DatasetFileError(
      `${path}: looks binary (a NUL byte at offset ${nul}); a dataset is UTF-8 JSONL text. Nothing was changed.`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new DatasetFileError(
      `${path}: not valid UTF-8 text; a dataset is UTF-8 JSONL. Nothing was changed.`,
    );
  }
  return splitLines(text);
}

/** Writes `doc` to `path` atomically and returns the bytes written. */
export async function saveDataset(path: string, doc: DatasetDoc): Promise<number> {
  return writeFileAtomic(path, joinLines(doc));
}

/** Atomic replace: temp file beside the target, fsync, rename over, fsync the folder. */
export async function writeFileAtomic(path: string, text: string): Promise<number> {
  const out = await AtomicTextWriter.create(path);
  try {
    await out.write(text);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return Buffer.byteLength(text, 'utf8');
}
