/**
 * Sharpness of a frame as the variance of its Laplacian (Pech-Pacheco et al. 2000; the
 * usual blur measure), on a grey image downscaled to at most 256 px on its long side so
 * that scores from different resolutions are comparable and cost ~1 ms per frame.
 */

/** Long side of the grey image the score is computed on. */
export const SHARPNESS_SIDE = 256;

/** Size of the grey image for a displayed `width` x `height` frame (never upscaled). */
export function sharpnessSize(width: number, height: number): { width: number; height: number } {
  const k = Math.min(1, SHARPNESS_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/** Variance of the 4-neighbour Laplacian over the interior pixels of an 8-bit grey image. */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const v = (grey[i - 1] as number) + (grey[i + 1] as number) + (grey[i - width] as number) + (grey[i + width] as number) - 4 * (grey[i] as number);
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
