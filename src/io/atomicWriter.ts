/**
 * A streaming atomic writer: text goes to a temp file beside the target in large chunks;
 * `commit` fsyncs and renames it into place, `abort` removes it. Readers see the old file
 * or the complete new one, never a part.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Chunks of this size keep syscalls few without holding a whole export in memory.
const FLUSH_AT = 1 << 20;

/** Writes a large text file atomically, chunk by chunk. */
export class AtomicTextWriter {
  private pending: string[] = [];
  private pendingLength = 0;

  private constructor(private readonly target: string, private readonly tmp: string, private readonly fh: FileHandle) {}

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

  /** Flushes, fsyncs and renames over the target. */
  async commit(): Promise<void> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
    await fs.rename(this.tmp, this.target);
  }

  /** Drops the temp file; the target is untouched. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true });
  }
}
