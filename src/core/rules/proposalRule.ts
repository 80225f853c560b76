/**
 * What a model proposal may replace, the one rule both the editor and `groundwork prelabel`
 * follow: never a person's work (a grounding, a decided entity), never an imported
 * proposal (imported model text is itself what annotators are asked to verify), while an
 * earlier model proposal is refreshed. A model click (SAM) is different: the person asked
 * for it, so it replaces any proposal not yet accepted.
 */
import type { EntityState } from '../model';

/** How the proposal came: the models on their own (suggest, prelabel) or a person's click. */
export type ProposalOrigin = 'model' | 'click';

/** Whether a proposal may be stored, and the reason shown when it may not. */
export type ProposalVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** The one rule of what a model proposal may replace. */
export function proposalVerdict(e: EntityState, origin: ProposalOrigin): ProposalVerdict {
  if (e.grounding) return { allowed: false, reason: 'kept the human grounding' };
  if (e.status === 'not_groundable')
    return { allowed: false, reason: 'the entity is marked not groundable' };
  if (e.status === 'accepted' || e.status === 'edited')
    return { allowed: false, reason: `kept the ${e.status} entity` };
  if (origin === 'model' && e.proposal && !e.proposal.source.startsWith('model:'))
    return { allowed: false, reason: 'kept the imported proposal' };
  return { allowed: true };
}

/** Whether the models may propose for this entity on their own (suggest, prelabel). */
export function mayPropose(e: EntityState): boolean {
  return proposalVerdict(e, 'model').allowed;
}
