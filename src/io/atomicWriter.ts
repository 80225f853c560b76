/**
 * The one atomic writer: data goes to a temp file beside the (real) target in large chunks;
 * every chunk is written in full or the write fails, `prepare` fsyncs and re-stats the temp
 * file to prove every byte reached the disk, `publish` keeps the old file's mode, renames it
 * into place and fsyncs the folder; `abort` removes it. Readers see the old file or the
 * complete new one, never a part, and on any failure the old file stays exactly as it was.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { WriteError, nodeWriteFs, resolveWriteTarget, tempPattern } from './writeFs';
import type { WriteFs, WriteHandle } from './writeFs';

// Chunks of this size keep syscalls few without holding a whole export in memory.
const FLUSH_AT = 1 << 20;

const REASONS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EIO: 'I/O error',
  EFBIG: 'file too large for the file system',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  SHORT: 'short write',
};

/** Writes a text file atomically, chunk by chunk, checking every byte. */
export class AtomicTextWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private expected = 0;
  private prepared = false;

  private constructor(
    /** The path the caller named (a symlink stays a symlink). */
    readonly target: string,
    /** The file actually replaced: the symlink's final target, else `target`. */
    readonly realTarget: string,
    readonly tmp: string,
    private readonly fh: WriteHandle,
    private readonly existed: boolean,
    private readonly fsys: WriteFs,
  ) {}

  /** Opens a uniquely named temp file beside the real target; refuses non-regular targets. */
  static async create(target: string, fsys: WriteFs = nodeWriteFs): Promise<AtomicTextWriter> {
    const { real, existed } = await resolveWriteTarget(target, fsys);
    // The pid lets a later open tell a crashed save's leftovers from a live one (writeFs.ts).
    const tmp = join(
      dirname(real),
      `.${basename(real)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`,
    );
    let fh: WriteHandle;
    try {
      fh = await fsys.open(tmp, 'wx', 0o644);
    } catch (e) {
      throw failure(e, target, undefined, existed);
    }
    return new AtomicTextWriter(target, real, tmp, fh, existed, fsys);
  }

  /** Appends text (buffered). */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) await this.guard(() => this.flush());
  }

  /** Appends bytes already encoded as UTF-8 (an export worker's records), after pending text. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.guard(async () => {
      await this.flush();
      await this.writeAll(bytes);
    });
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    await this.writeAll(buf);
  }

  private async writeAll(buf: Uint8Array): Promise<void> {
    let off = 0;
    // POSIX allows short writes; retry the rest, but a write that moves nothing means the
    // disk took no more (how a nearly full disk can answer instead of ENOSPC).
    while (off < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, off, buf.length - off);
      if (bytesWritten <= 0) throw shortWrite(this.expected + off, this.expected + buf.length);
      off += bytesWritten;
    }
    this.expected += buf.length;
  }

  /** Flushes, fsyncs and checks the temp file's size; the target is not touched yet. */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    await this.guard(async () => {
      await this.flush();
      await this.fh.sync();
      const size = (await this.fh.stat()).size;
      if (size !== this.expected) throw shortWrite(size, this.expected);
      await this.fh.close();
    });
    this.prepared = true;
  }

  /** Renames the prepared temp file over the real target (keeping its mode), fsyncs the folder. */
  async publish(): Promise<void> {
    await this.guard(async () => {
      const old = await this.fsys.stat(this.realTarget).catch(() => undefined);
      if (old) await this.fsys.chmod(this.tmp, old.mode & 0o7777);
      await this.fsys.rename(this.tmp, this.realTarget);
    });
    await this.fsys.syncDir(dirname(this.realTarget)).catch(() => undefined);
  }

  /** `prepare` then `publish`: the whole file is on disk, or the old one is untouched. */
  async commit(): Promise<void> {
    await this.prepare();
    await this.publish();
  }

  /** Drops the temp file; the target is untouched. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await this.fsys.rm(this.tmp).catch(() => undefined);
  }

  // Any failure removes the temp file and becomes one WriteError naming target and temp.
  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (e) {
      await this.abort();
      throw failure(e, this.target, this.tmp, this.existed);
    }
  }
}

function shortWrite(got: number, want: number): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`only ${got} of ${want} bytes reached the disk`);
  e.code = 'SHORT';
  return e;
}

function failure(
  e: unknown,
  target: string,
  tmp: string | undefined,
  existed: boolean,
): WriteError {
  if (e instanceof WriteError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  const reason = REASONS[code] ?? `cannot write (${code})`;
  const detail = code === 'SHORT' ? ` (${(e as Error).message})` : '';
  const temp = tmp ? ` (temp ${tmp} removed)` : '';
  const left = existed ? 'the original is unchanged' : 'no file was written there';
  return new WriteError(`${reason} writing ${target}${detail}${temp}; ${left}`, code);
}

/** Writes `text` to `path` atomically and returns the bytes written. */
export async function writeFileAtomic(
  path: string,
  text: string,
  fsys: WriteFs = nodeWriteFs,
): Promise<number> {
  const out = await AtomicTextWriter.create(path, fsys);
  try {
    await out.write(text);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return Buffer.byteLength(text, 'utf8');
}

/** True when `name` is one of our temp files (any dataset); such files are never data. */
export function isTempFileName(name: string): boolean {
  return tempPattern().test(name);
}
