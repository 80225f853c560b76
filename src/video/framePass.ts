/**
 * One ffmpeg process that decodes a video once and emits exactly the requested source
 * frames to one or more piped outputs (full JPEG, thumbnail, grey for sharpness, RGB).
 * Selection is by exact pts from the probe index (`select` over a balanced `if(lt(...))`
 * tree, O(log k) per decoded frame), never by ffmpeg's `fps` filter rounding; each
 * selected frame's pts is read back from `showinfo`, so outputs are matched to frames by
 * identity, not by counting.
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFrameAtOrBefore } from './frameSampling';
import { JpegSplitter } from './jpegSplitter';
import type { ProbeIndex } from './probeParse';
import { startProcess } from './processRunner';
import type { SpawnFn } from './processRunner';
import { VideoError, ffmpegReason } from './videoError';

/** One piped output of the pass. */
export interface PassOutput {
  /** Filter chain for this output's copy of each selected frame (`null` for none). */
  readonly filter: string;
  /** Encoder and format arguments, e.g. `['-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg']`. */
  readonly encode: readonly string[];
  /** How the byte stream divides into frames. */
  readonly framing: { readonly kind: 'jpeg' } | { readonly kind: 'fixed'; readonly bytes: number };
}

/** A pass: which frames of which video, to which outputs, and who receives them. */
export interface PassRequest {
  readonly ffmpegPath: string;
  readonly input: string;
  readonly index: ProbeIndex;
  /** Source frame numbers (indices into `index.pts`), any order, duplicates allowed. */
  readonly frames: readonly number[];
  readonly outputs: readonly PassOutput[];
  /** Receives each frame's outputs (one buffer per output); awaited in order. */
  readonly onFrame: (sourceFrame: number, parts: readonly Buffer[]) => Promise<void> | void;
  /** False to decode from the start instead of seeking (the fallback when a seek misses). */
  readonly seek?: boolean;
  /** A pass nobody is looking at (neighbours, the filmstrip): low OS priority. */
  readonly lowPriority?: boolean;
  readonly signal?: AbortSignal;
  readonly spawnFn?: SpawnFn;
}

// Linux caps one argument at 128 KiB; longer filtergraphs go through a script file.
const INLINE_GRAPH_LIMIT = 100_000;

/** The `select` expression matching exactly the given sorted values of `pts` (or `n`). */
export function selectExpression(values: readonly number[], variable: 'pts' | 'n' = 'pts'): string {
  const build = (lo: number, hi: number): string => {
    if (hi - lo === 1) return `eq(${variable}\\,${values[lo] as number})`;
    const mid = (lo + hi) >> 1;
    return `if(lt(${variable}\\,${values[mid] as number})\\,${build(lo, mid)}\\,${build(mid, hi)})`;
  };
  return values.length ? build(0, values.length) : '0';
}

/** Arguments that put the decoder near the first wanted frame: `-ss` at its key frame. */
function seekArgs(index: ProbeIndex, first: number): string[] {
  if (index.selectBy === 'n') return []; // no timestamps, no seeking: frame numbers count from 0
  const key = keyFrameAtOrBefore(index.keyFrames, first);
  if (key <= 0) return [];
  const t =
    ((index.pts[key] as number) * index.timeBase[0]) / index.timeBase[1] - index.formatStart;
  // -noaccurate_seek: keep every decoded frame; the exact pts select does the trimming.
  return t > 0 ? ['-noaccurate_seek', '-ss', t.toFixed(6)] : [];
}

/**
 * Runs the pass and resolves with the frames delivered. A pass that seeked and missed some
 * frames (odd key frame tables) retries those once from the start; whatever is still
 * missing is left to the caller, who knows how to word it.
 */
export async function runFramePass(req: PassRequest): Promise<Set<number>> {
  const got = await runOnce(req);
  const first = req.frames.reduce((a, b) => Math.min(a, b), Infinity);
  const missing = [...new Set(req.frames)].filter((f) => !got.has(f));
  if (missing.length === 0 || req.seek === false || seekArgs(req.index, first).length === 0)
    return got;
  for (const f of await runOnce({ ...req, frames: missing, seek: false })) got.add(f);
  return got;
}

async function runOnce(req: PassRequest): Promise<Set<number>> {
  const frames = [...new Set(req.frames)].sort((a, b) => a - b);
  const delivered = new Set<number>();
  if (frames.length === 0) return delivered;
  const ptsToFrame = new Map<number, number>();
  for (const f of frames) {
    const p = req.index.pts[f];
    if (p === undefined)
      throw new VideoError(
        'bad-request',
        `frame ${f} does not exist in ${req.input} (it has ${req.index.pts.length} frames)`,
        req.input,
      );
    if (!ptsToFrame.has(p)) ptsToFrame.set(p, f);
  }
  const n = req.outputs.length;
  const sortedKeys = [...ptsToFrame.keys()];
  const byN = req.index.selectBy === 'n';
  // showinfo without checksums: they (and the per-plane mean and stdev computed with them)
  // cost ~5% of a 720p extraction's CPU, and only n and pts are read.
  const graph =
    `[0:V:0]select=${selectExpression(sortedKeys, byN ? 'n' : 'pts')},showinfo=checksum=0,split=${n}${req.outputs.map((_, k) => `[s${k}]`).join('')};` +
    req.outputs.map((o, k) => `[s${k}]${o.filter || 'null'}[o${k}]`).join(';');
  const seek = req.seek === false ? [] : seekArgs(req.index, frames[0] as number);
  let script: string | undefined;
  if (graph.length > INLINE_GRAPH_LIMIT) {
    script = join(
      tmpdir(),
      `groundwork-graph-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`,
    );
    await writeFile(script, graph);
  }
  const args = [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    '-nostdin',
    ...seek,
    // -copyts keeps the demuxer's pts in the filtergraph, the same numbers ffprobe listed.
    '-copyts',
    '-i',
    req.input,
    ...(script ? ['-filter_complex_script', script] : ['-filter_complex', graph]),
    // -vsync (not -fps_mode) so that the older ffmpeg shipped on npm understands it too.
    '-vsync',
    'passthrough',
  ];
  req.outputs.forEach((o, k) =>
    args.push(
      '-map',
      `[o${k}]`,
      '-frames:v',
      String(ptsToFrame.size),
      ...o.encode,
      k === 0 ? 'pipe:1' : `pipe:${k + 2}`,
    ),
  );

  const selected: number[] = [];
  const parts: Buffer[][] = req.outputs.map(() => []);
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  let emitted = 0;
  // Backpressure: with this many frames handed over but not yet consumed (a slow model, a
  // slow disk), stop reading ffmpeg's pipes; ffmpeg then blocks, and memory stays bounded.
  const MAX_WAITING = 8;
  let waiting = 0;
  const streams: NodeJS.ReadableStream[] = [];
  const drain = (): void => {
    while (emitted < selected.length && parts.every((q) => q.length > emitted)) {
      const i = emitted++;
      const f = ptsToFrame.get(selected[i] as number);
      const bufs = parts.map((q) => q[i] as Buffer);
      for (const q of parts) q[i] = Buffer.alloc(0); // let the image go once handed over
      if (f === undefined) continue;
      if (++waiting >= MAX_WAITING) for (const s of streams) s.pause();
      chain = chain
        .then(async () => {
          if (!failure) {
            await req.onFrame(f, bufs);
            delivered.add(f);
          }
        })
        .catch((e: unknown) => {
          failure ??= e;
        })
        .finally(() => {
          if (--waiting === MAX_WAITING >> 1) for (const s of streams) s.resume();
        });
    }
  };
  const onStderrLine = (line: string): void => {
    // showinfo sits after select, so its own `n` counts selected frames; the input frame
    // number is not printed, hence for `selectBy: 'n'` the i-th line is the i-th wanted frame.
    const m = /Parsed_showinfo[^\]]*\]\s+n:\s*(\d+)\s+pts:\s*(-?\d+)/.exec(line);
    if (m) {
      selected.push(byN ? (sortedKeys[Number(m[1])] ?? -1) : Number(m[2]));
      drain();
    }
  };
  const p = startProcess(req.ffmpegPath, args, {
    what: `decoding frames of ${req.input}`,
    extraPipes: Math.max(0, n - 1),
    ...(req.lowPriority ? { lowPriority: true } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.spawnFn ? { spawnFn: req.spawnFn } : {}),
    onStderrLine,
  });
  req.outputs.forEach((o, k) => {
    const stream = p.child.stdio[k === 0 ? 1 : k + 2] as NodeJS.ReadableStream | null;
    const splitter = o.framing.kind === 'jpeg' ? new JpegSplitter() : undefined;
    const size = o.framing.kind === 'fixed' ? o.framing.bytes : 0;
    // Chunks are joined only once a whole frame is there: joining on every 64 KB chunk
    // copied a 960x540 RGB frame ~24 times over.
    let held: Buffer[] = [];
    let heldBytes = 0;
    if (stream) streams.push(stream);
    stream?.on('data', (chunk: Buffer) => {
      try {
        if (splitter) parts[k]?.push(...splitter.push(chunk));
        else {
          held.push(chunk);
          heldBytes += chunk.length;
          if (heldBytes >= size) {
            let all = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, heldBytes);
            while (all.length >= size) {
              parts[k]?.push(Buffer.from(all.subarray(0, size)));
              all = all.subarray(size);
            }
            held = all.length ? [all] : [];
            heldBytes = all.length;
          }
        }
        drain();
      } catch (e) {
        failure ??= e;
        p.child.kill('SIGKILL');
      }
    });
  });
  try {
    const exit = await p.done;
    drain();
    await chain;
    if (failure) throw failure;
    if (exit.code !== 0 && delivered.size < ptsToFrame.size) {
      throw new VideoError(
        'ffmpeg-failed',
        `ffmpeg could not decode ${req.input}: ${ffmpegReason(exit.stderr, req.input)}`,
        req.input,
      );
    }
    return delivered;
  } finally {
    await chain.catch(() => undefined);
    if (script) await rm(script, { force: true });
  }
}
