/** Coordinate normalisation between source pixels and the CoP [0, 1000] grid (DESIGN.md section 1). */

/** The side of the normalised grid. */
export const NORM = 1000;

/** Rounds half away from zero (Math.round rounds -0.5 up, which the grammar does not want). */
export function roundHalfAwayFromZero(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v));
}

/** Source pixel -> integer in [0, 1000] against the displayed extent `size` of that axis. */
export function normalize(px: number, size: number): number {
  if (!(size > 0)) return 0;
  const n = roundHalfAwayFromZero((px / size) * NORM);
  return Math.min(NORM, Math.max(0, n));
}

/** Normalised [0, 1000] -> source pixel (float) against the displayed extent `size`. */
export function denormalize(n: number, size: number): number {
  return (n / NORM) * size;
}

/** Normalises an (x, y) pair against a [width, height] size. */
export function normalizePoint(
  p: readonly [number, number],
  size: readonly [number, number],
): [number, number] {
  return [normalize(p[0], size[0]), normalize(p[1], size[1])];
}

/** Maps an (x, y) pair from one pixel space to another (for example [1000,1000] -> the frame). */
export function rescalePoint(
  p: readonly [number, number],
  from: readonly [number, number],
  to: readonly [number, number],
): [number, number] {
  return [(p[0] / from[0]) * to[0], (p[1] / from[1]) * to[1]];
}
