/** Combines the kind, frame and box suggestions into one entity proposal (what prelabel writes). */
import type { EntityState, Grounding, GroundingTag } from '../model';
import type { Detection } from './boxMatch';
import { entityConfidence, matchDetections } from './boxMatch';
import { bestFrame } from './frameScore';
import type { KindExample } from './kindSuggest';
import { suggestKind } from './kindSuggest';

/** What the models saw on one frame of a sample's list. */
export interface FrameFindings {
  /** [width, height] of the frame in pixels. */
  readonly size: readonly [number, number];
  readonly detections: readonly Detection[];
  readonly sharpness: number;
}

/** The outcome for one entity: its kind and frame always, a grounding when one could be proposed. */
export interface EntityProposal {
  readonly kind: GroundingTag;
  readonly frame: number;
  readonly proposal?: Grounding;
  /** Why there is no proposal (an area needs a click; no detector class for the text...). */
  readonly reason?: string;
}

/**
 * Proposes a grounding for an entity: the kind from the lexicon and this dataset's
 * choices, the frame that best blends sharpness with the detector's confidence for the
 * text, and for objects the best matching box on that frame not `taken` by an earlier
 * entity of the same sample (the set is updated). Areas get no points here:
 * their points come from a SAM mask, which needs an annotator's click.
 */
export function proposeEntity(
  text: string,
  history: readonly KindExample[],
  frames: readonly FrameFindings[],
  modelId: string,
  taken: Set<string> = new Set(),
): EntityProposal {
  const kind = suggestKind(text, history).kind;
  const frame = Math.max(
    0,
    bestFrame(
      frames.map((f) => ({
        sharpness: f.sharpness,
        confidence: entityConfidence(text, f.detections),
      })),
    ),
  );
  if (kind !== 'object')
    return { kind, frame, reason: `${kind}: points need a SAM mask from a click` };
  const f = frames[frame];
  // Two entities of one sample ("the girl", "the boy") must not get the same box: the
  // second takes the next-best match on the frame, as the cycle key would.
  const key = (b: readonly number[]): string => `${frame}:${b.join(',')}`;
  const best = f
    ? matchDetections(text, f.detections).find((c) => !taken.has(key(c.detection.box)))
    : undefined;
  if (!f || !best) return { kind, frame, reason: 'no detection matches the text' };
  taken.add(key(best.detection.box));
  const [x1, y1, x2, y2] = best.detection.box;
  return {
    kind,
    frame,
    proposal: {
      tag: 'object',
      frame,
      points: [
        [x1, y1],
        [x2, y2],
      ],
      size: [f.size[0], f.size[1]],
      source: `model:${modelId}`,
      score: best.detection.score,
    },
  };
}

/**
 * Whether prelabel may write a proposal for this entity: never over a person's work
 * (a grounding, an accepted/edited/rejected status) nor over an imported model output,
 * which is itself what annotators are asked to verify. Earlier model proposals refresh.
 */
export function mayPropose(entity: EntityState): boolean {
  if (
    entity.grounding ||
    entity.status === 'accepted' ||
    entity.status === 'edited' ||
    entity.status === 'rejected'
  )
    return false;
  if (entity.proposal && !entity.proposal.source.startsWith('model:')) return false;
  return true;
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
