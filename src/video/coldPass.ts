/**
 * The extraction of a video nobody has probed yet, started before the probe instead of
 * after it. An ordinary pass names its frames by exact pts from the probe index, so it
 * has to wait for ffprobe (a second process start-up, 100-900 ms on a loaded machine: most
 * of what a cold extraction cost over a bare `ffmpeg -vf fps=2`). This pass selects by the
 * sampling rule itself (frameSampling.ts: the first frame at or after each instant
 * start + n / fps, from each frame's time and the previous one's), sizes its thumbnail and
 * grey outputs by expressions on the input size, and holds what it decodes until it can name
 * it. Names come from an index (`finish`) or from the pass's own packet listing
 * (`finishByListing`, packetListing.ts: then no ffprobe runs at all): every frame is named
 * by its pts and kept only if it is a sampled frame by the exact rule; anything the select
 * (in floating point) got wrong is left for an ordinary pass, so the cache stays exact.
 */
import { cpus } from 'node:os';
import type { FrameStore } from './cachePass';
import { cacheOutputs } from './cachePass';
import { fpsFraction, sampledSourceFrames } from './frameSampling';
import { JpegSplitter } from './jpegSplitter';
import { PacketListing } from './packetListing';
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
  /** Also list the packets (framecrc on a fourth pipe), so the pass can build the index. */
  readonly listPackets?: boolean;
  readonly signal?: AbortSignal;
}

/** What `finishByListing` wrote: each frame with the pts it was named by, and the listing. */
export interface ListedFrames {
  readonly delivered: Map<number, number>;
  readonly listing: PacketListing;
}

/** A running cold pass: `finish` hands it the index and resolves with the frames written. */
export interface ColdPass {
  finish(
    index: ProbeIndex,
    store: FrameStore,
    onFrame: (sourceFrame: number) => void,
  ): Promise<Set<number>>;
  /** Names frames by the pass's own listing (needs `listPackets`); opens the store when sized. */
  finishByListing(
    openStore: (size: { width: number; height: number }) => Promise<FrameStore>,
    onFrame: (sourceFrame: number) => void,
  ): Promise<ListedFrames>;
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

/** Whether the frame of rank `i` in sorted `pts` is a sampled frame at `fps` (exact rule). */
function sampledRank(
  pts: readonly number[],
  i: number,
  tb: readonly [number, number],
  fps: number,
): boolean {
  if (i === 0) return true;
  const [p, q] = fpsFraction(fps);
  const start = BigInt(pts[0] as number);
  const step = q * BigInt(tb[1]);
  const lhs = (k: number): bigint => (BigInt(pts[k] as number) - start) * BigInt(tb[0]) * p;
  // Some instant n * step lies in (lhs(i - 1), lhs(i)]: frame i is the first at or after it.
  return lhs(i) / step > lhs(i - 1) / step;
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
  const listing = opts.listPackets ? new PacketListing() : undefined;
  const args = [
    // level+: each line says its level, so the listing can tell a warning from the banner.
    ...['-hide_banner', '-nostats', '-loglevel', 'level+info', '-nostdin'],
    // Two decoding threads more than ffmpeg's own choice (cores + 1): the per-frame work of
    // the extra outputs runs on the thread that feeds the decoder, and deeper frame threading
    // keeps the cores busy meanwhile (real-clip bench: blocks.mp4 1.15-1.18x -> 1.12x of bare).
    ...['-copyts', '-threads', String(Math.min(16, cpus().length + 3))],
    ...['-i', opts.input, '-filter_complex', graph, '-vsync', 'passthrough'],
    ...['-map', '[o0]', ...(jpeg?.encode ?? []), 'pipe:1'],
    ...['-map', '[o1]', ...(thumb?.encode ?? []), 'pipe:3'],
    ...['-map', '[o2]', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:4'],
    // The packets as demuxed: -copyinkf keeps those before the first key frame, and each
    // line is flushed at once so that frames can be named while the decode runs.
    ...(listing
      ? ['-map', '0:V:0', '-c', 'copy', '-copyinkf', '-flush_packets', '1', '-f', 'framecrc']
      : []),
    ...(listing ? ['pipe:5'] : []),
  ];
  const shown: number[] = [];
  // How many shown frames the loop has named so far (the rest wait for the listing).
  let named = 0;
  const jpegs: Buffer[] = [];
  const thumbs: Buffer[] = [];
  let grey: Buffer[] = [];
  const proc = startProcess(opts.ffmpegPath, args, {
    what: `decoding frames of ${opts.input}`,
    extraPipes: listing ? 3 : 2,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onStderrLine: (line) => {
      const m = /Parsed_showinfo[^\]]*\]\s+(?:\[info\]\s+)?n:\s*\d+\s+pts:\s*(-?\d+)/.exec(line);
      if (m) shown.push(Number(m[1]));
      else listing?.stderrLine(line);
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
  if (listing) {
    // Never paused: while frames wait for their names, the listing is what moves.
    const text = (proc.child.stdio as readonly unknown[])[5] as NodeJS.ReadableStream;
    let rest = '';
    text.setEncoding('utf8');
    text.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) listing.listingLine(l);
      // Only a frame waiting for its name needs the loop (a line comes per packet).
      if (shown.length > named) wake?.();
    });
    text.on('end', () => rest && listing.listingLine(rest));
  }
  let ended = false;
  void proc.done
    .then((exit) => {
      if (listing && exit.code !== 0) listing.doubt ??= `ffmpeg exited with ${exit.code}`;
    })
    .finally(() => {
      ended = true;
      listing?.end();
      wake?.();
    })
    .catch(() => undefined); // a cancelled pass: its caller sees the rejection through `run`

  /** The hold-and-name loop: `name` says a pts's frame, undefined (drop) or 'wait'. */
  const run = async (
    greySize: () => number | undefined,
    name: (pts: number) => number | undefined | 'wait',
    put: (f: number, pts: number, parts: Buffer[]) => Promise<void>,
  ): Promise<void> => {
    const greys: Buffer[] = [];
    let done = 0;
    named = 0;
    for (;;) {
      const last = ended;
      const size = greySize();
      if (size !== undefined) {
        let all = grey.length === 1 ? (grey[0] as Buffer) : Buffer.concat(grey);
        while (all.length >= size) {
          greys.push(Buffer.from(all.subarray(0, size)));
          all = all.subarray(size);
        }
        grey = all.length ? [all] : [];
      }
      while (done < shown.length && jpegs.length && thumbs.length && greys.length) {
        const pts = shown[done] as number;
        const f = name(pts);
        if (f === 'wait') break;
        done++;
        named = done;
        const parts = [jpegs.shift(), thumbs.shift(), greys.shift()] as Buffer[];
        if (f !== undefined) await put(f, pts, parts);
      }
      if (last) break;
      streams.forEach((s) => s.resume());
      if (ended) continue;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
    await proc.done;
  };

  return {
    cancel: () => void proc.child.kill('SIGKILL'),
    async finish(index, store, onFrame) {
      const wanted = new Map<number, number>();
      for (const f of sampledSourceFrames(index, opts.fps)) {
        const pts = index.pts[f];
        if (pts !== undefined) wanted.set(pts, f);
      }
      const g = sharpnessSize(index.width, index.height);
      const delivered = new Set<number>();
      await run(
        () => g.width * g.height,
        (pts) => wanted.get(pts),
        async (f, _pts, parts) => {
          if (delivered.has(f)) return;
          await store.put(f, parts);
          delivered.add(f);
          onFrame(f);
        },
      );
      return delivered;
    },
    async finishByListing(openStore, onFrame) {
      if (!listing) throw new Error('finishByListing needs a pass started with listPackets');
      const delivered = new Map<number, number>();
      let store: FrameStore | undefined;
      let opening: Promise<FrameStore> | undefined;
      let greySize: number | undefined;
      const name = (pts: number): number | undefined | 'wait' => {
        if (listing.doubt) return undefined; // written frames are checked against ffprobe's
        const size = listing.displayedSize();
        const tb = listing.timeBase;
        if (!size || !tb || !listing.settled(pts)) return ended ? undefined : 'wait';
        const sorted = listing.sortedPts;
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((sorted[mid] as number) < pts) lo = mid + 1;
          else hi = mid;
        }
        if (sorted[lo] !== pts) return undefined;
        return sampledRank(sorted, lo, tb, opts.fps) ? lo : undefined;
      };
      try {
        await run(
          () => {
            const size = listing.displayedSize();
            if (greySize === undefined && size) {
              const g = sharpnessSize(size.width, size.height);
              greySize = g.width * g.height;
            }
            return greySize;
          },
          name,
          async (f, pts, parts) => {
            if (delivered.has(f)) return;
            const size = listing.displayedSize();
            if (!size) throw new Error('a frame was named before the listing knew its size');
            store ??= await (opening ??= openStore(size));
            await store.put(f, parts);
            delivered.set(f, pts);
            onFrame(f);
          },
        );
      } finally {
        await store?.close();
      }
      return { delivered, listing };
    },
  };
}
