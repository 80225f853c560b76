/**
 * Fills the frame cache for a set of source frames in one ffmpeg pass: the full JPEG, the
 * filmstrip thumbnail and the sharpness score of each frame come out of the same decode.
 */
import { join } from 'node:path';
import { runFramePass } from './framePass';
import type { PassOutput } from './framePass';
import type { ProbeIndex } from './probeParse';
import type { SpawnFn } from './processRunner';
import { laplacianVariance, sharpnessSize } from './sharpness';
import { loadSharpness, saveSharpness } from './sharpnessStore';
import { ensureDir, frameFileName, videoCachePaths, writeAtomic } from './videoCache';
import { VideoError } from './videoError';

/** What a cache pass needs besides the video and the frames. */
export interface CachePassOptions {
  readonly ffmpegPath: string;
  readonly cacheDir: string;
  /** ffmpeg's mjpeg `-q:v`, 2 (best) to 31. */
  readonly quality: number;
  readonly thumbWidth: number;
  readonly spawnFn?: SpawnFn;
  readonly signal?: AbortSignal;
  /** Neighbours and the filmstrip: decoded at low OS priority beside the frame on screen. */
  readonly lowPriority?: boolean;
}

/** Thumbnail size for a displayed frame size: `thumbWidth` wide at most, aspect kept. */
export function thumbSize(
  width: number,
  height: number,
  thumbWidth: number,
): { width: number; height: number } {
  const w = Math.max(1, Math.min(thumbWidth, width));
  return { width: w, height: Math.max(1, Math.round((w * height) / width)) };
}

/** The three outputs of a cache pass for a video of displayed size `w` x `h`. */
export function cacheOutputs(
  w: number,
  h: number,
  quality: number,
  thumbWidth: number,
): PassOutput[] {
  const t = thumbSize(w, h, thumbWidth);
  const g = sharpnessSize(w, h);
  const jpeg = (q: number): string[] => ['-c:v', 'mjpeg', '-q:v', String(q), '-f', 'mjpeg'];
  return [
    { filter: 'null', encode: jpeg(quality), framing: { kind: 'jpeg' } },
    {
      filter: `scale=${t.width}:${t.height}:flags=bilinear`,
      encode: jpeg(5),
      framing: { kind: 'jpeg' },
    },
    {
      filter: `scale=${g.width}:${g.height}:flags=area,format=gray`,
      encode: ['-f', 'rawvideo', '-pix_fmt', 'gray'],
      framing: { kind: 'fixed', bytes: g.width * g.height },
    },
  ];
}

/** Where decoded frames land: thumbnail, JPEG and sharpness score of each one. */
export interface FrameStore {
  /** Writes one frame's outputs (in `cacheOutputs` order); the JPEG last, as it marks "cached". */
  put(sourceFrame: number, parts: readonly Buffer[]): Promise<void>;
  /** Saves the sharpness scores gathered since opening. */
  close(): Promise<void>;
}

/** Opens the cache of `index` for writing decoded frames. */
export async function openFrameStore(
  index: Pick<ProbeIndex, 'hash' | 'width' | 'height'>,
  opts: Pick<CachePassOptions, 'cacheDir' | 'quality' | 'thumbWidth'>,
): Promise<FrameStore> {
  const paths = videoCachePaths(opts.cacheDir, index.hash, opts.quality, opts.thumbWidth);
  await Promise.all([ensureDir(paths.jpegDir), ensureDir(paths.thumbDir)]);
  const g = sharpnessSize(index.width, index.height);
  const scores = await loadSharpness(paths.sharpness);
  let scored = 0;
  return {
    async put(f, [jpeg, thumb, grey]) {
      // Thumbnail first: once the JPEG exists the frame counts as cached.
      await writeAtomic(join(paths.thumbDir, frameFileName(f)), thumb as Buffer);
      await writeAtomic(join(paths.jpegDir, frameFileName(f)), jpeg as Buffer);
      scores.set(f, laplacianVariance(grey as Buffer, g.width, g.height));
      scored++;
    },
    async close() {
      if (scored) await saveSharpness(paths.sharpness);
    },
  };
}

/**
 * Decodes `frames` of `input` into the cache; `onFrame` fires as each one lands on disk.
 * A frame still missing after the pass (and its retry) is an error naming the file and
 * the frame numbers.
 */
export async function fillFrameCache(
  input: string,
  index: ProbeIndex,
  frames: readonly number[],
  opts: CachePassOptions,
  onFrame?: (sourceFrame: number) => void,
): Promise<void> {
  const store = await openFrameStore(index, opts);
  const outputs = cacheOutputs(index.width, index.height, opts.quality, opts.thumbWidth);
  const wanted = [...new Set(frames)];
  let got: Set<number>;
  try {
    got = await runFramePass({
      ffmpegPath: opts.ffmpegPath,
      input,
      index,
      frames: wanted,
      outputs,
      ...(opts.lowPriority ? { lowPriority: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.spawnFn ? { spawnFn: opts.spawnFn } : {}),
      onFrame: async (f, parts) => {
        await store.put(f, parts);
        onFrame?.(f);
      },
    });
  } finally {
    await store.close();
  }
  const missing = wanted.filter((f) => !got.has(f));
  if (missing.length) {
    const list =
      missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, … (${missing.length} in all)` : '');
    throw new VideoError(
      'ffmpeg-failed',
      `ffmpeg produced no image for frame ${list} of ${input}; the file may be truncated or damaged`,
      input,
    );
  }
}
