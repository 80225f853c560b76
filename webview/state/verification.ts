/**
 * What the stage shows of an entity's verification state. The state itself is decided on
 * the host: the webview sends intents (`entity/accept`, `entity/draw`...) and core's
 * `apply` computes the next state (DESIGN.md section 4), so these are display helpers only.
 */
import { rescalePoint } from '../../src/core/coordinates';
import type { EntityState, Grounding, Point } from '../../src/core/model';

/** The entity's geometry to show: the final grounding, else a live proposal. */
export function shownGrounding(e: EntityState): { g: Grounding; proposal: boolean } | undefined {
  if (e.grounding) return { g: e.grounding, proposal: false };
  if (e.proposal && e.status !== 'not_groundable') return { g: e.proposal, proposal: true };
  return undefined;
}

/** Points of `g` in the pixel space of a frame of size `size` (proposals are in [1000, 1000]). */
export function displayPoints(g: Grounding, size: readonly [number, number]): Point[] {
  if (!(size[0] > 0 && size[1] > 0) || (g.size[0] === size[0] && g.size[1] === size[1]))
    return g.points.map((p) => [p[0], p[1]] as const);
  return g.points.map((p) => rescalePoint(p, g.size, size));
}
