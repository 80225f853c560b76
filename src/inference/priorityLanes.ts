/**
 * The worker's run order: one job at a time (onnxruntime already uses every core for one
 * run), interactive jobs before background ones. A model click must never wait behind the
 * detector pass over a sample's frames or the embedding of a frame shown a moment ago: it
 * waits at most for the one run in progress.
 */
import { RequestError } from '../protocol/envelope';
import type { CancelToken } from '../protocol/envelope';

/** Which lane a job waits in: `interactive` (a person waits for it) or `background`. */
export type Lane = 'interactive' | 'background';

/** A queued job and how to settle its promise. */
interface Job {
  readonly start: () => void;
  readonly signal?: CancelToken;
  readonly skip: (e: unknown) => void;
}

/** Two FIFO lanes served by one runner; interactive first, each lane in arrival order. */
export class PriorityLanes {
  private readonly lanes: Record<Lane, Job[]> = { interactive: [], background: [] };
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];

  /** Jobs waiting (not counting the one running). */
  get waiting(): number {
    return this.lanes.interactive.length + this.lanes.background.length;
  }

  /** Runs `job` in its lane's turn; a job cancelled while it waits is skipped with `cancelled`. */
  run<R>(lane: Lane, job: () => Promise<R>, signal?: CancelToken): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const start = (): void => {
        // A job that throws at once fails its own request, not the runner.
        Promise.resolve()
          .then(job)
          .then(resolve, reject)
          .finally(() => this.next());
      };
      this.lanes[lane].push({ start, skip: reject, ...(signal ? { signal } : {}) });
      if (!this.running) this.next();
    });
  }

  /** Resolves once nothing runs and nothing waits (the worker's clean shutdown). */
  idle(): Promise<void> {
    if (!this.running && this.waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): void {
    this.running = false;
    for (;;) {
      const job = this.lanes.interactive.shift() ?? this.lanes.background.shift();
      if (!job) break;
      if (job.signal?.aborted) {
        job.skip(new RequestError('cancelled', 'cancelled before it started'));
        continue;
      }
      this.running = true;
      job.start();
      return;
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
