/** Binary masks in source pixels: tight box, and representative points spread inside (for areas). */
import type { Point } from './model';

/** A binary mask, row-major, one byte per pixel (0 or 1), in source pixels. */
export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** An axis-aligned box in pixels: [x1, y1, x2, y2], x2/y2 exclusive pixel edges. */
export type Box = readonly [number, number, number, number];

/** Number of set pixels. */
export function maskArea(mask: Mask): number {
  let n = 0;
  for (const v of mask.data) if (v) n++;
  return n;
}

/** The tight box around the set pixels (pixel edges, so a 1-pixel mask is 1x1), or undefined when empty. */
export function maskToBox(mask: Mask): Box | undefined {
  const { width, height, data } = mask;
  let x1 = width,
    y1 = height,
    x2 = -1,
    y2 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!data[row + x]) continue;
      if (x < x1) x1 = x;
      if (x > x2) x2 = x;
      if (y < y1) y1 = y;
      if (y > y2) y2 = y;
    }
  }
  return x2 < 0 ? undefined : [x1, y1, x2 + 1, y2 + 1];
}

/** Intersection over union of two boxes. */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * City-block distance of every set pixel to the nearest unset pixel or the frame edge
 * (two-pass chamfer); 0 outside the mask. Used to keep points off the mask's rim.
 */
export function maskDepth(mask: Mask): Int32Array {
  const { width: w, height: h, data } = mask;
  const d = new Int32Array(w * h);
  const big = w + h;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!data[i]) continue;
      const up = y > 0 ? (d[i - w] as number) : 0;
      const left = x > 0 ? (d[i - 1] as number) : 0;
      d[i] = Math.min(big, up + 1, left + 1);
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (!data[i]) continue;
      const down = y < h - 1 ? (d[i + w] as number) : 0;
      const right = x < w - 1 ? (d[i + 1] as number) : 0;
      d[i] = Math.min(d[i] as number, down + 1, right + 1);
    }
  }
  return d;
}

/**
 * `k` points spread inside the mask, each the centre of a set pixel: candidates are the
 * pixels deeper than a third of the deepest (so points keep off the rim), seeded by
 * farthest-point sampling from the deepest pixel, then a few Lloyd (k-means) rounds whose
 * centroids are snapped back to the nearest candidate, because a centroid of a
 * non-convex region may fall outside it. Fewer points when the mask has fewer pixels.
 */
export function maskToPoints(mask: Mask, k: number): Point[] {
  const depth = maskDepth(mask);
  let maxDepth = 0;
  for (const v of depth) if (v > maxDepth) maxDepth = v;
  if (maxDepth === 0 || k <= 0) return [];
  const floor = Math.max(1, Math.floor(maxDepth / 3));
  const total = mask.width * mask.height;
  // Sub-sample big masks: 20k candidates are plenty for 1-10 points.
  let count = 0;
  for (const v of depth) if (v >= floor) count++;
  const step = Math.max(1, Math.floor(count / 20000));
  const xs: number[] = [];
  const ys: number[] = [];
  let seen = 0;
  let deepest = -1;
  for (let i = 0; i < total; i++) {
    const v = depth[i] as number;
    if (v < floor) continue;
    const first = v === maxDepth && deepest < 0;
    if (seen++ % step !== 0 && !first) continue;
    if (first) deepest = xs.length;
    xs.push(i % mask.width);
    ys.push(Math.floor(i / mask.width));
  }
  const n = xs.length;
  const want = Math.min(k, n);
  const chosen: number[] = [deepest];
  const minD = new Float64Array(n).fill(Infinity);
  while (chosen.length < want) {
    const last = chosen[chosen.length - 1] as number;
    let best = -1,
      bestD = -1;
    for (let i = 0; i < n; i++) {
      const dx = (xs[i] as number) - (xs[last] as number),
        dy = (ys[i] as number) - (ys[last] as number);
      const d2 = dx * dx + dy * dy;
      if (d2 < (minD[i] as number)) minD[i] = d2;
      if ((minD[i] as number) > bestD) {
        bestD = minD[i] as number;
        best = i;
      }
    }
    chosen.push(best);
  }
  let cx = chosen.map((i) => xs[i] as number);
  let cy = chosen.map((i) => ys[i] as number);
  for (let round = 0; round < 5; round++) {
    const sx = new Float64Array(want),
      sy = new Float64Array(want),
      sn = new Float64Array(want);
    for (let i = 0; i < n; i++) {
      let best = 0,
        bestD = Infinity;
      for (let c = 0; c < want; c++) {
        const dx = (xs[i] as number) - (cx[c] as number),
          dy = (ys[i] as number) - (cy[c] as number);
        const d2 = dx * dx + dy * dy;
        if (d2 < bestD) {
          bestD = d2;
          best = c;
        }
      }
      sx[best] = (sx[best] as number) + (xs[i] as number);
      sy[best] = (sy[best] as number) + (ys[i] as number);
      sn[best] = (sn[best] as number) + 1;
    }
    cx = cx.map((v, c) => ((sn[c] as number) > 0 ? (sx[c] as number) / (sn[c] as number) : v));
    cy = cy.map((v, c) => ((sn[c] as number) > 0 ? (sy[c] as number) / (sn[c] as number) : v));
  }
  const used = new Set<number>();
  const points: Point[] = [];
  for (let c = 0; c < want; c++) {
    let best = -1,
      bestD = Infinity;
    for (let i = 0; i < n; i++) {
      if (used.has(i)) continue;
      const dx = (xs[i] as number) - (cx[c] as number),
        dy = (ys[i] as number) - (cy[c] as number);
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD) {
        bestD = d2;
        best = i;
      }
    }
    used.add(best);
    points.push([(xs[best] as number) + 0.5, (ys[best] as number) + 0.5]);
  }
  return points;
}
