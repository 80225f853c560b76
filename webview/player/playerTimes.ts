/**
 * Where the player's clock meets the probe index. The `<video>` element is for watching only:
 * which frame gets annotated is always a sampled frame of the probe index (its `time`), so a
 * pause or a scrub maps the clock to the nearest sampled frame and never names a frame itself.
 */
import type { FrameRef } from '../../src/protocol/snapshot';

/** The probe index's time of each sampled frame (seconds from the first frame). */
export function sampledTimes(frames: readonly FrameRef[], fps: number | undefined): number[] {
  // A frame without a time (not probed yet) is placed by the sampling rate, never skipped,
  // so tick n is always frame n.
  const step = 1 / Math.max(0.01, fps ?? 2);
  return frames.map((frame, index) => frame.time ?? index * step);
}

/** The sampled frame nearest to `time` (the earlier one on a tie); -1 for no frames. */
export function nearestSampledFrame(times: readonly number[], time: number): number {
  if (!times.length) return -1;
  let lo = 0;
  let hi = times.length - 1;
  // The last frame at or before `time`, by bisection (times grow with the index).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as number) <= time) lo = mid;
    else hi = mid - 1;
  }
  const next = lo + 1;
  if (next < times.length && (times[next] as number) - time < time - (times[lo] as number))
    return next;
  return lo;
}

/** The clip's length for the timeline: the element's once known, else past the last frame. */
export function timelineDuration(
  times: readonly number[],
  elementDuration: number,
  fps: number | undefined,
): number {
  if (Number.isFinite(elementDuration) && elementDuration > 0) return elementDuration;
  const last = times[times.length - 1] ?? 0;
  return last + 1 / Math.max(0.01, fps ?? 2);
}

/** Seconds as the player shows them (`m:ss.s`). */
export function clockText(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const minutes = Math.floor(safe / 60);
  const rest = safe - minutes * 60;
  return `${minutes}:${rest.toFixed(1).padStart(4, '0')}`;
}
