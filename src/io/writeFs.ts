/**
 * The file-system seam of the atomic writer (tests inject ENOSPC, EIO and short writes
 * through it), the resolution of a write's real target (symlinks written through, special
 * files refused), and the name rule of our temp files.
 */
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The part of a file handle the writer uses. */
export interface WriteHandle {
  write(buf: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** The file-system calls the writer makes; `nodeWriteFs` is the real one. */
export interface WriteFs {
  open(path: string, flags: string, mode: number): Promise<WriteHandle>;
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  realpath(path: string): Promise<string>;
  readlink(path: string): Promise<string>;
  chmod(path: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string): Promise<void>;
  /** fsyncs a folder so a rename in it survives a crash. */
  syncDir(path: string): Promise<void>;
}

/** The real file system. */
export const nodeWriteFs: WriteFs = {
  open: (path, flags, mode) => fs.open(path, flags, mode),
  stat: (path) => fs.stat(path),
  lstat: (path) => fs.lstat(path),
  realpath: (path) => fs.realpath(path),
  readlink: (path) => fs.readlink(path),
  chmod: (path, mode) => fs.chmod(path, mode),
  rename: (from, to) => fs.rename(from, to),
  rm: (path) => fs.rm(path, { force: true }),
  syncDir: async (path) => {
    const dh = await fs.open(path, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  },
};

/** A refused or failed write; the message says what happened, where, and what is on disk. */
export class WriteError extends Error {
  constructor(
    message: string,
    /** The errno code (ENOSPC, EDQUOT, EIO...), SHORT for a short write, ENOTREG for a refusal. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** What a special file is, in words, or undefined for a regular file. */
export function specialKind(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The file a write to `target` replaces: a symlink's final target (so the link stays a
 * link), else `target` itself. Refuses FIFOs, devices and folders: replacing one with a
 * regular file (as root, /dev/full) is never what the user meant.
 */
export async function resolveWriteTarget(
  target: string,
  fsys: WriteFs = nodeWriteFs,
): Promise<{ real: string; existed: boolean }> {
  let real = target;
  let lst: Stats | undefined;
  try {
    lst = await fsys.lstat(target);
  } catch {
    return { real, existed: false };
  }
  if (lst.isSymbolicLink()) {
    try {
      real = await fsys.realpath(target);
    } catch {
      // A dangling link: create the file it names, keeping the link.
      return { real: resolve(dirname(target), await fsys.readlink(target)), existed: false };
    }
  }
  const st = await fsys.stat(real);
  const kind = specialKind(st);
  if (kind)
    throw new WriteError(
      `refusing to write ${target}: it is ${kind}, not a regular file; it was not replaced`,
      'ENOTREG',
    );
  return { real, existed: true };
}

/** Our temp names: `.<file>.<pid>.<random hex>.tmp` (older builds: `.<file>.<pid>.<ms>.tmp`). */
export function tempPattern(file?: string): RegExp {
  const name = file === undefined ? '.+' : file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.(${name})\\.(\\d+)\\.([0-9a-f]+)\\.tmp$`);
}
