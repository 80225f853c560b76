/**
 * How far a grounding moved from another: IoU of object boxes, and the displacement of
 * points (areas, affordances, trajectories). Both are measured in the pixel space of the
 * final grounding (`to`), the other one rescaled into it, since a proposal may have been
 * stored at another size (imported text is [1000, 1000]).
 */
import { boxIou } from '../mask';
import type { Box } from '../mask';
import type { Grounding, Point } from '../model';
import { NORM } from '../coordinates';
import { rescalePoint } from '../coordinates';

function boxOf(points: readonly Point[]): Box | undefined {
  const [a, b] = points;
  if (points.length !== 2 || !a || !b) return undefined;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
}

function pointsIn(g: Grounding, size: readonly [number, number]): readonly Point[] {
  // Same space: no division, so a box compared with itself is exactly 1, not 0.9999999.
  if (g.size[0] === size[0] && g.size[1] === size[1]) return g.points;
  return g.points.map((p) => rescalePoint(p, g.size, size));
}

/** True when both are object boxes on the same frame, so that an IoU means something. */
export function comparableBoxes(from: Grounding, to: Grounding): boolean {
  return (
    from.tag === 'object' &&
    to.tag === 'object' &&
    from.frame === to.frame &&
    from.points.length === 2 &&
    to.points.length === 2
  );
}

/** IoU of two object boxes on the same frame, or undefined when they are not comparable. */
export function groundingIou(from: Grounding, to: Grounding): number | undefined {
  if (!comparableBoxes(from, to)) return undefined;
  const a = boxOf(pointsIn(from, to.size));
  const b = boxOf(to.points);
  return a && b ? boxIou(a, b) : undefined;
}

/** Point displacement in the final's pixels and in CoP's normalised 0-1000 space. */
export interface Displacement {
  readonly px: number;
  readonly norm: number;
}

function meanNearest(points: readonly Point[], others: readonly Point[]): number {
  let sum = 0;
  for (const [x, y] of points) {
    let best = Infinity;
    for (const [ox, oy] of others) best = Math.min(best, Math.hypot(x - ox, y - oy));
    sum += best;
  }
  return sum / points.length;
}

/**
 * The mean distance from each final point to the nearest proposal point (point sets need
 * not have the same count or order), for two non-box groundings on the same frame.
 */
export function pointDisplacement(from: Grounding, to: Grounding): Displacement | undefined {
  if (from.tag === 'object' || to.tag === 'object') return undefined;
  if (from.frame !== to.frame || !from.points.length || !to.points.length) return undefined;
  const norm: readonly [number, number] = [NORM, NORM];
  return {
    px: meanNearest(to.points, pointsIn(from, to.size)),
    norm: meanNearest(pointsIn(to, norm), pointsIn(from, norm)),
  };
}
