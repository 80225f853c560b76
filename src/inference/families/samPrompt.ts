/** Prompts and mask read-back shared by the SAM and SAM 2 families. */
import type { Box, Mask } from '../../core/mask';
import { sampleBilinear } from '../image';

/** A click in source pixels: positive adds to the mask, negative removes. */
export interface Click {
  readonly x: number;
  readonly y: number;
  readonly positive: boolean;
}

/** What the annotator gave: clicks and/or a box, in source pixels. */
export interface SegmentPrompt {
  readonly clicks?: readonly Click[];
  readonly box?: Box;
  /** A previous reply's `lowResMask` (256x256 logits), to refine that mask rather than start over. */
  readonly maskInput?: Float32Array;
}

/** The side of SAM's low-resolution mask logits (`low_res_masks`, `mask_input`). */
export const LOW_RES_SIZE = 256;

/** Maps source pixels to the model's 1024 input space (per axis). */
export interface ModelScale {
  readonly sx: number;
  readonly sy: number;
}

/**
 * SAM's ONNX point encoding: clicks with label 1 / 0, a box as two corners labelled 2 and
 * 3, and, when there is no box, a padding point (0, 0) labelled -1 (as SamPredictor's
 * ONNX example does; the decoder was exported expecting it).
 */
export function encodePrompt(
  prompt: SegmentPrompt,
  scale: ModelScale,
): { coords: Float32Array; labels: Float32Array; count: number } {
  const pts: [number, number, number][] = [];
  for (const c of prompt.clicks ?? [])
    pts.push([c.x * scale.sx, c.y * scale.sy, c.positive ? 1 : 0]);
  if (prompt.box) {
    const [x1, y1, x2, y2] = prompt.box;
    pts.push([x1 * scale.sx, y1 * scale.sy, 2], [x2 * scale.sx, y2 * scale.sy, 3]);
  } else {
    pts.push([0, 0, -1]);
  }
  if (pts.length === 1) throw new Error('a segment prompt needs at least one click or a box');
  const coords = new Float32Array(pts.length * 2),
    labels = new Float32Array(pts.length);
  pts.forEach(([x, y, l], i) => {
    coords[2 * i] = x;
    coords[2 * i + 1] = y;
    labels[i] = l;
  });
  return { coords, labels, count: pts.length };
}

/** Index of the highest predicted IoU (the mask SAM itself rates best). */
export function bestMaskIndex(iou: Float32Array): number {
  let best = 0;
  for (let i = 1; i < iou.length; i++) if ((iou[i] as number) > (iou[best] as number)) best = i;
  return best;
}

/**
 * Reads mask `index` of a [1, n, h, w] logits tensor back into source pixels. When the
 * decoder already returned frame-sized masks (SAM's export with `orig_im_size`) they are
 * thresholded as they are; otherwise they are low-resolution logits over the model's
 * `modelSize` square and each frame pixel's centre is mapped into them and sampled
 * bilinearly, which folds SAM's upscale, crop and resize into one pass.
 */
export function logitsToMask(
  logits: Float32Array,
  dims: readonly number[],
  index: number,
  frame: { width: number; height: number },
  scale: ModelScale,
  modelSize = 1024,
): Mask {
  const h = dims[dims.length - 2] as number,
    w = dims[dims.length - 1] as number;
  const plane = logits.subarray(index * w * h, (index + 1) * w * h);
  const data = new Uint8Array(frame.width * frame.height);
  if (w === frame.width && h === frame.height) {
    for (let i = 0; i < data.length; i++) data[i] = (plane[i] as number) > 0 ? 1 : 0;
    return { width: frame.width, height: frame.height, data };
  }
  const gx = w / modelSize,
    gy = h / modelSize;
  for (let y = 0; y < frame.height; y++) {
    const t = (y + 0.5) * scale.sy * gy - 0.5;
    for (let x = 0; x < frame.width; x++) {
      const s = (x + 0.5) * scale.sx * gx - 0.5;
      data[y * frame.width + x] = sampleBilinear(plane, w, h, s, t) > 0 ? 1 : 0;
    }
  }
  return { width: frame.width, height: frame.height, data };
}
