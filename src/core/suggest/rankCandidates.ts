/**
 * The one suggestion pipeline, shared by the editor and `groundwork prelabel`: from what the
 * models saw on each frame, an entity's kind, its best frame and the ranked box candidates
 * on that frame; then the first candidate no other entity of the sample holds. Same dedupe
 * key, same score clamping, same messages on both fronts.
 */
import type { EntityState, Grounding, GroundingTag } from '../model';
import type { Box } from '../mask';
import { entityConfidence, matchDetections } from './boxMatch';
import type { FrameFindings } from './frameFindings';
import { bestFrame } from './frameScore';
import type { KindExample } from './kindSuggest';
import { suggestKind } from './kindSuggest';

/** One ranked candidate for an entity, in source pixels of its frame. */
export interface Candidate {
  readonly kind: GroundingTag;
  readonly frame: number;
  readonly box: Box;
  readonly label: string;
  /** Clamped to 0..1 (a detector's score times how well its label matches the text). */
  readonly score: number;
}

/** The models' suggestion for one entity: kind, frame, candidates best first, or why none. */
export interface RankedSuggestion {
  readonly kind: GroundingTag;
  /** Why the suggested kind (`learned` from this dataset's choices, `lexicon` from the head noun). */
  readonly kindReason: 'learned' | 'lexicon';
  readonly frame: number;
  /** [width, height] of `frame` in source pixels ([0, 0] without frames). */
  readonly size: readonly [number, number];
  readonly candidates: readonly Candidate[];
  readonly reason?: string;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/**
 * Ranks candidates for `text`. A kind the person chose (`ownKind`) beats the suggested one;
 * areas get no candidates, since their points come from a SAM mask, which needs a click.
 */
export function rankCandidates(
  text: string,
  history: readonly KindExample[],
  frames: readonly FrameFindings[],
  ownKind?: GroundingTag,
): RankedSuggestion {
  const suggested = suggestKind(text, history);
  const own = ownKind === 'object' || ownKind === 'area' ? ownKind : undefined;
  const kind = own ?? suggested.kind;
  const kindReason = suggested.reason;
  const frame = Math.max(
    0,
    bestFrame(
      frames.map((f) => ({
        sharpness: f.sharpness,
        confidence: entityConfidence(text, f.detections),
      })),
    ),
  );
  const f = frames[frame];
  const size: readonly [number, number] = f ? [f.size[0], f.size[1]] : [0, 0];
  if (kind !== 'object')
    return {
      kind,
      kindReason,
      frame,
      size,
      candidates: [],
      reason: `${kind}: points need a model click (SAM)`,
    };
  const candidates: Candidate[] = f
    ? matchDetections(text, f.detections).map((c) => ({
        kind,
        frame,
        box: c.detection.box,
        label: c.detection.label,
        score: clamp01(c.score),
      }))
    : [];
  return candidates.length
    ? { kind, kindReason, frame, size, candidates }
    : { kind, kindReason, frame, size, candidates, reason: 'no detection matches the text' };
}

/** The dedupe key of a box on a frame: whole pixels, so re-scaled copies of one box meet. */
export function boxKey(frame: number, box: readonly number[]): string {
  return `${frame}:${box.map((v) => Math.round(v)).join(',')}`;
}

/** The boxes other entities of a sample hold (grounding, else proposal), as dedupe keys. */
export function takenBoxes(entities: readonly EntityState[], except: number): Set<string> {
  const out = new Set<string>();
  entities.forEach((e, i) => {
    const g = e.grounding ?? e.proposal;
    if (i === except || !g || g.tag !== 'object' || g.points.length !== 2) return;
    out.add(boxKey(g.frame, g.points.flat()));
  });
  return out;
}

/**
 * The candidate to propose: the best one no other entity holds, so that "the girl" and
 * "the boy" do not get the same box; -1 when there is none (all taken, or no candidates).
 */
export function chooseCandidate(s: RankedSuggestion, taken: ReadonlySet<string>): number {
  return s.candidates.findIndex((c) => !taken.has(boxKey(c.frame, c.box)));
}

/** Why nothing was chosen, for the report and the view. */
export function unchosenReason(s: RankedSuggestion): string {
  return s.reason ?? 'every matching box is already proposed for another entity of the sample';
}

/** Candidate `index` as a model proposal from `model:<modelId>`, or undefined when none. */
export function candidateProposal(
  s: RankedSuggestion,
  index: number,
  modelId: string,
): Grounding | undefined {
  const c = s.candidates[index];
  if (!c || c.kind !== 'object') return undefined;
  const [x1, y1, x2, y2] = c.box;
  return {
    tag: 'object',
    frame: c.frame,
    points: [
      [x1, y1],
      [x2, y2],
    ],
    size: [s.size[0], s.size[1]],
    source: `model:${modelId}`,
    score: c.score,
  };
}
