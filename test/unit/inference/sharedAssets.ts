/** The shared real assets (../shared beside the repo) and ffmpeg frame decoding for real-model tests. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RgbImage } from '../../../src/inference/image';

/** The repository root (tests run from it, but resolve from this file to be safe). */
export const REPO = resolve(__dirname, '..', '..', '..');
/** The real YOLOX-nano beside the repository. */
export const YOLOX_PATH = join(REPO, '..', 'shared', 'models', 'yolox_nano_416.onnx');
/** Two children jumping on a bed, 960x540, 200 frames. */
export const BEDROOM = join(REPO, '..', 'shared', 'assets', 'videos', 'bedroom.mp4');
/** The ffmpeg the tests use. */
export const FFMPEG = existsSync('/usr/bin/ffmpeg') ? '/usr/bin/ffmpeg' : 'ffmpeg';

/** Why real-asset tests cannot run here, or undefined when they can. */
export function missingAssets(...paths: string[]): string | undefined {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) return `real assets absent: ${missing.join(', ')}`;
  try {
    execFileSync(FFMPEG, ['-version'], { stdio: 'ignore' });
  } catch {
    return `ffmpeg not found (${FFMPEG})`;
  }
  return undefined;
}

/** Decodes the frame at `seconds` as raw RGB through ffmpeg. */
export function decodeFrame(
  video: string,
  seconds: number,
  width: number,
  height: number,
): RgbImage {
  const data = execFileSync(
    FFMPEG,
    [
      '-loglevel',
      'error',
      '-ss',
      String(seconds),
      '-i',
      video,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { maxBuffer: width * height * 3 + 1024 },
  );
  if (data.length !== width * height * 3)
    throw new Error(`ffmpeg gave ${data.length} bytes for a ${width}x${height} frame`);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
