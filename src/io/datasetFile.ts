/**
 * Opening and saving dataset files. Open reads the file and splits it into lines without
 * parsing any of them (samples are parsed when asked for); save is atomic: a temp file in
 * the same folder, fsync, rename, then fsync of the folder, so a crash at any moment leaves
 * the old file or the new one, never a broken one.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { joinLines, splitLines } from '../core/dataset';
import type { DatasetDoc } from '../core/dataset';

/** A problem opening or saving a dataset, with a message that names the file. */
export class DatasetFileError extends Error {}

/** Reads and splits a dataset file; refuses directories, binary and non-UTF-8 files clearly. */
export async function openDataset(path: string): Promise<DatasetDoc> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetFileError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(e)})`);
  }
  if (st.isDirectory()) throw new DatasetFileError(`${path}: is a directory, expected a .jsonl file`);
  return decodeDataset(await fs.readFile(path), path);
}

/** Decodes file bytes as strict UTF-8 and splits them into lines. */
export function decodeDataset(buf: Uint8Array, path: string): DatasetDoc {
  const nul = buf.indexOf(0);
  if (nul >= 0) throw new DatasetFileError(`${path}: looks binary (a NUL byte at offset ${nul}); a dataset is UTF-8 JSONL text. Nothing was changed.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new DatasetFileError(`${path}: not valid UTF-8 text; a dataset is UTF-8 JSONL. Nothing was changed.`);
  }
  return splitLines(text);
}

/** Writes `doc` to `path` atomically and returns the bytes written. */
export async function saveDataset(path: string, doc: DatasetDoc): Promise<number> {
  return writeFileAtomic(path, joinLines(doc));
}

/** Atomic replace: temp file beside the target, fsync, rename over, fsync the folder. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<number> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fs.open(tmp, 'w', 0o644);
  let size: number;
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    size = bytes.length;
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    const old = await fs.stat(path).catch(() => undefined);
    if (old) await fs.chmod(tmp, old.mode & 0o7777);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const dh = await fs.open(dir, 'r').catch(() => undefined);
  if (dh) { await dh.sync().catch(() => undefined); await dh.close(); }
  return size;
}
