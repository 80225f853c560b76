/** The `yolox` family: letterbox pre-processing, grid decoding at strides 8/16/32, class-wise NMS. */
import type { Box } from '../../core/mask';
import type { Detection } from '../../core/suggest/boxMatch';
import { boxIou } from '../../core/mask';
import type { RgbImage } from '../image';
import { assertRgb, resizeToPlanar } from '../image';

/** YOLOX pads the letterbox with this grey (its `preproc`). */
export const YOLOX_PAD = 114;

/** YOLOX's output strides; anchors are listed stride by stride, row by row. */
export const YOLOX_STRIDES: readonly number[] = [8, 16, 32];

/** A letterboxed input tensor and the scale that maps it back to source pixels. */
export interface LetterboxTensor {
  readonly data: Float32Array;
  readonly dims: readonly [1, 3, number, number];
  /** input pixels per source pixel. */
  readonly ratio: number;
}

/** Thresholds of the post-processing. */
export interface YoloxOptions {
  /** objectness x class score below which a box is dropped (YOLOX's demo uses 0.1-0.3). */
  readonly scoreThreshold?: number;
  /** IoU above which the lower-scored box of the same class is suppressed. */
  readonly nmsThreshold?: number;
  /** Keep at most this many boxes. */
  readonly maxDetections?: number;
}

/**
 * YOLOX's `preproc`: scale by r = min(size/h, size/w), bilinear, top-left in a square of
 * grey 114, channels B, G, R, values 0-255 (no normalisation). `out` may be reused.
 */
export function letterbox(image: RgbImage, size: number, out?: Float32Array): LetterboxTensor {
  assertRgb(image);
  const plane = size * size;
  const data = out && out.length === 3 * plane ? out : new Float32Array(3 * plane);
  data.fill(YOLOX_PAD);
  const ratio = Math.min(size / image.height, size / image.width);
  const w = Math.max(1, Math.floor(image.width * ratio)),
    h = Math.max(1, Math.floor(image.height * ratio));
  resizeToPlanar(image, w, h, data, size, plane, [2, 1, 0]);
  return { data, dims: [1, 3, size, size], ratio };
}

/** Grid cell (x, y) and stride of every anchor for a square input, in YOLOX's output order. */
export function yoloxGrid(size: number): { gx: Int32Array; gy: Int32Array; stride: Int32Array } {
  const n = YOLOX_STRIDES.reduce((a, s) => a + (size / s) ** 2, 0);
  const gx = new Int32Array(n),
    gy = new Int32Array(n),
    stride = new Int32Array(n);
  let i = 0;
  for (const s of YOLOX_STRIDES) {
    const cells = size / s;
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        gx[i] = x;
        gy[i] = y;
        stride[i] = s;
        i++;
      }
    }
  }
  return { gx, gy, stride };
}

/** Greedy non-maximum suppression within each label; input order does not matter. */
export function classwiseNms(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.some((k) => k.label === d.label && boxIou(k.box, d.box) > iouThreshold)) continue;
    kept.push(d);
  }
  return kept;
}

/**
 * Decodes the raw [1, anchors, 5 + classes] output: centre = (offset + cell) x stride,
 * size = exp(log-size) x stride, score = objectness x best class score (both already
 * sigmoid-activated in YOLOX's ONNX export), then divides by the letterbox ratio and
 * clips to the frame so that boxes are in source pixels.
 */
export function decodeYolox(
  output: Float32Array,
  inputSize: number,
  ratio: number,
  frame: { width: number; height: number },
  labels: readonly string[],
  options: YoloxOptions = {},
): Detection[] {
  const scoreThreshold = options.scoreThreshold ?? 0.25;
  const grid = yoloxGrid(inputSize);
  const n = grid.gx.length;
  const stride = 5 + labels.length;
  if (output.length !== n * stride) {
    throw new Error(
      `yolox output has ${output.length} values, expected [1,${n},${stride}] for a ${inputSize} input and ${labels.length} labels`,
    );
  }
  const candidates: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    const objectness = output[o + 4] as number;
    if (objectness < scoreThreshold) continue;
    let best = 0,
      bestScore = -1;
    for (let c = 0; c < labels.length; c++) {
      const s = output[o + 5 + c] as number;
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    const score = objectness * bestScore;
    if (score < scoreThreshold) continue;
    const s = grid.stride[i] as number;
    const cx = ((output[o] as number) + (grid.gx[i] as number)) * s;
    const cy = ((output[o + 1] as number) + (grid.gy[i] as number)) * s;
    const w = Math.exp(output[o + 2] as number) * s,
      h = Math.exp(output[o + 3] as number) * s;
    const box: Box = [
      clamp((cx - w / 2) / ratio, frame.width),
      clamp((cy - h / 2) / ratio, frame.height),
      clamp((cx + w / 2) / ratio, frame.width),
      clamp((cy + h / 2) / ratio, frame.height),
    ];
    candidates.push({ box, score, label: labels[best] as string });
  }
  return classwiseNms(candidates, options.nmsThreshold ?? 0.45).slice(
    0,
    options.maxDetections ?? 100,
  );
}

function clamp(v: number, max: number): number {
  return Math.min(Math.max(v, 0), max);
}
