/**
 * Sharpness of a thumbnail in the browser, for frame-list samples (the video layer scores
 * video frames itself): variance of the Laplacian on a 96-pixel-wide grey copy. Only the
 * ranking matters; the filmstrip normalises by the sharpest frame.
 */

const W = 96;

/** Variance of the Laplacian of `img`, or undefined when the pixels cannot be read (tainted canvas). */
export function laplacianVariance(img: HTMLImageElement): number | undefined {
  if (!img.naturalWidth || !img.naturalHeight) return undefined;
  const w = W;
  const hgt = Math.max(3, Math.round((img.naturalHeight / img.naturalWidth) * W));
  const c = document.createElement('canvas');
  c.width = w;
  c.height = hgt;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) return undefined;
  ctx.drawImage(img, 0, 0, w, hgt);
  let data: Uint8ClampedArray;
  try {
    data = ctx.getImageData(0, 0, w, hgt).data;
  } catch {
    return undefined;
  }
  const g = new Float32Array(w * hgt);
  for (let i = 0; i < w * hgt; i++)
    g[i] =
      0.299 * (data[i * 4] as number) +
      0.587 * (data[i * 4 + 1] as number) +
      0.114 * (data[i * 4 + 2] as number);
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = 1; y < hgt - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v =
        (g[i - 1] as number) +
        (g[i + 1] as number) +
        (g[i - w] as number) +
        (g[i + w] as number) -
        4 * (g[i] as number);
      sum += v;
      sum2 += v * v;
      n++;
    }
  }
  if (!n) return undefined;
  const mean = sum / n;
  return sum2 / n - mean * mean;
}
