/** Test videos made with ffmpeg in a temp folder, and an independent reference decode. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { cacheOutputs } from '../../../src/video/cachePass';
import { runFramePass } from '../../../src/video/framePass';
import type { ProbeIndex } from '../../../src/video/probeParse';

/** ffmpeg/ffprobe used to make fixtures (Debian's, or whatever is on PATH). */
export const FFMPEG = existsSync('/usr/bin/ffmpeg') ? '/usr/bin/ffmpeg' : 'ffmpeg';

/** The shared assets folder, and the skip reason when it is absent. */
export const ASSETS = resolve(process.cwd(), '..', 'shared', 'assets');
export const assetsSkip: string | false = existsSync(join(ASSETS, 'videos', 'bedroom.mp4'))
  ? false
  : 'needs ../shared/assets (absent)';

/** A fresh temp folder; `cleanup` removes it. */
export function tempDir(prefix = 'gw-video-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs ffmpeg with `args` (quiet, overwrite) and returns `out`. */
export function ffmpeg(args: readonly string[], out: string): string {
  execFileSync(FFMPEG, ['-v', 'error', '-y', ...args, out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return out;
}

/**
 * A lavfi source whose frame N is grey level 20 + step*N with a white block in the top-left
 * quarter, so that every frame is identifiable and a rotation moves the block.
 */
export function indexedSource(
  w: number,
  h: number,
  rate: number,
  frames: number,
  step = 6,
): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${w}x${h}:r=${rate},format=yuv444p,geq=lum='if(lt(X\\,W/4)*lt(Y\\,H/4)\\,235\\,20+${step}*mod(N\\,${Math.floor(200 / step)}))':cb=128:cr=128`,
    '-frames:v',
    String(frames),
  ];
}

/** A reference decode: every frame (passthrough, copyts) as grey at w x h, with its pts. */
export interface Reference {
  readonly pts: number[];
  readonly timeBase: [number, number];
  readonly frames: Buffer[];
  readonly width: number;
  readonly height: number;
}

/** Decodes every frame of `path` independently of src/video (showinfo gives pts). */
export function referenceDecode(path: string, width: number, height: number): Reference {
  const r = spawnSync(
    FFMPEG,
    [
      '-hide_banner',
      '-nostats',
      '-loglevel',
      'info',
      '-copyts',
      '-i',
      path,
      '-map',
      '0:V:0',
      '-vf',
      `showinfo,scale=${width}:${height}:flags=area,format=gray`,
      '-fps_mode',
      'passthrough',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { maxBuffer: 1 << 30 },
  );
  const text = r.stderr.toString('utf8');
  if (r.status !== 0) throw new Error(`reference decode of ${path} failed: ${text.slice(-500)}`);
  const pts = [...text.matchAll(/showinfo[^\]]*\]\s+n:\s*\d+\s+pts:\s*(-?\d+)/g)].map((m) =>
    Number(m[1]),
  );
  const tb = /config in time_base:\s*(\d+)\/(\d+)/.exec(text);
  const size = width * height;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= r.stdout.length; o += size)
    frames.push(r.stdout.subarray(o, o + size));
  if (frames.length !== pts.length)
    throw new Error(`reference decode of ${path}: ${frames.length} frames but ${pts.length} pts`);
  return { pts, timeBase: [Number(tb?.[1] ?? 1), Number(tb?.[2] ?? 1)], frames, width, height };
}

/** Reference answer of the DESIGN.md rule: for each n, the first frame with t >= t0 + n/fps. */
export function expectedSampled(ref: Reference, fps: number): number[] {
  const t = (i: number): number => ((ref.pts[i] as number) * ref.timeBase[0]) / ref.timeBase[1];
  const t0 = t(0);
  const out: number[] = [];
  for (let n = 0; ; n++) {
    let i = 0;
    while (i < ref.pts.length && t(i) - t0 < n / fps - 1e-9) i++;
    if (i === ref.pts.length) return out;
    out.push(i);
  }
}

/** Decodes an image file to grey at w x h (for comparing a cached JPEG with the reference). */
export function imageGrey(path: string, width: number, height: number): Buffer {
  return execFileSync(
    FFMPEG,
    [
      '-v',
      'error',
      '-i',
      path,
      '-vf',
      `scale=${width}:${height}:flags=area,format=gray`,
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { maxBuffer: 1 << 28, encoding: 'buffer' },
  );
}

/** Mean absolute difference of two grey images. */
export function mad(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
}

/** The reference frame closest to `grey`, with its distance and the runner-up's. */
export function closestFrame(
  ref: Reference,
  grey: Uint8Array,
): { index: number; best: number; second: number } {
  const d = ref.frames.map((f) => mad(f, grey));
  let index = 0;
  d.forEach((v, i) => {
    if (v < (d[index] as number)) index = i;
  });
  const second = Math.min(
    ...d.filter(
      (_, i) => i !== index && mad(ref.frames[i] as Buffer, ref.frames[index] as Buffer) > 0.5,
    ),
    Infinity,
  );
  return { index, best: d[index] as number, second };
}

/** Frame `frame`'s bytes, output by output, from an ordinary pass: what a faster path must equal. */
export async function ordinaryPassBytes(
  ffmpegPath: string,
  input: string,
  index: ProbeIndex,
  outputs: ReturnType<typeof cacheOutputs>,
  frame: number,
): Promise<Buffer[] | undefined> {
  const plain: Buffer[][] = [];
  await runFramePass({
    ffmpegPath,
    input,
    index,
    frames: [frame],
    outputs,
    onFrame: (_, p) => void plain.push([...p]),
  });
  return plain[0];
}
