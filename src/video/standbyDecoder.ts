/**
 * A foreground decoder kept warm for the frame under the playhead. Starting the system
 * ffmpeg costs 250-450 ms on a loaded 2-core machine (it links ~200 shared libraries), more
 * than a seek's whole 250 ms budget, so one ffmpeg is started ahead of time and waits on an
 * extra pipe (`-i pipe:N`; a named FIFO lost its bytes when written and closed before the
 * still-starting ffmpeg had opened it). The pipe then carries a concat script whose `inpoint` is the wanted frame's time:
 * the concat demuxer seeks to the key frame at or before it (the probe index's nearest key
 * frame) and shifts timestamps by -inpoint, so the wanted frame arrives with pts ~0 and a
 * fixed filtergraph (`select` |pts| <= tol) picks it. Its identity is checked against the
 * probe index (shown pts - shift must equal the wanted frame's pts exactly); anything else
 * is a miss, and the caller decodes the ordinary way.
 */
import type { PassOutput } from './framePass';
import { JpegSplitter } from './jpegSplitter';
import type { ProbeIndex } from './probeParse';
import { startProcess } from './processRunner';
import type { StartedProcess } from './processRunner';

/** What a standby decoder needs: the binary, the video, its probe index, the outputs. */
export interface StandbyOptions {
  readonly ffmpegPath: string;
  readonly input: string;
  readonly index: ProbeIndex;
  readonly outputs: readonly PassOutput[];
}

interface Warm {
  /** The pipe the concat script goes down. */
  readonly script: NodeJS.WritableStream;
  readonly proc: StartedProcess;
  /** pts of selected frames (shifted) and each output's images, in arrival order. */
  readonly shown: number[];
  readonly parts: Buffer[][];
}

// Every warm ffmpeg still alive, killed when this process exits so none is left waiting.
const alive = new Set<Warm>();
process.once('exit', () => {
  for (const w of alive) w.proc.child.kill('SIGKILL');
});

/** Half the smallest gap between frame pts, less one tick: 0 when frames are too close. */
export function standbyTolerance(index: ProbeIndex): number {
  if (process.platform === 'win32' || index.selectBy !== 'pts' || index.rotation !== 0) return 0;
  let gap = Infinity;
  for (let i = 1; i < index.pts.length; i++)
    gap = Math.min(gap, (index.pts[i] as number) - (index.pts[i - 1] as number));
  const tol = Math.floor(gap / 2) - 1;
  return Number.isFinite(tol) && tol >= 1 ? tol : 0;
}

/** The concat `inpoint` of a pts, in microseconds, and the tick shift the demuxer applies. */
export function concatShift(pts: number, timeBase: readonly [number, number]): [bigint, bigint] {
  const [num, den] = [BigInt(timeBase[0]), BigInt(timeBase[1])];
  const micros = 1_000_000n;
  const round = (a: bigint, c: bigint): bigint => (a + c / 2n) / c; // av_rescale's NEAR_INF, a >= 0
  const inpoint = round(BigInt(pts) * num * micros, den);
  return [inpoint, round(inpoint * den, num * micros)];
}

// Two warm: one that just started may still be linking when a quick second key press comes.
const POOL = 2;

/** Up to two warm ffmpegs per video; `take` uses the oldest and starts another afterwards. */
export class StandbyDecoder {
  private readonly warm: Promise<Warm | undefined>[] = [];
  private idle: NodeJS.Timeout | undefined;
  private readonly tol: number;
  /** Set when a decoder could not be started: stop trying. */
  private broken = false;

  constructor(private readonly opts: StandbyOptions) {
    this.tol = standbyTolerance(opts.index);
  }

  /** Whether this video can be served by a warm decoder at all. */
  get usable(): boolean {
    return this.tol > 0;
  }

  /**
   * The outputs of source frame `frame`, or undefined when no decoder was warm (one is
   * started for next time) or it did not deliver exactly that frame.
   */
  async take(frame: number, signal: AbortSignal): Promise<Buffer[] | undefined> {
    const pending = this.warm.shift();
    const w = pending && (await pending);
    if (!w || (this.opts.index.pts[frame] as number) < 0) {
      if (w) this.discard(w);
      this.prepare();
      return undefined;
    }
    try {
      return await this.decode(w, frame, signal);
    } finally {
      this.discard(w);
      if (!signal.aborted) this.prepare();
    }
  }

  /** Starts warm decoders up to the pool's size; they live five idle minutes. */
  prepare(): void {
    if (!this.usable) return;
    while (!this.broken && this.warm.length < POOL)
      this.warm.push(
        this.spawn().catch(() => {
          this.broken = true;
          return undefined;
        }),
      );
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.close(), 5 * 60_000);
    this.idle.unref();
  }

  /** Kills the warm decoders, if any. */
  close(): void {
    for (const pending of this.warm.splice(0)) void pending.then((w) => w && this.discard(w));
  }

  private async decode(w: Warm, frame: number, signal: AbortSignal): Promise<Buffer[] | undefined> {
    const { index, input } = this.opts;
    const [inpoint, shift] = concatShift(index.pts[frame] as number, index.timeBase);
    const time = (us: bigint): string =>
      `${us / 1_000_000n}.${String(us % 1_000_000n).padStart(6, '0')}`;
    // The outpoint bounds the work when the seek misses: one second past the frame.
    const script =
      // `file:` keeps the path from being read relative to the script's own URL (`pipe:N`).
      `ffconcat version 1.0\nfile 'file:${input.replace(/'/g, "'\\''")}'\n` +
      `inpoint ${time(inpoint)}\noutpoint ${time(inpoint + 1_000_000n)}\n`;
    const child = w.proc.child;
    child.ref();
    for (const s of child.stdio) (s as { ref?: () => void } | null)?.ref?.();
    const onAbort = (): void => void child.kill('SIGKILL');
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      w.script.end(script);
      const exit = await w.proc.done;
      const shown = w.shown[0];
      const parts = w.parts.map((q) => q[0]);
      if (exit.code !== 0 || shown === undefined || parts.some((p) => p === undefined)) return;
      // The identity check: the shifted pts back in source ticks is the wanted frame's pts.
      if (BigInt(shown) + shift !== BigInt(index.pts[frame] as number)) return;
      return parts as Buffer[];
    } catch {
      return undefined;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async spawn(): Promise<Warm> {
    const { outputs } = this.opts;
    // Outputs use fds 1, 3, 4, ... (as in framePass); the script comes on the next one. Should
    // we die, the pipe closes and the waiting ffmpeg reads an empty script and exits.
    const scriptFd = outputs.length + 2;
    const graph =
      `[0:V:0]select=lte(abs(pts)\\,${this.tol}),showinfo=checksum=0,split=${outputs.length}` +
      outputs.map((_, k) => `[s${k}]`).join('') +
      ';' +
      outputs.map((o, k) => `[s${k}]${o.filter || 'null'}[o${k}]`).join(';');
    const args = [
      ...['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin'],
      ...['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,pipe'],
      ...['-i', `pipe:${scriptFd}`],
      ...['-copyts', '-filter_complex', graph],
      ...['-vsync', 'passthrough'],
    ];
    outputs.forEach((o, k) =>
      args.push(
        '-map',
        `[o${k}]`,
        '-frames:v',
        '1',
        ...o.encode,
        k === 0 ? 'pipe:1' : `pipe:${k + 2}`,
      ),
    );
    const shown: number[] = [];
    const proc = startProcess(this.opts.ffmpegPath, args, {
      what: `decoding a frame of ${this.opts.input}`,
      extraPipes: outputs.length,
      onStderrLine: (line) => {
        const m = /Parsed_showinfo[^\]]*\]\s+n:\s*\d+\s+pts:\s*(-?\d+)/.exec(line);
        if (m) shown.push(Number(m[1]));
      },
    });
    const script = proc.child.stdio[scriptFd] as NodeJS.WritableStream;
    // EPIPE when ffmpeg died waiting: the exit code tells, not an unhandled 'error'.
    script.on('error', () => undefined);
    const w: Warm = { script, proc, shown, parts: outputs.map(() => []) };
    alive.add(w);
    proc.done.catch(() => undefined).finally(() => alive.delete(w));
    outputs.forEach((o, k) => {
      const stream = proc.child.stdio[k === 0 ? 1 : k + 2] as NodeJS.ReadableStream | null;
      const splitter = o.framing.kind === 'jpeg' ? new JpegSplitter() : undefined;
      const held: Buffer[] = [];
      stream?.on('data', (chunk: Buffer) => {
        if (splitter) w.parts[k]?.push(...splitter.push(chunk));
        else held.push(chunk);
      });
      stream?.on('end', () => {
        if (!splitter && held.length) w.parts[k]?.push(Buffer.concat(held));
      });
    });
    // A waiting decoder must not keep a command-line run alive.
    proc.child.unref();
    for (const s of proc.child.stdio) (s as { unref?: () => void } | null)?.unref?.();
    return w;
  }

  private discard(w: Warm): void {
    w.proc.child.kill('SIGKILL');
  }
}
