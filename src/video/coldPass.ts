/**
 * The extraction of a video nobody has probed yet, started before the probe instead of
 * after it. An ordinary pass names its frames by exact pts from the probe index, so it
 * has to wait for ffprobe (a second process start-up, 100-900 ms on a loaded machine: most
 * of what a cold extraction cost over a bare `ffmpeg -vf fps=2`). This pass selects by the
 * sampling rule itself (frameSampling.ts: the first frame at or after each instant
 * start + n / fps, from each frame's time and the previous one's), sizes its thumbnail and
 * grey outputs by expressions on the input size, and holds what it decodes until the index
 * arrives. Then every frame is named by its pts through the index and kept only if the
 * index's own sampled list has it; anything the rule (in floating point) got wrong is left
 * for an ordinary pass, so the cache stays exact.
 */
import type { FrameStore } from './cachePass';
import { cacheOutputs } from './cachePass';
import { sampledSourceFrames } from './frameSampling';
import { JpegSplitter } from './jpegSplitter';
import type { ProbeIndex } from './probeParse';
import { startProcess } from './processRunner';
import { SHARPNESS_SIDE, sharpnessSize } from './sharpness';

/** What a cold pass needs: the binary, the video, the sampling rate and the cache's encodings. */
export interface ColdPassOptions {
  readonly ffmpegPath: string;
  readonly input: string;
  readonly fps: number;
  readonly quality: number;
  readonly thumbWidth: number;
  readonly signal?: AbortSignal;
}

/** A running cold pass: `finish` hands it the index and resolves with the frames written. */
export interface ColdPass {
  finish(
    index: ProbeIndex,
    store: FrameStore,
    onFrame: (sourceFrame: number) => void,
  ): Promise<Set<number>>;
  cancel(): void;
}

// Frames held before the index is known; past this ffmpeg is paused (its pipes fill).
const HOLD = 16;
// Times within this of an instant count as on it: t is a double, the rule is exact.
const EPSILON = 1e-7;

/** The select expression of the sampling rule at `fps`, on frame times in seconds. */
export function samplingSelect(fps: number): string {
  const n = (t: string): string => `floor((${t}-start_t)*${fps}+${EPSILON})`;
  return `isnan(prev_t)+gt(${n('t')}\\,${n('prev_t')})`;
}

/** Starts decoding at once; nothing is written until `finish` gives the index. */
export function startColdPass(opts: ColdPassOptions): ColdPass {
  const [jpeg, thumb] = cacheOutputs(1, 1, opts.quality, opts.thumbWidth);
  // The same sizes as thumbSize and sharpnessSize, computed by ffmpeg from the input size
  // with the same double operations in the same order.
  const tw = `max(1\\,min(${opts.thumbWidth}\\,iw))`;
  const th = `max(1\\,round(ow*ih/iw))`;
  const k = `min(1\\,${SHARPNESS_SIDE}/max(iw\\,ih))`;
  const graph =
    `[0:V:0]select=${samplingSelect(opts.fps)},showinfo=checksum=0,split=3[s0][s1][s2];` +
    `[s0]null[o0];[s1]scale=w=${tw}:h=${th}:flags=bilinear[o1];` +
    `[s2]scale=w=max(1\\,round(iw*${k})):h=max(1\\,round(ih*${k})):flags=area,format=gray[o2]`;
  const args = [
    ...['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin'],
    ...['-copyts', '-i', opts.input, '-filter_complex', graph, '-vsync', 'passthrough'],
    ...['-map', '[o0]', ...(jpeg?.encode ?? []), 'pipe:1'],
    ...['-map', '[o1]', ...(thumb?.encode ?? []), 'pipe:3'],
    ...['-map', '[o2]', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:4'],
  ];
  const shown: number[] = [];
  const jpegs: Buffer[] = [];
  const thumbs: Buffer[] = [];
  let grey: Buffer[] = [];
  const proc = startProcess(opts.ffmpegPath, args, {
    what: `decoding frames of ${opts.input}`,
    extraPipes: 2,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onStderrLine: (line) => {
      const m = /Parsed_showinfo[^\]]*\]\s+n:\s*\d+\s+pts:\s*(-?\d+)/.exec(line);
      if (m) shown.push(Number(m[1]));
    },
  });
  // An abandoned pass (the probe failed) must not leave an unhandled rejection behind.
  proc.done.catch(() => undefined);
  const streams = [1, 3, 4].map((fd) => proc.child.stdio[fd] as NodeJS.ReadableStream);
  let wake: (() => void) | undefined;
  const changed = (): void => {
    if (jpegs.length >= HOLD) streams.forEach((s) => s.pause());
    wake?.();
  };
  const splitters = [new JpegSplitter(), new JpegSplitter()];
  streams[0]?.on('data', (c: Buffer) => (jpegs.push(...(splitters[0]?.push(c) ?? [])), changed()));
  streams[1]?.on('data', (c: Buffer) => (thumbs.push(...(splitters[1]?.push(c) ?? [])), changed()));
  streams[2]?.on('data', (c: Buffer) => (grey.push(c), changed()));
  let ended = false;
  void proc.done.finally(() => {
    ended = true;
    wake?.();
  });
  return {
    cancel: () => void proc.child.kill('SIGKILL'),
    async finish(index, store, onFrame) {
      const wanted = new Map<number, number>();
      for (const f of sampledSourceFrames(index, opts.fps)) {
        const pts = index.pts[f];
        if (pts !== undefined) wanted.set(pts, f);
      }
      const g = sharpnessSize(index.width, index.height);
      const greySize = g.width * g.height;
      const greys: Buffer[] = [];
      const delivered = new Set<number>();
      let done = 0;
      for (;;) {
        const last = ended;
        let all = grey.length === 1 ? (grey[0] as Buffer) : Buffer.concat(grey);
        while (all.length >= greySize) {
          greys.push(Buffer.from(all.subarray(0, greySize)));
          all = all.subarray(greySize);
        }
        grey = all.length ? [all] : [];
        while (done < shown.length && jpegs.length && thumbs.length && greys.length) {
          const f = wanted.get(shown[done++] as number);
          const parts = [jpegs.shift(), thumbs.shift(), greys.shift()] as Buffer[];
          if (f === undefined || delivered.has(f)) continue;
          await store.put(f, parts);
          delivered.add(f);
          onFrame(f);
        }
        if (last) break;
        streams.forEach((s) => s.resume());
        if (ended) continue;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      await proc.done;
      return delivered;
    },
  };
}
