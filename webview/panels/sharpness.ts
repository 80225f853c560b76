/**
 * Sharpness of a thumbnail in the browser, for frame-list samples (the video layer scores
 * video frames itself): variance of the Laplacian on a 96-pixel-wide grey copy. Only the
 * ranking matters; the filmstrip normalises by the sharpest frame.
 */

const THUMB_WIDTH = 96;

/** Variance of the Laplacian of `img`, or undefined when the pixels cannot be read (tainted canvas). */
export function laplacianVariance(img: HTMLImageElement): number | undefined {
  if (!img.naturalWidth || !img.naturalHeight) return undefined;
  const width = THUMB_WIDTH;
  const height = Math.max(3, Math.round((img.naturalHeight / img.naturalWidth) * THUMB_WIDTH));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return undefined;
  ctx.drawImage(img, 0, 0, width, height);
  let data: Uint8ClampedArray;
  try {
    data = ctx.getImageData(0, 0, width, height).data;
  } catch {
    return undefined;
  }
  const gray = new Float32Array(width * height);
  for (let index = 0; index < width * height; index++)
    gray[index] =
      0.299 * (data[index * 4] as number) +
      0.587 * (data[index * 4 + 1] as number) +
      0.114 * (data[index * 4 + 2] as number);
  let sum = 0;
  let sum2 = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const index = y * width + x;
      const laplacian =
        (gray[index - 1] as number) +
        (gray[index + 1] as number) +
        (gray[index - width] as number) +
        (gray[index + width] as number) -
        4 * (gray[index] as number);
      sum += laplacian;
      sum2 += laplacian * laplacian;
      count++;
    }
  }
  if (!count) return undefined;
  const mean = sum / count;
  return sum2 / count - mean * mean;
}
