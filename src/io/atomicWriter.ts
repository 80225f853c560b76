/**
 * The one atomic writer: data goes to a temp file beside the target in large chunks;
 * `commit` fsyncs it, keeps the old file's mode, renames it into place and fsyncs the folder;
 * `abort` removes it. Readers see the old file or the complete new one, never a part, and a
 * crash after commit cannot lose the rename.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Chunks of this size keep syscalls few without holding a whole export in memory.
const FLUSH_AT = 1 << 20;

/** Writes a text file atomically, chunk by chunk. */
export class AtomicTextWriter {
  private pending: string[] = [];
  private pendingLength = 0;

  private constructor(
    private readonly target: string,
    private readonly tmp: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens a temp file beside `target`. */
  static async create(target: string): Promise<AtomicTextWriter> {
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
    return new AtomicTextWriter(target, tmp, await fs.open(tmp, 'w', 0o644));
  }

  /** Appends text (buffered). */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    await this.fh.write(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }

  /** Flushes, fsyncs, renames over the target (keeping its mode) and fsyncs the folder. */
  async commit(): Promise<void> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
    const old = await fs.stat(this.target).catch(() => undefined);
    if (old) await fs.chmod(this.tmp, old.mode & 0o7777);
    await fs.rename(this.tmp, this.target);
    const dh = await fs.open(dirname(this.target), 'r').catch(() => undefined);
    if (dh) {
      await dh.sync().catch(() => undefined);
      await dh.close();
    }
  }

  /** Drops the temp file; the target is untouched. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true });
  }
}
