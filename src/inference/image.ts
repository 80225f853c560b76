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
  if (
    !Number.isInteger(image.width) ||
    !Number.isInteger(image.height) ||
    image.width <= 0 ||
    image.height <= 0
  ) {
    throw new Error(`invalid image size ${image.width}x${image.height}`);
  }
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(
      `image buffer has ${image.data.length} bytes, expected ${image.width * image.height * 3} for ${image.width}x${image.height} RGB`,
    );
  }
}

/**
 * Precomputed source taps for one axis of a bilinear resize with half-pixel centres
 * (OpenCV's INTER_LINEAR and PyTorch's align_corners=False), edges clamped.
 */
function taps(src: number, dst: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(dst),
    i1 = new Int32Array(dst),
    f = new Float32Array(dst);
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
 * `out[c * plane + y * stride + x]`, source channel `channelOrder[c]`, each value mapped as
 * `(v - offset[c]) * scale[c]` (normalisation folded in; identity when omitted). Writing
 * planar directly saves a pass and a copy per frame in the detectors.
 */
export function resizeToPlanar(
  image: RgbImage,
  width: number,
  height: number,
  out: Float32Array,
  stride: number,
  plane: number,
  channelOrder: readonly [number, number, number],
  offset: readonly number[] = [0, 0, 0],
  scale: readonly number[] = [1, 1, 1],
): void {
  const xs = taps(image.width, width),
    ys = taps(image.height, height);
  const src = image.data,
    sw = image.width * 3;
  const [k0, k1, k2] = channelOrder;
  const o0 = offset[0] as number,
    o1 = offset[1] as number,
    o2 = offset[2] as number;
  const m0 = scale[0] as number,
    m1 = scale[1] as number,
    m2 = scale[2] as number;
  for (let y = 0; y < height; y++) {
    const r0 = (ys.i0[y] as number) * sw,
      r1 = (ys.i1[y] as number) * sw,
      fy = ys.f[y] as number,
      gy = 1 - fy;
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const fx = xs.f[x] as number,
        gx = 1 - fx;
      const a = r0 + (xs.i0[x] as number) * 3,
        b = r0 + (xs.i1[x] as number) * 3;
      const c = r1 + (xs.i0[x] as number) * 3,
        d = r1 + (xs.i1[x] as number) * 3;
      const w00 = gx * gy,
        w01 = fx * gy,
        w10 = gx * fy,
        w11 = fx * fy;
      const at = row + x;
      out[at] =
        ((src[a + k0] as number) * w00 +
          (src[b + k0] as number) * w01 +
          (src[c + k0] as number) * w10 +
          (src[d + k0] as number) * w11 -
          o0) *
        m0;
      out[plane + at] =
        ((src[a + k1] as number) * w00 +
          (src[b + k1] as number) * w01 +
          (src[c + k1] as number) * w10 +
          (src[d + k1] as number) * w11 -
          o1) *
        m1;
      out[2 * plane + at] =
        ((src[a + k2] as number) * w00 +
          (src[b + k2] as number) * w01 +
          (src[c + k2] as number) * w10 +
          (src[d + k2] as number) * w11 -
          o2) *
        m2;
    }
  }
}

/** Samples a float grid bilinearly at continuous grid coordinates (pixel centres at integers), edges clamped. */
export function sampleBilinear(
  grid: Float32Array,
  gw: number,
  gh: number,
  s: number,
  t: number,
): number {
  const sx = Math.min(Math.max(s, 0), gw - 1),
    sy = Math.min(Math.max(t, 0), gh - 1);
  const x0 = Math.floor(sx),
    y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, gw - 1),
    y1 = Math.min(y0 + 1, gh - 1);
  const fx = sx - x0,
    fy = sy - y0;
  const a = grid[y0 * gw + x0] as number,
    b = grid[y0 * gw + x1] as number;
  const c = grid[y1 * gw + x0] as number,
    d = grid[y1 * gw + x1] as number;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}
