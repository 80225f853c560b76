/** One entity's proposal from the suggestion pipeline (what prelabel writes), and kind history. */
import type { EntityState, Grounding, GroundingTag } from '../model';
import type { FrameFindings } from './frameFindings';
import type { KindExample } from './kindSuggest';
import {
  boxKey,
  candidateProposal,
  chooseCandidate,
  rankCandidates,
  unchosenReason,
} from './rankCandidates';

/** The outcome for one entity: its kind and frame always, a grounding when one could be proposed. */
export interface EntityProposal {
  readonly kind: GroundingTag;
  readonly frame: number;
  readonly proposal?: Grounding;
  /** Why there is no proposal (an area needs a click; no detector class for the text...). */
  readonly reason?: string;
}

/**
 * Proposes a grounding for an entity through {@link rankCandidates}: the best candidate
 * whose box is not `taken` by another entity of the same sample (the set is updated, so
 * entities proposed in order see each other, as they do in the editor).
 */
export function proposeEntity(
  text: string,
  history: readonly KindExample[],
  frames: readonly FrameFindings[],
  modelId: string,
  taken: Set<string> = new Set(),
  ownKind?: GroundingTag,
): EntityProposal {
  const ranked = rankCandidates(text, history, frames, ownKind);
  const chosen = chooseCandidate(ranked, taken);
  const proposal = candidateProposal(ranked, chosen, modelId);
  if (!proposal) return { kind: ranked.kind, frame: ranked.frame, reason: unchosenReason(ranked) };
  const c = ranked.candidates[chosen];
  if (c) taken.add(boxKey(c.frame, c.box));
  return { kind: ranked.kind, frame: ranked.frame, proposal };
}

/** The kind choices people made in a dataset, oldest first, for the learned kind rule. */
export function kindHistory(
  samples: readonly { readonly entities: readonly EntityState[] }[],
): KindExample[] {
  const out: KindExample[] = [];
  for (const s of samples) {
    for (const e of s.entities) {
      if (e.kind && (e.status === 'accepted' || e.status === 'edited'))
        out.push({ text: e.text, kind: e.kind });
    }
  }
  return out;
}
