/**
 * Range checks for a grounding before `apply` stores it: a frame that exists, a pixel space
 * of a sane size, and points that are finite and inside the frame. Without them a stray
 * message could save frame 99,999,999 of an 8-frame sample or a point at 1e7.
 */
import type { Grounding } from '../model';

/** The largest side of a pixel space we accept: past 8K video by far, far short of 1e6. */
export const MAX_SIDE = 65_536;

/** Points may sit this far outside the frame (a fraction of its side): a drag past the edge. */
export const EDGE_MARGIN = 0.02;

/** Most points one grounding may hold (an area's outline, a long trajectory). */
export const MAX_POINTS = 10_000;

/**
 * Why `g` cannot be stored, or undefined when it can. `frameCount` is the length of the
 * sample's frame list when known (frame-list samples; the host may know a video's).
 */
export function groundingProblem(g: Grounding, frameCount?: number): string | undefined {
  if (!Number.isInteger(g.frame) || g.frame < 0) return `frame ${g.frame} is not a frame index`;
  if (frameCount !== undefined && g.frame >= frameCount)
    return `frame ${g.frame} is out of range: the sample has ${frameCount} frame${frameCount === 1 ? '' : 's'} (0-${frameCount - 1})`;
  const [width, height] = g.size;
  const sane = (v: number): boolean => Number.isFinite(v) && v >= 1 && v <= MAX_SIDE;
  if (!sane(width) || !sane(height))
    return `size [${width}, ${height}] is not a frame size (each side 1-${MAX_SIDE} pixels)`;
  if (g.points.length === 0) return `a ${g.tag} grounding needs points`;
  if (g.points.length > MAX_POINTS) return `${g.points.length} points is more than ${MAX_POINTS}`;
  if (g.tag === 'object' && g.points.length !== 2)
    return `an object box needs 2 corner points, not ${g.points.length}`;
  const mx = width * EDGE_MARGIN,
    my = height * EDGE_MARGIN;
  for (const [x, y] of g.points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return `point (${x}, ${y}) is not finite`;
    if (x < -mx || y < -my || x > width + mx || y > height + my)
      return `point (${x}, ${y}) is outside the ${width} x ${height} frame`;
  }
  if (g.score !== undefined && !(g.score >= 0 && g.score <= 1))
    return `score ${g.score} is not between 0 and 1`;
  return undefined;
}
