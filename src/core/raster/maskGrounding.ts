/** A grounding's points from its mask: an object's tight box, or an area's points spread inside. */
import type { Mask } from '../mask';
import { maskToBox, maskToPoints } from '../mask';
import type { GroundingTag, Point } from '../model';

/** How many representative points an area gets from its mask (issue 11: k = 5). */
export const AREA_POINT_COUNT = 5;

/**
 * The points that stand for `mask` as a `tag` grounding: an area's `k` points inside it,
 * any other tag's tight box as two corners; empty when the mask is empty.
 */
export function pointsFromMask(mask: Mask, tag: GroundingTag, k = AREA_POINT_COUNT): Point[] {
  if (tag === 'area') return maskToPoints(mask, k);
  const box = maskToBox(mask);
  return box
    ? [
        [box[0], box[1]],
        [box[2], box[3]],
      ]
    : [];
}
