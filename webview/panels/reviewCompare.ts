/**
 * Final grounding against the model's proposal, for the reviewer: the IoU of two boxes, or
 * how far area points moved, with the same measures `groundwork stats` reports (core's
 * stats/compare.ts), and the entity as the stage shows it when the proposal is toggled on.
 */
import type { EntityState, Grounding } from '../../src/core/model';
import { groundingIou, pointDisplacement } from '../../src/core/stats/compare';

/** What the review bar says about one entity. */
export interface ReviewComparison {
  readonly text: string;
  readonly title: string;
  /** The model's grounding compared against (the one the final replaced, or still holds). */
  readonly model?: Grounding;
  readonly iou?: number;
}

/** The proposal a person's grounding is measured against: the replaced one, else the live one. */
export function modelGrounding(e: EntityState): Grounding | undefined {
  return e.replaced ?? e.proposal;
}

/** The comparison of entity `e`, or undefined when it has neither a final nor a proposal. */
export function reviewComparison(e: EntityState): ReviewComparison | undefined {
  const model = modelGrounding(e);
  const final = e.grounding;
  if (!model && !final) return undefined;
  if (!model) return { text: 'no model proposal', title: 'drawn by a person from scratch' };
  const source = model.source;
  if (!final)
    return {
      text: e.status === 'not_groundable' ? 'not groundable' : `proposal only (${source})`,
      title: `the ${source} proposal is not decided yet`,
      model,
    };
  if (model.frame !== final.frame)
    return {
      text: `frame ${final.frame + 1} vs ${model.frame + 1}`,
      title: `the final grounding is on another frame than the ${source} proposal`,
      model,
    };
  const iou = groundingIou(model, final);
  if (iou !== undefined)
    return {
      text: `IoU ${iou.toFixed(2)}`,
      title: `IoU of the final box and the ${source} proposal${e.status === 'accepted' ? ' (accepted as proposed)' : ''}`,
      model,
      iou,
    };
  const moved = pointDisplacement(model, final);
  if (moved)
    return {
      text: `moved ${moved.px.toFixed(1)} px`,
      title: `mean distance of the final points to the ${source} proposal's (${moved.norm.toFixed(1)} in 0-1000)`,
      model,
    };
  return { text: `${final.tag} vs ${model.tag}`, title: `compared with ${source}`, model };
}

/** The entity drawn as its proposal (dashed), for the review toggle; unchanged without one. */
export function asProposal(e: EntityState): EntityState {
  const model = modelGrounding(e);
  if (!model) return e;
  const { grounding: _final, replaced: _replaced, ...rest } = e;
  return { ...rest, status: 'proposed', proposal: model };
}
