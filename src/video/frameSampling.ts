/**
 * The frame index rule of DESIGN.md section 1, in exact integer arithmetic: sampled frame n
 * is the first frame whose pts >= start + n / fps, start being the first frame's pts.
 * Floats would misplace frames that sit exactly on a sampling instant (1.0 s at 2 fps).
 */
import { VideoError } from './videoError';

/** The subset of the probe index that frame selection reads. */
export interface FrameTimes {
  readonly timeBase: readonly [number, number];
  /** Sorted presentation timestamps in time-base units. */
  readonly pts: readonly number[];
}

/** `fps` as a fraction p/q (q <= 1e6), so 29.97 and 2 are both exact. */
export function fpsFraction(fps: number): [bigint, bigint] {
  if (!Number.isFinite(fps) || fps <= 0)
    throw new VideoError('bad-request', `fps must be a positive number, got ${String(fps)}`);
  // Continued fraction expansion; stops once the fraction reproduces the double.
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let x = fps;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(x);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > 1e6) {
      [h1, k1] = [h0, k0];
      break;
    }
    if (Math.abs(h1 / k1 - fps) <= Number.EPSILON * fps || x === a) break;
    x = 1 / (x - a);
  }
  return [BigInt(h1), BigInt(k1)];
}

// A sampled list this long means a nonsense fps or timestamps; refuse rather than eat memory.
const MAX_SAMPLES = 5_000_000;

/**
 * Source frame numbers of the sampled frames: entry n is the index into `pts` of sampled
 * frame n. Several entries can name the same source frame when the video has gaps.
 */
export function sampledSourceFrames(times: FrameTimes, fps: number): number[] {
  const { pts } = times;
  if (pts.length === 0) return [];
  const [p, q] = fpsFraction(fps);
  const [tbNum, tbDen] = [BigInt(times.timeBase[0]), BigInt(times.timeBase[1])];
  const start = BigInt(pts[0] as number);
  // (pts_i - start) * tbNum / tbDen >= n * q / p  <=>  (pts_i - start) * tbNum * p >= n * q * tbDen
  const lhs = (i: number): bigint => (BigInt(pts[i] as number) - start) * tbNum * p;
  const step = q * tbDen;
  const last = lhs(pts.length - 1);
  const count = last / step + 1n;
  if (count > BigInt(MAX_SAMPLES))
    throw new VideoError(
      'bad-request',
      `${count} sampled frames at ${fps} fps is too many (limit ${MAX_SAMPLES})`,
    );
  const out: number[] = [];
  let i = 0;
  for (let n = 0n; n < count; n++) {
    const target = n * step;
    while (lhs(i) < target) i++;
    out.push(i);
  }
  return out;
}

/**
 * The frame at `seconds` after the first frame, by the same rule as sampling (first frame
 * whose pts >= start + seconds), so `{time: n / fps}` names sampled frame n exactly.
 * Times past the last frame give the last frame.
 */
export function frameAtTime(times: FrameTimes, seconds: number): number {
  const { pts } = times;
  if (pts.length === 0) throw new VideoError('bad-request', 'the video has no frames');
  const start = pts[0] as number;
  // Ticks, rounded up: the smallest pts whose time is >= seconds (within float rounding).
  const ticks = start + Math.ceil((seconds * times.timeBase[1]) / times.timeBase[0] - 1e-9);
  let lo = 0;
  let hi = pts.length - 1;
  if ((pts[hi] as number) < ticks) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pts[mid] as number) >= ticks) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Seconds from the first frame to source frame `i`. */
export function frameTime(times: FrameTimes, i: number): number {
  const first = times.pts[0] ?? 0;
  return (((times.pts[i] ?? first) - first) * times.timeBase[0]) / times.timeBase[1];
}

/** The last key frame at or before source frame `i` (0 when none is listed). */
export function keyFrameAtOrBefore(keyFrames: readonly number[], i: number): number {
  let lo = 0;
  let hi = keyFrames.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keyFrames[mid] as number;
    if (k <= i) {
      best = k;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
