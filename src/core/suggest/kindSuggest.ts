/** Suggests an entity's kind (object or area) from its text and this dataset's earlier choices. */
import type { GroundingTag } from '../model';
import { headNoun } from './headNoun';

/** Head nouns that name a region rather than a thing: grounded by points, not a box. */
export const AREA_NOUNS: ReadonlySet<string> = new Set([
  'floor',
  'area',
  'space',
  'section',
  'surface',
  'region',
  'top',
  'wall',
  'ground',
  'corner',
  'side',
  'edge',
  'part',
  'spot',
  'place',
  'zone',
  'ceiling',
  'countertop',
  'tabletop',
  'portion',
  'half',
  'middle',
  'center',
  'centre',
  'gap',
  'room',
  'lawn',
  'road',
  'path',
  'sky',
  'field',
  'background',
  'foreground',
  'floorboard',
  'patch',
  'strip',
  'interior',
  'inside',
  'bottom',
  'front',
  'back',
  'left',
  'right',
  'ledge',
]);

/** One earlier decision of this dataset's annotators: the entity text and the kind they chose. */
export interface KindExample {
  readonly text: string;
  readonly kind: GroundingTag;
}

/** A kind suggestion and why it was made, for the editor's tooltip. */
export interface KindSuggestion {
  readonly kind: GroundingTag;
  /** `learned` when earlier choices for the same head noun decided it, else `lexicon`. */
  readonly reason: 'learned' | 'lexicon';
  readonly headNoun: string;
  /** 0..1: share of agreeing earlier choices, or a fixed prior for the lexicon. */
  readonly confidence: number;
}

/**
 * Lexicon rule: an area when the head noun names a region ("the open floor in front of the
 * bed", "the vacant section of the nightstand"), else an object.
 */
export function lexiconKind(text: string): GroundingTag {
  return AREA_NOUNS.has(headNoun(text)) ? 'area' : 'object';
}

/**
 * The suggested kind: earlier choices with the same head noun override the lexicon
 * (majority; the most recent wins a tie), because annotators' conventions differ per dataset.
 */
export function suggestKind(text: string, history: readonly KindExample[] = []): KindSuggestion {
  const head = headNoun(text);
  const votes = new Map<GroundingTag, { n: number; last: number }>();
  let total = 0;
  history.forEach((ex, i) => {
    if (headNoun(ex.text) !== head || head === '') return;
    const v = votes.get(ex.kind) ?? { n: 0, last: -1 };
    votes.set(ex.kind, { n: v.n + 1, last: i });
    total++;
  });
  if (total > 0) {
    let best: GroundingTag | undefined;
    let bestVote = { n: -1, last: -1 };
    for (const [kind, v] of votes) {
      if (v.n > bestVote.n || (v.n === bestVote.n && v.last > bestVote.last)) {
        best = kind;
        bestVote = v;
      }
    }
    if (best)
      return { kind: best, reason: 'learned', headNoun: head, confidence: bestVote.n / total };
  }
  const kind = lexiconKind(text);
  return { kind, reason: 'lexicon', headNoun: head, confidence: kind === 'area' ? 0.8 : 0.6 };
}
