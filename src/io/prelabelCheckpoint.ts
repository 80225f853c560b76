/**
 * The progress file of a prelabel shard: the output lines already final, appended as the run
 * goes, so a shard killed mid-way (a preempted node, a time limit) resumes where it stopped.
 * Its first record names what it is a checkpoint of (input size and mtime, model and weights,
 * shard); a checkpoint of anything else is ignored, never trusted. After it come the output
 * lines themselves, byte for byte (output line k is input line k of the shard's range), read
 * back by the same line reader. A kill can cut the last line anywhere (even between the CR
 * and LF of a CRLF), so a resume always drops the last line and redoes it. The output itself
 * is written atomically from the checkpoint at the end, then the checkpoint is removed.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DocLine } from '../core/dataset';
import { joinLines } from '../core/dataset';
import { AtomicTextWriter } from './atomicWriter';
import { openLines } from './lineReader';

/** What a checkpoint belongs to; any difference means it is stale. */
export interface CheckpointKey {
  readonly input: string;
  readonly inputBytes: number;
  readonly inputMtimeMs: number;
  readonly model: string;
  readonly modelVersion: string;
  /** "i/n" and whether the output is the shard's slice or the whole file. */
  readonly shard: string;
}

const KIND = 'groundwork-prelabel-checkpoint';

/** The checkpoint path of an output: hidden, beside it, never mistaken for data or a temp file. */
export function checkpointPath(out: string): string {
  return join(dirname(out), `.${basename(out)}.prelabel-checkpoint`);
}

/** The key of a run on `input` now (its size and mtime as they are). */
export async function checkpointKey(
  input: string,
  rest: Omit<CheckpointKey, 'input' | 'inputBytes' | 'inputMtimeMs'>,
): Promise<CheckpointKey> {
  const st = await fs.stat(input);
  return { input, inputBytes: st.size, inputMtimeMs: st.mtimeMs, ...rest };
}

/** An open checkpoint: how many lines it already holds, and an appender for more. */
export class Checkpoint {
  private pending: string[] = [];
  private pendingBytes = 0;

  private constructor(
    readonly path: string,
    /** Output lines already final from an earlier attempt. */
    readonly resumed: number,
    /** Why an existing checkpoint was not used, if one was found. */
    readonly discarded: string | undefined,
    private readonly fh: fs.FileHandle,
  ) {}

  /** Opens the checkpoint of `out`, keeping its complete records when its key matches. */
  static async open(out: string, key: CheckpointKey): Promise<Checkpoint> {
    const path = checkpointPath(out);
    const found = await readValid(path, key);
    const fh = await fs.open(path, found.resumed > 0 || found.keep ? 'r+' : 'w');
    if (found.resumed === 0 && !found.keep) {
      await fh.write(JSON.stringify({ kind: KIND, ...key }) + '\n');
    } else await fh.truncate(found.validBytes);
    return new Checkpoint(path, found.resumed, found.discarded, fh);
  }

  /** Queues final output lines; `sync` writes them and the queue to disk now. */
  async append(lines: readonly DocLine[], sync: boolean): Promise<void> {
    const text = joinLines({ bom: false, lines });
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (sync || this.pendingBytes > 4 << 20) await this.flush(sync);
  }

  private async flush(sync: boolean): Promise<void> {
    if (this.pending.length) {
      const buf = Buffer.from(this.pending.join(''), 'utf8');
      this.pending = [];
      this.pendingBytes = 0;
      const stat = await this.fh.stat();
      await this.fh.write(buf, 0, buf.length, stat.size);
    }
    if (sync) await this.fh.datasync();
  }

  /** Writes the output from the checkpoint atomically (BOM first when asked), then removes it. */
  async publish(out: string, bom: boolean): Promise<void> {
    await this.flush(true);
    await this.fh.close();
    const writer = await AtomicTextWriter.create(out);
    try {
      if (bom) await writer.write('\ufeff');
      await forEachRecord(this.path, async (lines) =>
        writer.write(joinLines({ bom: false, lines })),
      );
      await writer.commit();
    } catch (e) {
      await writer.abort();
      throw e;
    }
    await fs.rm(this.path, { force: true });
  }

  /** Closes the file, keeping it for the next attempt. */
  async close(): Promise<void> {
    await this.flush(true).catch(() => undefined);
    await this.fh.close().catch(() => undefined);
  }
}

/** Streams the output lines of a checkpoint (everything after its header line), in batches. */
async function forEachRecord(
  path: string,
  each: (lines: readonly DocLine[], bytesAfter: number) => Promise<void> | void,
): Promise<void> {
  const src = await openLines(path, { what: 'a prelabel checkpoint is UTF-8 text' });
  let bytes = 0;
  for await (const batch of src.batches()) {
    bytes += batch.bytes;
    await each(batch.first === 0 ? batch.lines.slice(1) : batch.lines, bytes);
  }
}

async function readValid(
  path: string,
  key: CheckpointKey,
): Promise<{ resumed: number; validBytes: number; keep: boolean; discarded?: string }> {
  const head = await fs
    .open(path, 'r')
    .then(async (fh) => {
      try {
        const buf = Buffer.alloc(64 * 1024);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead).toString('utf8');
      } finally {
        await fh.close();
      }
    })
    .catch(() => undefined);
  if (head === undefined) return { resumed: 0, validBytes: 0, keep: false };
  const nl = head.indexOf('\n');
  let found: Record<string, unknown> | undefined;
  try {
    found = nl > 0 ? (JSON.parse(head.slice(0, nl)) as Record<string, unknown>) : undefined;
  } catch {
    found = undefined;
  }
  const stale = !found || found.kind !== KIND ? ['not a checkpoint'] : staleFields(found, key);
  if (stale.length)
    return { resumed: 0, validBytes: 0, keep: false, discarded: `${stale.join(', ')} changed` };
  // The last line may be cut (by a kill) and is redone; a chunk cut inside a UTF-8 sequence
  // is refused by the reader, and the lines before it are what survives.
  let resumed = 0,
    validBytes = nl + 1;
  let last: DocLine | undefined;
  await forEachRecord(path, (lines, after) => {
    for (const l of lines) {
      if (last) {
        resumed++;
        validBytes += Buffer.byteLength(last.raw) + last.eol.length;
      }
      last = l;
    }
    void after;
  }).catch(() => undefined);
  return { resumed, validBytes, keep: true };
}

function staleFields(found: Record<string, unknown>, key: CheckpointKey): string[] {
  const names: (keyof CheckpointKey)[] = [
    'input',
    'inputBytes',
    'inputMtimeMs',
    'model',
    'modelVersion',
    'shard',
  ];
  return names.filter((n) => found[n] !== key[n]);
}
