/** RGB frames as the inference layer takes them, and the resampling its families share. */

/** An 8-bit RGB frame, interleaved, row-major, in source pixels (what ffmpeg's rgb24 gives). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** width x height x 3 bytes. */
  readonly data: Uint8Array;
}

/** Checks that an image's buffer matches its size, naming both when it does not. */
export function assertRgb(image: RgbImage): void {
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width <= 0 || image.height <= 0) {
    throw new Error(`invalid image size ${image.width}x${image.height}`);
  }
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(`image buffer has ${image.data.length} bytes, expected ${image.width * image.height * 3} for ${image.width}x${image.height} RGB`);
  }
}

/**
 * Precomputed source taps for one axis of a bilinear resize with half-pixel centres
 * (OpenCV's INTER_LINEAR and PyTorch's align_corners=False), edges clamped.
 */
function taps(src: number, dst: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst), f = new Float32Array(dst);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    let s = (d + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    const a = Math.min(Math.floor(s), src - 1);
    i0[d] = a;
    i1[d] = Math.min(a + 1, src - 1);
    f[d] = s - a;
  }
  return { i0, i1, f };
}

/**
 * Bilinear resize of an RGB image into a planar float buffer: `out[c][y][x]` at
 * `out[c * plane + (y + 0) * stride + x]`, each value mapped through `map(channel, v)`.
 * Writing planar directly saves a pass and a copy per frame in the detectors.
 */
export function resizeToPlanar(
  image: RgbImage, width: number, height: number, out: Float32Array, stride: number, plane: number,
  channelOrder: readonly [number, number, number], map: (channel: number, v: number) => number,
): void {
  const xs = taps(image.width, width), ys = taps(image.height, height);
  const src = image.data, sw = image.width * 3;
  for (let y = 0; y < height; y++) {
    const r0 = (ys.i0[y] as number) * sw, r1 = (ys.i1[y] as number) * sw, fy = ys.f[y] as number;
    for (let x = 0; x < width; x++) {
      const c0 = (xs.i0[x] as number) * 3, c1 = (xs.i1[x] as number) * 3, fx = xs.f[x] as number;
      for (let k = 0; k < 3; k++) {
        const ch = channelOrder[k] as number;
        const top = (src[r0 + c0 + ch] as number) * (1 - fx) + (src[r0 + c1 + ch] as number) * fx;
        const bottom = (src[r1 + c0 + ch] as number) * (1 - fx) + (src[r1 + c1 + ch] as number) * fx;
        out[k * plane + y * stride + x] = map(k, top * (1 - fy) + bottom * fy);
      }
    }
  }
}

/** Samples a float grid bilinearly at continuous grid coordinates (pixel centres at integers), edges clamped. */
export function sampleBilinear(grid: Float32Array, gw: number, gh: number, s: number, t: number): number {
  const sx = Math.min(Math.max(s, 0), gw - 1), sy = Math.min(Math.max(t, 0), gh - 1);
  const x0 = Math.floor(sx), y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, gw - 1), y1 = Math.min(y0 + 1, gh - 1);
  const fx = sx - x0, fy = sy - y0;
  const a = grid[y0 * gw + x0] as number, b = grid[y0 * gw + x1] as number;
  const c = grid[y1 * gw + x0] as number, d = grid[y1 * gw + x1] as number;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}
