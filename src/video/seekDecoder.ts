/**
 * The frame under the playhead from one ffmpeg that stays open on the video (seekProcess.ts)
 * and is moved by commands instead of being started per seek: starting the system ffmpeg
 * and opening the file cost 250-450 ms on a loaded 2-core machine, more than a seek's whole
 * 250 ms budget. A request sends "drop frames before this one" to the gate and "seek to its
 * key frame (from the probe index)" to the `movie` source; the frame arrives, is checked
 * against the probe index by its exact pts, and the decoder parks one sampled frame ahead
 * (the → key's frame is then already decoded). Only frames `select` was built with can be
 * served; anything else, a timeout or a dead process is a miss and the caller decodes the
 * ordinary way.
 */
import { keyFrameAtOrBefore } from './frameSampling';
import type { PassOutput } from './framePass';
import type { ProbeIndex } from './probeParse';
import { startSeekProcess } from './seekProcess';
import type { SeekProcess } from './seekProcess';

/** What a seek decoder needs; `frames` are the source frames it may serve, read at start. */
export interface SeekDecoderOptions {
  readonly ffmpegPath: string;
  readonly input: string;
  readonly index: ProbeIndex;
  readonly outputs: readonly PassOutput[];
  readonly frames: () => Iterable<number>;
  /** For the neighbours and the filmstrip: nice 10, yielding to the frame on screen. */
  readonly lowPriority?: boolean;
}

/** Receives a decoded frame's outputs; the target's promise resolves after its own. */
export type SeekSink = (sourceFrame: number, parts: readonly Buffer[]) => Promise<void>;

// Frames decoded past the wanted one before parking: the next sampled frame (→) for free.
const AHEAD = 1;
// A seek that lands after its frame (an odd index) would wait forever: give up, decode anew.
// Generous, and longer the more frames lie between the key frame and the one wanted: a
// 250-frame GOP at 1080p takes seconds on a loaded machine, and that is not a miss.
const TIMEOUT_MS = 4000;
const TIMEOUT_PER_FRAME_MS = 60;
// How long a process that refused a command may take to show it is ending rather than broken.
const ENDING_GRACE_MS = 1000;

// Every seek process still alive, killed when this process exits so none is left parked.
const alive = new Set<SeekProcess>();
process.once('exit', () => {
  for (const sp of alive) sp.kill();
});

/** Whether `index` can be served: exact pts (strictly increasing), no rotation to apply. */
export function seekDecoderUsable(index: ProbeIndex): boolean {
  // `movie` does not apply the display matrix as ffmpeg's own input does.
  if (index.selectBy !== 'pts' || index.rotation !== 0 || index.pts.length === 0) return false;
  for (let i = 1; i < index.pts.length; i++)
    if ((index.pts[i] as number) <= (index.pts[i - 1] as number)) return false;
  return true;
}

/** The µs timestamp `movie`'s seek command takes for a pts (av_rescale rounds to nearest). */
export function seekMicros(pts: number, timeBase: readonly [number, number]): bigint {
  const [num, den] = [BigInt(timeBase[0]), BigInt(timeBase[1])];
  return (BigInt(pts) * num * 1_000_000n + den / 2n) / den;
}

/** One long-lived decoder per video on screen; requests are served one at a time. */
export class SeekDecoder {
  private running: Promise<SeekProcess | undefined> | undefined;
  private byPts = new Map<number, number>();
  private broken = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** The gate's current bound in seconds (frames before it are dropped). */
  private gateFrom = -Infinity;
  private sink: SeekSink | undefined;
  private writes: Promise<void> = Promise.resolve();
  /** The process once started, for `rest`. */
  private current: SeekProcess | undefined;
  private resting: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SeekDecoderOptions) {}

  /** Whether this video can be served by a seek decoder at all (and it has not failed). */
  get usable(): boolean {
    return !this.broken && seekDecoderUsable(this.opts.index);
  }

  /** Starts the process if none runs (it opens the file and parks on its first frame). */
  prepare(): void {
    if (this.running || !this.usable) return;
    const { ffmpegPath, input, index, outputs } = this.opts;
    const byPts = new Map<number, number>();
    for (const f of this.opts.frames()) {
      const p = index.pts[f];
      if (p !== undefined) byPts.set(p, f);
    }
    if (byPts.size === 0) return;
    this.byPts = byPts;
    this.gateFrom = -Infinity;
    const pts = [...byPts.keys()];
    const started = startSeekProcess(ffmpegPath, input, outputs, pts, this.opts.lowPriority).then(
      (sp) => {
        alive.add(sp);
        this.current = sp;
        sp.onFrame = (pts, parts) => this.arrived(pts, parts);
        // Reaching the end of the file, or a crash: the next request starts a new one.
        void sp.proc.done
          .catch(() => undefined)
          .finally(() => {
            alive.delete(sp);
            if (this.current === sp) this.current = undefined;
            if (this.running === started) this.running = undefined;
          });
        return sp;
      },
      () => {
        this.broken = true;
        return undefined;
      },
    );
    this.running = started;
  }

  /**
   * Decodes source frame `frame`; resolves true once `sink` has received it, false when
   * this decoder cannot serve it (the caller decodes it the ordinary way).
   */
  take(frame: number, signal: AbortSignal, sink: SeekSink): Promise<boolean> {
    const run = this.chain.then(() => this.takeNow(frame, signal, sink));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Stops the process for `ms` (or until the next request): right after serving a frame it
   * decodes on to park ahead, 30 frames and two JPEGs at 1080p, on the same two cores as
   * the page fetching and decoding the frame just served (40-100 ms slower, seek bench).
   */
  rest(ms: number): void {
    const sp = this.current;
    if (!sp) return;
    sp.stop(true);
    clearTimeout(this.resting);
    this.resting = setTimeout(() => this.wake(), ms);
    this.resting.unref?.();
  }

  private wake(): void {
    clearTimeout(this.resting);
    this.resting = undefined;
    this.current?.stop(false);
  }

  /** Kills the process, if any. */
  close(): void {
    this.wake();
    this.current = undefined;
    const r = this.running;
    this.running = undefined;
    void r?.then((sp) => sp?.kill());
  }

  private arrived(pts: number, parts: Buffer[]): void {
    const f = this.byPts.get(pts);
    const sink = this.sink;
    if (f === undefined || !sink) return;
    let written: Promise<void>;
    if (f === this.target) {
      // The wanted frame is written at once: frames parked ahead of the last request come
      // out first after a seek (2-3 of them, 5-100 ms of writes on a loaded machine), and
      // the frame on screen does not wait behind them.
      this.target = undefined;
      written = sink(f, parts).catch(() => undefined);
    } else written = this.writes = this.writes.then(() => sink(f, parts)).catch(() => undefined);
    this.onArrive?.(f, written);
  }

  /** The frame the request in progress waits for. */
  private target: number | undefined;
  private onArrive: ((frame: number, written: Promise<void>) => void) | undefined;

  private async takeNow(frame: number, signal: AbortSignal, sink: SeekSink): Promise<boolean> {
    // Twice at most: a process that died (or ended: it loops, so only on an odd file) is
    // started anew once before the request is a miss.
    for (let attempt = 0; attempt < 2; attempt++) {
      this.prepare();
      const sp = await this.running;
      if (!sp || signal.aborted) return false;
      if (sp === this.current) this.wake();
      const result = sp.exited ? 'ended' : await this.attempt(sp, frame, signal, sink);
      if (result !== 'ended') return result === 'ok';
      if (this.running) this.close();
    }
    return false;
  }

  private attempt(
    sp: SeekProcess,
    frame: number,
    signal: AbortSignal,
    sink: SeekSink,
  ): Promise<'ok' | 'miss' | 'ended'> {
    const { index } = this.opts;
    const pts = index.pts[frame];
    if (pts === undefined || this.byPts.get(pts) !== frame) return Promise.resolve('miss');
    const [num, den] = index.timeBase;
    const prev = index.pts[frame - 1];
    // Halfway to the previous frame: `t` is a double, the midpoint is safe from rounding.
    const from = prev === undefined ? -1 : (((prev + pts) / 2) * num) / den;
    const key = keyFrameAtOrBefore(index.keyFrames, frame);
    const at = sp.lastShownPts;
    // Already on its way (parked before it, in the same GOP, gate open for it): just read on.
    const onTheWay = at < pts && at >= (index.pts[key] as number) && this.gateFrom <= from;
    this.sink = sink;
    sp.hold(true);
    return new Promise((resolve) => {
      let ahead = -1;
      let settled = false;
      const finish = (result: 'ok' | 'miss' | 'ended'): void => {
        if (settled) return;
        settled = true;
        this.target = undefined;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.onArrive = () => {
          // After the request: read on to the next frame (past the last one, the loop's
          // first), then park.
          if (ahead >= 0 && ++ahead >= AHEAD) sp.pause();
        };
        if (result !== 'ok') sp.pause();
        sp.hold(false);
        resolve(result);
      };
      const onAbort = (): void => finish('miss');
      const giveUp = (): void => {
        if (settled) return;
        // A failed command is often the first sign of a process ending at the end of its
        // file (its socket closes before its exit is seen): that one is started anew.
        void Promise.race([
          sp.ended.then(() => true),
          new Promise<false>((r) => setTimeout(r, ENDING_GRACE_MS, false)),
        ]).then((ending) => {
          if (settled) return;
          if (ending) return finish('ended');
          // It passed its frame without showing it, refused a command, or hangs: not again.
          this.broken = true;
          this.close();
          finish('miss');
        });
      };
      const timer = setTimeout(giveUp, TIMEOUT_MS + (frame - key) * TIMEOUT_PER_FRAME_MS);
      signal.addEventListener('abort', onAbort, { once: true });
      void sp.proc.done.catch(() => undefined).then(giveUp);
      this.target = frame;
      this.onArrive = (f, written) => {
        if (f !== frame) return;
        ahead = 0;
        // Open the gate behind it: after the last frame the source loops to the first, and a
        // closed gate would have it decode the whole video again up to this frame.
        if (this.gateFrom !== -Infinity) {
          this.gateFrom = -Infinity;
          void sp.zmq.send('framestep@gate enable 0');
        }
        void written.then(() => finish('ok'));
      };
      if (!onTheWay) {
        this.gateFrom = from;
        const check = (reply: string): void => {
          if (!reply.startsWith('0 ')) giveUp();
        };
        void sp.zmq.send(`framestep@gate enable lt(t,${from})`).then(check);
        // Flag 1, AVSEEK_FLAG_BACKWARD: the key frame at or before the timestamp.
        const us = seekMicros(index.pts[key] as number, [num, den]);
        void sp.zmq.send(`movie seek -1|${us}|1`).then(check);
      }
      sp.resume();
    });
  }
}
