/**
 * Brush and eraser strokes and polygon fills on a binary mask, shared by the webview tools
 * and the tests. A pixel belongs to a shape when its centre (x + 0.5, y + 0.5) does, so
 * the pixel counts of known shapes are exact and the same everywhere.
 */
import type { Mask } from '../mask';
import type { Point } from '../model';

/** An empty mask of `width` x `height`. */
export function emptyMask(width: number, height: number): Mask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** A copy of `mask` (helpers never change their input). */
export function cloneMask(mask: Mask): Mask {
  return { width: mask.width, height: mask.height, data: mask.data.slice() };
}

/** Squared distance from (px, py) to the segment a-b. */
function segmentDistance2(px: number, py: number, a: Point, b: Point): number {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len2)) : 0;
  const cx = a[0] + t * dx - px,
    cy = a[1] + t * dy - py;
  return cx * cx + cy * cy;
}

/**
 * A stroke of a round brush of `radius` pixels through `path` (a single point is a disc):
 * every pixel whose centre lies within `radius` of the path is set to `value` (1 brush,
 * 0 eraser). Returns a new mask.
 */
export function paintStroke(
  mask: Mask,
  path: readonly Point[],
  radius: number,
  value: 0 | 1,
): Mask {
  const out = cloneMask(mask);
  if (path.length === 0 || !(radius > 0)) return out;
  const r2 = radius * radius;
  const segments: [Point, Point][] =
    path.length === 1
      ? [[path[0] as Point, path[0] as Point]]
      : path.slice(1).map((p, i) => [path[i] as Point, p]);
  for (const [a, b] of segments) {
    const x1 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - radius));
    const x2 = Math.min(mask.width - 1, Math.ceil(Math.max(a[0], b[0]) + radius));
    const y1 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - radius));
    const y2 = Math.min(mask.height - 1, Math.ceil(Math.max(a[1], b[1]) + radius));
    for (let y = y1; y <= y2; y++) {
      for (let x = x1; x <= x2; x++) {
        if (segmentDistance2(x + 0.5, y + 0.5, a, b) <= r2) out.data[y * mask.width + x] = value;
      }
    }
  }
  return out;
}

/**
 * Fills the polygon `vertices` (closed implicitly; even-odd rule, so a self-crossing
 * outline leaves its doubly covered part out) with `value`: 1 adds, 0 subtracts.
 */
export function fillPolygon(mask: Mask, vertices: readonly Point[], value: 0 | 1): Mask {
  const out = cloneMask(mask);
  const n = vertices.length;
  if (n < 3) return out;
  const ys = vertices.map((v) => v[1]);
  const y1 = Math.max(0, Math.floor(Math.min(...ys)));
  const y2 = Math.min(mask.height - 1, Math.ceil(Math.max(...ys)));
  for (let y = y1; y <= y2; y++) {
    const cy = y + 0.5;
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = vertices[i] as Point,
        b = vertices[(i + 1) % n] as Point;
      // Half-open in y so a vertex on the scanline is counted once.
      if (a[1] <= cy === b[1] <= cy) continue;
      xs.push(a[0] + ((cy - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixels whose centre is inside [xs[k], xs[k+1]).
      const from = Math.max(0, Math.ceil((xs[k] as number) - 0.5));
      const to = Math.min(mask.width - 1, Math.ceil((xs[k + 1] as number) - 0.5) - 1);
      for (let x = from; x <= to; x++) out.data[y * mask.width + x] = value;
    }
  }
  return out;
}
