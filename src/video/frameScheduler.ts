/**
 * Orders frame decoding by what the user needs: the frame on screen first, then its
 * neighbours, then the rest; at most `concurrency` neighbour and background passes at once,
 * while the frame on screen has a foreground lane of its own beside them (it never waits for
 * a slot: on a loaded 2-core machine a slot could be seconds away); a frame that is cached or
 * already being decoded is never queued again; a pass nobody waits for any more is killed.
 */
import { VideoError, cancelledError } from './videoError';

/** How urgently a frame is wanted. */
export type FramePriority = 'visible' | 'near' | 'background';

const RANK: Record<FramePriority, number> = { visible: 0, near: 1, background: 2 };
const PRIORITY: readonly FramePriority[] = ['visible', 'near', 'background'];
// Foreground passes at once: the frame just left may still be decoding when the next one is
// asked for; more than two would only share the same cores.
const FOREGROUND_LIMIT = 2;

/** A video the scheduler can run passes on; `run` decodes frames and reports each one. */
export interface SchedulerVideo {
  /** Identifies the video's cache (content hash + quality); keys frames across requests. */
  readonly id: string;
  run(
    frames: readonly number[],
    signal: AbortSignal,
    onFrame: (sourceFrame: number) => void,
    priority: FramePriority,
  ): Promise<void>;
}

interface Job {
  readonly video: SchedulerVideo;
  readonly frames: Set<number>;
  readonly rank: number;
  readonly controller: AbortController;
}

interface Waiter {
  readonly keys: Set<string>;
  resolve(): void;
  reject(e: unknown): void;
}

/** The queue and the process limit shared by every video of one provider. */
export class FrameScheduler {
  private readonly done = new Set<string>();
  private readonly queue: Job[] = [];
  private readonly running = new Set<Job>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(private readonly concurrency = 2) {}

  /** Number of passes running now (for tests and the status line). */
  get activePasses(): number {
    return this.running.size;
  }

  /** Marks frames as already on disk, so requests for them resolve at once. */
  markDone(video: SchedulerVideo, frames: Iterable<number>): void {
    for (const f of frames) this.done.add(`${video.id}:${f}`);
  }

  /** Forgets that frames are cached (their files were deleted behind our back). */
  forget(video: SchedulerVideo, frames: Iterable<number>): void {
    for (const f of frames) this.done.delete(`${video.id}:${f}`);
  }

  /** Resolves when every frame in `frames` is in the cache; rejects on cancel or failure. */
  request(
    video: SchedulerVideo,
    frames: readonly number[],
    priority: FramePriority,
    signal?: AbortSignal,
  ): Promise<void> {
    const keyOf = (f: number): string => `${video.id}:${f}`;
    const todo = [...new Set(frames)].filter((f) => !this.done.has(keyOf(f)));
    if (todo.length === 0) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(cancelledError('frame request'));
    const rank = RANK[priority];
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        keys: new Set(todo.map(keyOf)),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = (): void => {
        this.drop(waiter);
        waiter.reject(cancelledError('frame request'));
        this.prune();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const k of waiter.keys) {
        let set = this.waiters.get(k);
        if (!set) this.waiters.set(k, (set = new Set()));
        set.add(waiter);
      }
      const fresh: number[] = [];
      for (const f of todo) {
        if (this.covered(video.id, f, rank)) continue;
        // Raise the priority of a frame queued lower: move it into this job.
        for (const j of this.queue)
          if (j.video.id === video.id && j.rank > rank) j.frames.delete(f);
        fresh.push(f);
      }
      if (fresh.length)
        this.queue.push({ video, frames: new Set(fresh), rank, controller: new AbortController() });
      this.prune();
      this.pump();
    });
  }

  private covered(id: string, f: number, rank: number): boolean {
    for (const j of this.running) {
      // A visible frame does not wait behind a background pass that may be minutes away.
      if (
        j.video.id === id &&
        j.frames.has(f) &&
        !j.controller.signal.aborted &&
        (rank > 0 || j.rank === 0)
      )
        return true;
    }
    return this.queue.some((j) => j.video.id === id && j.rank <= rank && j.frames.has(f));
  }

  private drop(w: Waiter): void {
    for (const k of w.keys) {
      const set = this.waiters.get(k);
      set?.delete(w);
      if (set?.size === 0) this.waiters.delete(k);
    }
  }

  /** Forgets queued frames nobody waits for and kills passes nobody waits for. */
  private prune(): void {
    const wanted = (j: Job, f: number): boolean => this.waiters.has(`${j.video.id}:${f}`);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const j = this.queue[i] as Job;
      for (const f of j.frames) if (!wanted(j, f)) j.frames.delete(f);
      if (j.frames.size === 0) this.queue.splice(i, 1);
    }
    for (const j of this.running)
      if (![...j.frames].some((f) => wanted(j, f))) j.controller.abort();
  }

  private pump(): void {
    const count = (fore: boolean): number =>
      [...this.running].filter((j) => (j.rank === 0) === fore).length;
    // The newest frame on screen first: an annotator pressing → three times is on the third.
    for (let i = this.queue.length - 1; i >= 0 && count(true) < FOREGROUND_LIMIT; i--)
      if ((this.queue[i] as Job).rank === 0) this.start(this.queue.splice(i, 1)[0] as Job);
    while (count(false) < this.concurrency) {
      let best = -1;
      this.queue.forEach((j, i) => {
        if (j.rank > 0 && (best < 0 || j.rank < (this.queue[best] as Job).rank)) best = i;
      });
      if (best < 0) break;
      this.start(this.queue.splice(best, 1)[0] as Job);
    }
  }

  private start(job: Job): void {
    this.running.add(job);
    const onFrame = (f: number): void => this.finishFrame(`${job.video.id}:${f}`);
    const priority = PRIORITY[job.rank] as FramePriority;
    job.video.run([...job.frames], job.controller.signal, onFrame, priority).then(
      () => this.finishJob(job, undefined),
      (e: unknown) => this.finishJob(job, e),
    );
  }

  private finishFrame(key: string): void {
    this.done.add(key);
    const set = this.waiters.get(key);
    this.waiters.delete(key);
    for (const w of set ?? []) {
      w.keys.delete(key);
      if (w.keys.size === 0) w.resolve();
    }
  }

  private finishJob(job: Job, error: unknown): void {
    this.running.delete(job);
    // A pass we killed had no waiters left; anyone who came later has a job of their own.
    if (job.controller.signal.aborted) {
      this.pump();
      return;
    }
    for (const f of job.frames) {
      const key = `${job.video.id}:${f}`;
      if (this.done.has(key)) continue;
      if ([...this.running].some((j) => j.video.id === job.video.id && j.frames.has(f))) continue;
      const e = error ?? new VideoError('ffmpeg-failed', `no image was produced for frame ${f}`);
      for (const w of [...(this.waiters.get(key) ?? [])]) {
        this.drop(w);
        w.reject(e);
      }
    }
    this.pump();
  }
}
