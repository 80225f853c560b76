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

/** Variance of the 4-neighbour Laplacian over every interior pixel of an 8-bit grey image. */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  // One definition of sharpness for the cache pass and the frame suggestion (core).
  return sharpness({ width, height, channels: 1, data: grey }, 1);
}
