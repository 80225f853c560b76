/**
 * Truncated videos: a file cut short with its index (moov) intact still declares its full
 * duration and frame count, while only a prefix of its packets exists and decodes. The probe
 * keeps only packets that lie inside the file (probeParse.ts); comparing that with what the
 * container declares tells a short video from a cut one, and gives the decodable span.
 */
import type { ProbeIndex } from './probeParse';

/** A video whose decodable frames end before what its container declares. */
export interface TruncationNotice {
  readonly code: 'video-truncated';
  readonly declaredSeconds: number;
  readonly declaredFrames?: number;
  /** Start and end (seconds) of what decodes. */
  readonly decodableFrom: number;
  readonly decodableTo: number;
  readonly decodableFrames: number;
  /** Sampled frames the list has, and about how many the whole video would have had. */
  readonly sampledFrames?: number;
  readonly expectedSampledFrames?: number;
  readonly message: string;
}

const fmt = (s: number): string => s.toFixed(2);

/**
 * The truncation of a probed video, or undefined when what decodes matches what the
 * container declares. Tolerances: a frame or 1% of frames, and 3 frame durations or 2% of
 * the time (containers round durations, and edit lists trim a few frames legitimately).
 */
export function truncationOf(
  index: ProbeIndex,
  path: string,
  sampled?: { readonly frames: number; readonly fps: number },
): TruncationNotice | undefined {
  const decodableFrames = index.pts.length;
  const frameSeconds = index.averageFps > 0 ? 1 / index.averageFps : 0.04;
  const declaredSeconds = index.declaredDuration ?? index.duration;
  const missingFrames = (index.declaredFrames ?? decodableFrames) - decodableFrames;
  const missingSeconds = declaredSeconds - index.duration;
  const cutByFrames = missingFrames > Math.max(1, decodableFrames * 0.01);
  const cutBySeconds = missingSeconds > Math.max(3 * frameSeconds, declaredSeconds * 0.02);
  const probeSaid = index.warnings.some((w) => /truncated/.test(w));
  if (!cutByFrames && !cutBySeconds && !probeSaid) return undefined;
  const from = index.start;
  const to = index.start + index.duration;
  const expected = sampled
    ? Math.max(sampled.frames, Math.ceil(declaredSeconds * sampled.fps - 1e-6))
    : undefined;
  const declaredFrames = index.declaredFrames;
  const frames = declaredFrames ? ` (${declaredFrames} frames)` : '';
  const sampledText =
    sampled && expected !== undefined
      ? `; ${sampled.frames} of about ${expected} sampled frames at ${sampled.fps} fps`
      : '';
  return {
    code: 'video-truncated',
    declaredSeconds,
    ...(declaredFrames ? { declaredFrames } : {}),
    decodableFrom: from,
    decodableTo: to,
    decodableFrames,
    ...(sampled ? { sampledFrames: sampled.frames, expectedSampledFrames: expected } : {}),
    message:
      `${path} is truncated: the container declares ${fmt(declaredSeconds)} s${frames}, ` +
      `but only ${fmt(from)}-${fmt(to)} s (${decodableFrames} frames) decode${sampledText}`,
  };
}
