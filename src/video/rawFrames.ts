/**
 * Raw RGB pixels for the models: any single frame of a video (by source frame number or by
 * time, exact by the same pts rule as sampling), or any image file (a cached JPEG, a
 * frame-list image), decoded by ffmpeg to `rgb24` at the size the model asks for.
 */
import { frameAtTime, frameTime } from './frameSampling';
import { runFramePass } from './framePass';
import { orientationFilter, readImageHeader } from './imageHeader';
import { probeVideo } from './probeIndex';
import type { ProbeIndex } from './probeParse';
import { runToEnd } from './processRunner';
import { resolveVideoSettings } from './videoSettings';
import type { VideoSettings } from './videoSettings';
import { VideoError, ffmpegReason } from './videoError';

/** Packed RGB, 3 bytes per pixel, rows top to bottom, `width * height * 3` bytes. */
export interface RgbFrame {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** A frame of a video: its number in the source (0-based, pts order) or seconds after the first frame. */
export type FrameRef = { readonly frame: number } | { readonly time: number };

/** A requested output size; omitted = the displayed size of the frame. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/** Resolves a FrameRef to a source frame number, checking range. */
export function sourceFrameOf(index: ProbeIndex, at: FrameRef, path: string): number {
  if ('frame' in at) {
    if (!Number.isInteger(at.frame) || at.frame < 0 || at.frame >= index.pts.length) {
      throw new VideoError(
        'bad-request',
        `frame ${String(at.frame)} is out of range for ${path} (it has ${index.pts.length} frames)`,
        path,
      );
    }
    return at.frame;
  }
  if (!Number.isFinite(at.time) || at.time < 0)
    throw new VideoError('bad-request', `time must be >= 0 seconds, got ${String(at.time)}`, path);
  return frameAtTime(index, at.time);
}

function checkSize(size: FrameSize): void {
  if (
    !Number.isInteger(size.width) ||
    !Number.isInteger(size.height) ||
    size.width < 1 ||
    size.height < 1 ||
    size.width * size.height > 64e6
  ) {
    throw new VideoError(
      'bad-request',
      `bad frame size ${String(size.width)}x${String(size.height)}`,
    );
  }
}

function rgbOutput(size: FrameSize): {
  filter: string;
  encode: string[];
  framing: { kind: 'fixed'; bytes: number };
} {
  return {
    filter: `scale=${size.width}:${size.height}:flags=bilinear,format=rgb24`,
    encode: ['-f', 'rawvideo', '-pix_fmt', 'rgb24'],
    framing: { kind: 'fixed', bytes: size.width * size.height * 3 },
  };
}

/**
 * One frame of `video` as RGB at `size` (default: displayed size), with its identity.
 * Seeks to the key frame before it (`-ss` before `-i`) and selects the exact pts.
 */
export async function readRgbFrame(
  video: string,
  at: FrameRef,
  size?: FrameSize,
  settings: VideoSettings & { signal?: AbortSignal; lowPriority?: boolean } = {},
): Promise<RgbFrame & { sourceFrame: number; time: number }> {
  const s = resolveVideoSettings(settings);
  const index = await probeVideo(video, {
    ffprobePath: s.ffprobePath,
    cacheDir: s.cacheDir,
    ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
  });
  const sourceFrame = sourceFrameOf(index, at, video);
  const out = size ?? { width: index.width, height: index.height };
  checkSize(out);
  let data: Uint8Array | undefined;
  await runFramePass({
    ffmpegPath: s.ffmpegPath,
    input: video,
    index,
    frames: [sourceFrame],
    outputs: [rgbOutput(out)],
    ...(settings.lowPriority ? { lowPriority: true } : {}),
    ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
    onFrame: (_f, [buf]) => {
      data = buf ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : undefined;
    },
  });
  if (!data)
    throw new VideoError(
      'ffmpeg-failed',
      `ffmpeg produced no image for frame ${sourceFrame} of ${video}; the file may be truncated or damaged`,
      video,
    );
  return {
    data,
    width: out.width,
    height: out.height,
    sourceFrame,
    time: frameTime(index, sourceFrame),
  };
}

/**
 * Many frames of `video` as RGB in one decode pass (prelabel): `onFrame` receives them in
 * pts order as they are decoded; a slow `onFrame` slows ffmpeg down instead of piling up
 * frames in memory. Duplicate refs are delivered once.
 */
export async function readRgbFrames(
  video: string,
  at: readonly FrameRef[],
  size: FrameSize | undefined,
  onFrame: (frame: RgbFrame & { sourceFrame: number; time: number }) => Promise<void> | void,
  settings: VideoSettings & { signal?: AbortSignal } = {},
): Promise<void> {
  const s = resolveVideoSettings(settings);
  const index = await probeVideo(video, {
    ffprobePath: s.ffprobePath,
    cacheDir: s.cacheDir,
    ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
  });
  const frames = at.map((r) => sourceFrameOf(index, r, video));
  const out = size ?? { width: index.width, height: index.height };
  checkSize(out);
  const got = await runFramePass({
    ffmpegPath: s.ffmpegPath,
    input: video,
    index,
    frames,
    outputs: [rgbOutput(out)],
    ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
    onFrame: (f, [buf]) =>
      onFrame({
        data: new Uint8Array(
          (buf as Buffer).buffer,
          (buf as Buffer).byteOffset,
          (buf as Buffer).byteLength,
        ),
        width: out.width,
        height: out.height,
        sourceFrame: f,
        time: frameTime(index, f),
      }),
  });
  const missing = [...new Set(frames)].filter((f) => !got.has(f));
  if (missing.length)
    throw new VideoError(
      'ffmpeg-failed',
      `ffmpeg produced no image for frame ${missing.slice(0, 5).join(', ')} of ${video}; the file may be truncated or damaged`,
      video,
    );
}

/**
 * Any JPEG or PNG (a cached frame, a frame-list image) as RGB at `size` (default: its
 * displayed size), with its EXIF orientation applied as a browser would show it.
 */
export async function readImageRgb(
  path: string,
  size?: FrameSize,
  settings: VideoSettings & { signal?: AbortSignal } = {},
): Promise<RgbFrame> {
  const s = resolveVideoSettings(settings);
  const header = await readImageHeader(path);
  const out = size ?? { width: header.width, height: header.height };
  checkSize(out);
  const o = rgbOutput(out);
  // -noautorotate: newer ffmpeg builds read EXIF orientation themselves; apply it once, here.
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-noautorotate',
    '-i',
    path,
    '-frames:v',
    '1',
    '-vf',
    `${orientationFilter(header.orientation)},${o.filter}`,
    ...o.encode,
    'pipe:1',
  ];
  const r = await runToEnd(s.ffmpegPath, args, {
    what: `decoding ${path}`,
    ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    ...(settings.signal ? { signal: settings.signal } : {}),
    timeoutMs: 60_000,
  });
  if (r.code !== 0 || r.stdout.length !== o.framing.bytes) {
    throw new VideoError(
      'unreadable',
      `Cannot decode image ${path}: ${r.code !== 0 ? ffmpegReason(r.stderr, path) : `got ${r.stdout.length} bytes, expected ${o.framing.bytes}`}`,
      path,
    );
  }
  return {
    data: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength),
    width: out.width,
    height: out.height,
  };
}
