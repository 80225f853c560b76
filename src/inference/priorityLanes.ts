/**
 * The worker's run order: interactive jobs (a click: a person waits for it) before
 * background ones (the detector pass over a sample's frames, the embedding of a frame just
 * shown), each lane one job at a time in arrival order. An onnxruntime run cannot be
 * interrupted, and an encoder run is 1-2.5 s on two cores, so a click does not wait for a
 * background run under way: it starts beside it (the two share the cores for what is left of
 * that run, a few hundred milliseconds of the click instead of seconds). Background jobs
 * start only when no interactive job runs or waits, and not within `quietMs` of the last
 * one's end: a person who clicked once usually clicks again soon (refining the mask), and
 * that click should find the cores free, not a fresh encoder run.
 */
import { RequestError } from '../protocol/envelope';
import type { CancelToken } from '../protocol/envelope';

/** Which lane a job waits in: `interactive` (a person waits for it) or `background`. */
export type Lane = 'interactive' | 'background';

/** How long background work holds off after an interactive job by default (ms). */
export const DEFAULT_QUIET_MS = 750;

/** A queued job and how to settle its promise. */
interface Job {
  readonly start: () => void;
  readonly signal?: CancelToken;
  readonly skip: (e: unknown) => void;
}

/** Two FIFO lanes, one running job each; interactive ones never wait for background ones. */
export class PriorityLanes {
  private readonly lanes: Record<Lane, Job[]> = { interactive: [], background: [] };
  private readonly running: Record<Lane, boolean> = { interactive: false, background: false };
  private readonly idleWaiters: (() => void)[] = [];
  private lastInteractiveEnd = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly quietMs = DEFAULT_QUIET_MS) {}

  /** Jobs waiting (not counting the ones running). */
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
          .finally(() => this.finished(lane));
      };
      this.lanes[lane].push({ start, skip: reject, ...(signal ? { signal } : {}) });
      this.next();
    });
  }

  /** Resolves once nothing runs and nothing waits (the worker's clean shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.running.interactive && !this.running.background && this.waiting === 0;
  }

  private finished(lane: Lane): void {
    this.running[lane] = false;
    if (lane === 'interactive') this.lastInteractiveEnd = performance.now();
    this.next();
  }

  private next(): void {
    if (!this.running.interactive) this.running.interactive = this.startFrom('interactive');
    const busy = this.running.interactive || this.lanes.interactive.length > 0;
    if (!this.running.background && !busy && this.lanes.background.length > 0) {
      const wait = this.lastInteractiveEnd + this.quietMs - performance.now();
      if (wait > 0) this.timer ??= setTimeout(() => this.quietOver(), wait);
      else this.running.background = this.startFrom('background');
    }
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private quietOver(): void {
    this.timer = undefined;
    this.next();
  }

  /** Starts the lane's first job not cancelled while it waited; false when none is left. */
  private startFrom(lane: Lane): boolean {
    for (;;) {
      const job = this.lanes[lane].shift();
      if (!job) return false;
      if (job.signal?.aborted) {
        job.skip(new RequestError('cancelled', 'cancelled before it started'));
        continue;
      }
      job.start();
      return true;
    }
  }
}
