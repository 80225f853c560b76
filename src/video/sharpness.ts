/**
 * Sharpness of a frame as the variance of its Laplacian (Pech-Pacheco et al. 2000; the
 * usual blur measure), on a grey image downscaled to at most 256 px on its long side so
 * that scores from different resolutions are comparable and cost ~1 ms per frame.
 */
import { sharpness } from '../core/suggest/frameScore';

/** Long side of the grey image the score is computed on. */
export const SHARPNESS_SIDE = 256;

/** Size of the grey image for a displayed `width` x `height` frame (never upscaled). */
export function sharpnessSize(width: number, height: number): { width: number; height: number } {
  const k = Math.min(1, SHARPNESS_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/**
 * Variance of the 4-neighbour Laplacian over every interior pixel of an 8-bit grey image:
 * core's `sharpness` at step 1 (one definition for the cache pass and the suggestion), as a
 * flat loop. The sums are of integers below 2^53, so the result is the same double; the
 * generic version's per-pixel closure cost ~1.5 ms a frame, 2% of a cold extraction's CPU.
 */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  if (grey.length < width * height) return sharpness({ width, height, channels: 1, data: grey }, 1);
  let sum = 0;
  let sum2 = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let i = row + 1; i < row + width - 1; i++) {
      const l =
        (grey[i - 1] as number) +
        (grey[i + 1] as number) +
        (grey[i - width] as number) +
        (grey[i + width] as number) -
        4 * (grey[i] as number);
      sum += l;
      sum2 += l * l;
    }
  }
  const n = Math.max(0, width - 2) * Math.max(0, height - 2);
  if (n === 0) return 0;
  const mean = sum / n;
  return sum2 / n - mean * mean;
}
