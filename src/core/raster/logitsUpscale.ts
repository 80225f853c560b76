/**
 * SAM's mask post-processing done once, at the frame's size, straight from the decoder's
 * 256x256 low-resolution logits: each frame pixel's centre is mapped into the logits grid
 * and sampled bilinearly (the decoder's own 256 -> 1024 upscale, crop and resize folded
 * into one pass), thresholded at 0, and read column by column so the COCO run lengths, the
 * tight box and the area come out of the same pass. The decoder then need not build a
 * 1920x1080 float mask, and nobody walks a row-major mask in column order (a stride of one
 * frame row per read) to encode it.
 */
import type { Box, Mask } from '../mask';

/** The mask at the frame's size with what the worker replies: run lengths, box and area. */
export interface UpscaledMask {
  readonly mask: Mask;
  /** COCO run lengths, column-major, starting with a (possibly empty) 0-run. */
  readonly counts: number[];
  /** The tight box (pixel edges, as maskToBox), absent when the mask is empty. */
  readonly box?: Box;
  readonly area: number;
}

/** Where one frame coordinate falls in the logits grid: the two cells and the weight of the second. */
interface Taps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly frac: Float64Array;
}

/**
 * Grid taps of `count` frame pixels, clamped as sampleBilinear does; the arithmetic is
 * logitsToMask's, in the same order, so both give the same bits.
 */
function taps(count: number, scale: number, grid: number, side: number): Taps {
  const lo = new Int32Array(count),
    hi = new Int32Array(count),
    frac = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const s = Math.min(Math.max((i + 0.5) * scale * grid - 0.5, 0), side - 1);
    const l = Math.floor(s);
    lo[i] = l;
    hi[i] = Math.min(l + 1, side - 1);
    frac[i] = s - l;
  }
  return { lo, hi, frac };
}

/**
 * Upscales square logits of `side` x `side` over the model's `modelSize` input square to a
 * `frame` whose pixels are `scale` model pixels each (SAM: 1024 / longest side), as
 * `logitsToMask` does pixel by pixel, with the same result.
 */
export function upscaleLogits(
  logits: Float32Array,
  side: number,
  frame: { readonly width: number; readonly height: number },
  scale: number,
  modelSize = 1024,
): UpscaledMask {
  const { width, height } = frame;
  const grid = side / modelSize;
  const xs = taps(width, scale, grid, side),
    ys = taps(height, scale, grid, side);
  const data = new Uint8Array(width * height);
  // Float64: a float32 column would round the interpolated values and flip pixels at 0.
  const column = new Float64Array(side);
  const counts: number[] = [];
  let current = 0,
    run = 0,
    area = 0;
  let minX = width,
    minY = height,
    maxX = -1,
    maxY = -1;
  // Frame rows grouped by the grid row above them (ys.lo never decreases): where a group's
  // two grid values have one sign, every row between them has it too (a convex blend), so
  // only groups that straddle the 0 level are interpolated pixel by pixel.
  const groups: number[] = [0];
  for (let y = 1; y < height; y++) if (ys.lo[y] !== ys.lo[y - 1]) groups.push(y);
  groups.push(height);
  const rows = Math.min(side, (ys.hi[height - 1] as number) + 1);
  const paint = (x: number, from: number, to: number, bit: number): void => {
    if (bit !== current) {
      counts.push(run);
      run = 0;
      current = bit;
    }
    run += to - from;
    if (!bit) return;
    for (let y = from; y < to; y++) data[y * width + x] = 1;
    area += to - from;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (from < minY) minY = from;
    if (to - 1 > maxY) maxY = to - 1;
  };
  for (let x = 0; x < width; x++) {
    const x0 = xs.lo[x] as number,
      x1 = xs.hi[x] as number,
      fx = xs.frac[x] as number;
    // Horizontal pass once per frame column, over the grid rows this frame reaches.
    for (let r = 0; r < rows; r++) {
      column[r] =
        (logits[r * side + x0] as number) * (1 - fx) + (logits[r * side + x1] as number) * fx;
    }
    for (let g = 0; g + 1 < groups.length; g++) {
      const from = groups[g] as number,
        to = groups[g + 1] as number;
      const top = column[ys.lo[from] as number] as number,
        bottom = column[ys.hi[from] as number] as number;
      if (top > 0 === bottom > 0) {
        paint(x, from, to, top > 0 ? 1 : 0);
        continue;
      }
      for (let y = from; y < to; y++) {
        const fy = ys.frac[y] as number;
        paint(x, y, y + 1, top * (1 - fy) + bottom * fy > 0 ? 1 : 0);
      }
    }
  }
  counts.push(run);
  return {
    mask: { width, height, data },
    counts,
    area,
    ...(maxX >= 0 ? { box: [minX, minY, maxX + 1, maxY + 1] as Box } : {}),
  };
}
