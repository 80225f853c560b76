/**
 * How the proposals of each source (`model:<id>`, `import`) ended, per kind: accepted as
 * is, edited (with how far the box or points moved), not groundable, or still open. The
 * source is read from what the entity kept: an accepted grounding carries the proposal's
 * own source, an edited one the proposal it `replaced`, the others their `proposal`.
 */
import type { EntityState, Grounding, GroundingSource } from '../model';
import { groundingIou, pointDisplacement } from './compare';
import type { Distribution, HistogramBin } from './distribution';
import { distribution, unitHistogram } from './distribution';

/** The outcome counts and movement figures of one source (and kind, or `all`). */
export interface ProposalOutcomeRow {
  readonly source: GroundingSource;
  readonly kind: string;
  readonly proposals: number;
  readonly accepted: number;
  readonly edited: number;
  readonly notGroundable: number;
  /** Still proposed: nobody decided yet. */
  readonly open: number;
  /** Share of decided proposals taken as they were. */
  readonly acceptanceRate: number | null;
  /** IoU of proposal and final box (accepted as is counts 1), over boxes on the same frame. */
  readonly iou: Distribution & { readonly bins: readonly HistogramBin[] };
  /** Edits that moved the grounding to another frame (no IoU is taken for them). */
  readonly movedFrame: number;
  /** Mean nearest-point distance of final points to proposal points, in source pixels. */
  readonly displacementPx: Distribution;
  /** The same in CoP's normalised 0-1000 space. */
  readonly displacementNorm: Distribution;
}

/** What one entity says about its proposal, or undefined when it never had one. */
export interface ProposalFate {
  readonly source: GroundingSource;
  readonly kind: string;
  readonly outcome: 'accepted' | 'edited' | 'notGroundable' | 'open';
  readonly iou?: number;
  readonly movedFrame?: boolean;
  readonly displacement?: { readonly px: number; readonly norm: number };
}

function fromProposal(e: EntityState, proposal: Grounding, final: Grounding): ProposalFate {
  const kind = e.kind ?? final.tag;
  const base = { source: proposal.source, kind, outcome: 'edited' as const };
  if (proposal.frame !== final.frame) return { ...base, movedFrame: true };
  const iou = groundingIou(proposal, final);
  const displacement = pointDisplacement(proposal, final);
  return {
    ...base,
    ...(iou !== undefined ? { iou } : {}),
    ...(displacement ? { displacement } : {}),
  };
}

/** The fate of an entity's proposal; an entity a person drew from nothing has none. */
export function proposalFate(e: EntityState): ProposalFate | undefined {
  const g = e.grounding;
  if (e.status === 'edited' && g && e.replaced) return fromProposal(e, e.replaced, g);
  if (e.status === 'accepted' && g && g.source !== 'human') {
    const kind = e.kind ?? g.tag;
    const box = g.tag === 'object';
    return {
      source: g.source,
      kind,
      outcome: 'accepted',
      ...(box ? { iou: 1 } : { displacement: { px: 0, norm: 0 } }),
    };
  }
  const p = e.proposal;
  if (!p) return undefined;
  const kind = e.kind ?? p.tag;
  if (e.status === 'not_groundable') return { source: p.source, kind, outcome: 'notGroundable' };
  if (e.status === 'proposed') return { source: p.source, kind, outcome: 'open' };
  return undefined;
}

function row(
  source: GroundingSource,
  kind: string,
  fates: readonly ProposalFate[],
): ProposalOutcomeRow {
  const count = (o: ProposalFate['outcome']): number => fates.filter((f) => f.outcome === o).length;
  const accepted = count('accepted');
  const edited = count('edited');
  const notGroundable = count('notGroundable');
  const decided = accepted + edited + notGroundable;
  const ious = fates.flatMap((f) => (f.iou === undefined ? [] : [f.iou]));
  const moved = fates.flatMap((f) => (f.displacement ? [f.displacement] : []));
  return {
    source,
    kind,
    proposals: fates.length,
    accepted,
    edited,
    notGroundable,
    open: count('open'),
    acceptanceRate: decided ? Math.round((accepted / decided) * 10_000) / 10_000 : null,
    iou: { ...distribution(ious), bins: unitHistogram(ious) },
    movedFrame: fates.filter((f) => f.movedFrame).length,
    displacementPx: distribution(moved.map((d) => d.px)),
    displacementNorm: distribution(moved.map((d) => d.norm)),
  };
}

/** The rows of a list of fates: per source with kind `all`, then per kind; sorted by name. */
export function outcomeRows(fates: readonly ProposalFate[]): ProposalOutcomeRow[] {
  const sources = [...new Set(fates.map((f) => f.source))].sort();
  return sources.flatMap((source) => {
    const mine = fates.filter((f) => f.source === source);
    const kinds = [...new Set(mine.map((f) => f.kind))].sort();
    return [
      row(source, 'all', mine),
      ...kinds.map((kind) =>
        row(
          source,
          kind,
          mine.filter((f) => f.kind === kind),
        ),
      ),
    ];
  });
}

/** The outcome rows of a set of entities (see `outcomeRows`). */
export function proposalOutcomes(entities: Iterable<EntityState>): ProposalOutcomeRow[] {
  const fates: ProposalFate[] = [];
  for (const e of entities) {
    const fate = proposalFate(e);
    if (fate) fates.push(fate);
  }
  return outcomeRows(fates);
}
