/**
 * The export's threads: batches of lines go out in order to `jobs - 1` workers of
 * `node:worker_threads` and to the export's own thread (each runs exportLine.ts on its
 * share), and their outcomes come back in input order, so the records and skips are written
 * exactly as one thread would write them. At most `jobs + 1` batches are in flight, so
 * memory stays bounded whatever the file size. The own thread takes a batch only when every
 * worker has one: it also reads, orders and writes, and one isolate fewer is ~45 MB less.
 */
import { Worker } from 'node:worker_threads';
import type { LineBatch } from './lineReader';
import type { ExportLineSettings, PackedBatch } from './exportLine';

/** What a worker is started with: the run's settings and where its media may come from. */
export interface ExportWorkerSetup {
  readonly settings: ExportLineSettings;
  readonly mediaRoots: readonly string[];
}

/** A batch of lines sent to a worker: `first` is the 0-based index of `lines[0]`. */
export interface ExportChunk {
  readonly seq: number;
  readonly first: number;
  /** Bytes of the dataset the lines take (for progress). */
  readonly bytes: number;
  readonly lines: readonly string[];
}

/** A worker's answer to one chunk: its packed outcomes, or the error that stopped it. */
export type ExportChunkReply =
  | { readonly seq: number; readonly batch: PackedBatch }
  | { readonly seq: number; readonly error: string };

/** The worker script; `tsx` when it is TypeScript source (tests), loaded through tsx's hook. */
export interface WorkerScript {
  readonly path: string;
  readonly tsx?: boolean;
}

const YOUNG_MB = 2;

interface Pending {
  readonly resolve: (batch: PackedBatch) => void;
  readonly reject: (e: Error) => void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/** A running pool; `map` streams batches through it, `close` stops the workers. */
export class ExportPool {
  private seq = 0;
  private failure: Error | undefined;
  private localBusy = false;

  private constructor(
    private readonly workers: readonly PoolWorker[],
    private readonly local: (batch: LineBatch) => Promise<PackedBatch>,
  ) {}

  /** Starts `jobs - 1` workers running `script` with `setup`; `local` works in this thread. */
  static start(
    jobs: number,
    script: WorkerScript,
    setup: ExportWorkerSetup,
    local: (batch: LineBatch) => Promise<PackedBatch>,
  ): ExportPool {
    const workers: PoolWorker[] = [];
    const pool = new ExportPool(workers, local);
    for (let k = 0; k < jobs - 1; k++) {
      // `--import tsx` does not reach a worker's entry, so source is required through tsx/cjs.
      const entry = script.tsx
        ? `require('tsx/cjs'); require(${JSON.stringify(script.path)});`
        : script.path;
      const worker = new Worker(entry, {
        eval: !!script.tsx,
        workerData: setup,
        // A worker keeps nothing between batches, so a small young generation is enough; the
        // default (48 MB a thread) put three threads past the 300 MB budget. No old-space cap:
        // a single 64 MiB line must still fit.
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
      });
      const w: PoolWorker = { worker, pending: new Map() };
      worker.on('message', (m: ExportChunkReply) => {
        const p = w.pending.get(m.seq);
        w.pending.delete(m.seq);
        if ('error' in m) p?.reject(new Error(m.error));
        else p?.resolve(m.batch);
      });
      worker.on('error', (e) => pool.fail(w, e));
      worker.on('exit', (code) => {
        if (w.pending.size) pool.fail(w, new Error(`export worker stopped (exit ${code})`));
      });
      workers.push(w);
    }
    return pool;
  }

  /** The outcomes of every batch of `batches`, in their order, with bounded work in flight. */
  async *map(batches: AsyncIterable<LineBatch>): AsyncGenerator<PackedBatch> {
    const queue: Promise<PackedBatch>[] = [];
    const limit = this.workers.length + 2;
    for await (const batch of batches) {
      queue.push(this.submit(batch));
      while (queue.length >= limit) yield await (queue.shift() as Promise<PackedBatch>);
    }
    while (queue.length) yield await (queue.shift() as Promise<PackedBatch>);
  }

  /** Stops every worker (an unfinished run's work is dropped). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private submit(batch: LineBatch): Promise<PackedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    // The least busy worker: a slow batch (new images to resolve) must not hold the others.
    let w = this.workers[0] as PoolWorker | undefined;
    for (const other of this.workers) if (w && other.pending.size < w.pending.size) w = other;
    if (!w || (w.pending.size > 0 && !this.localBusy)) {
      this.localBusy = true;
      const mine = this.local(batch).finally(() => (this.localBusy = false));
      mine.catch(() => undefined);
      return mine;
    }
    const seq = this.seq++;
    const chunk: ExportChunk = {
      seq,
      first: batch.first,
      bytes: batch.bytes,
      lines: batch.lines.map((l) => l.raw),
    };
    const done = new Promise<PackedBatch>((resolve, reject) =>
      w.pending.set(seq, { resolve, reject }),
    );
    // Until its turn comes a failed batch is only held; `settle` raises it in order.
    done.catch(() => undefined);
    const target = w;
    target.worker.postMessage(chunk);
    return done;
  }

  private fail(w: PoolWorker, e: Error): void {
    this.failure ??= e;
    for (const p of w.pending.values()) p.reject(e);
    w.pending.clear();
  }
}
