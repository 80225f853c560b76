/**
 * Model suggestions shown while someone browses are overlays held in memory, never edits
 * (DESIGN.md section 2, "Looking changes nothing"): the file, the dirty flag and the sample's
 * status stay as they are until a person acts (Enter accepts, drawing replaces).
 */
import type { DatasetDoc } from '../core/dataset';
import type { EntityState, Grounding, SampleState } from '../core/model';
import type { Op } from '../core/ops';
import { isProblem, readSample } from '../core/sample';
import type { ReadOptions } from '../core/sample';
import { mayPropose } from '../core/rules/proposalRule';

interface Overlay {
  /** The entity's text when the models ran: an edit of the reasoning retires the overlay. */
  readonly text: string;
  readonly proposal: Grounding;
}

/** A sample state with overlays laid over it, and which entities carry one. */
export interface OverlaidState {
  readonly state: SampleState;
  readonly suggested: readonly number[];
}

/** The overlays of one session, by sample id and entity index. */
export class SuggestionOverlays {
  private readonly byKey = new Map<string, Overlay>();

  /** Holds `proposal` as the suggestion of entity `entity` of sample `id`. */
  set(id: string, entity: number, text: string, proposal: Grounding): void {
    this.byKey.set(key(id, entity), { text, proposal });
  }

  /** The overlay of one entity, when it still applies to `e`. */
  get(id: string, entity: number, e: EntityState): Grounding | undefined {
    const o = this.byKey.get(key(id, entity));
    // Only where a model proposal could be stored: never over a person's work, and never over
    // a stored mask proposal (a model click the person asked for outranks a browsing overlay,
    // even one that arrives after it).
    if (!o || o.text !== e.text || !mayPropose(e) || e.proposal?.mask) return undefined;
    return o.proposal;
  }

  /** Drops the overlay of one entity (a model click stored a proposal there). */
  forget(id: string, entity: number): void {
    this.byKey.delete(key(id, entity));
  }

  /** `state` as views show it: each entity that may take a model proposal shows its overlay. */
  apply(id: string, state: SampleState): OverlaidState {
    const suggested: number[] = [];
    const entities = state.entities.map((e, i): EntityState => {
      const proposal = this.get(id, i, e);
      if (!proposal) return e;
      suggested.push(i);
      return { ...e, status: 'proposed', kind: proposal.tag, proposal };
    });
    return suggested.length ? { state: { ...state, entities }, suggested } : { state, suggested };
  }

  /**
   * `op` as it must apply to `doc`: accepting an entity that shows a suggestion accepts what
   * the person saw, so the overlay is stored as the proposal first (in the same undo step,
   * and the file records its source). Other ops pass unchanged; a batch is flattened.
   */
  materialise(doc: DatasetDoc, op: Op, opts: ReadOptions = {}): Op[] {
    if (op.type === 'batch') return op.ops.flatMap((o) => this.materialise(doc, o, opts));
    if (op.type !== 'entity/accept') return [op];
    const raw = doc.lines[op.line]?.raw;
    const sample = raw === undefined ? undefined : readSample(raw, op.line, opts);
    if (!sample || isProblem(sample) || sample.fields.id !== op.id) return [op];
    const e = sample.state.entities[op.entity];
    const proposal = e && this.get(op.id, op.entity, e);
    if (!proposal) return [op];
    const { line, id, entity } = op;
    return [{ type: 'entity/propose', line, id, entity, text: e.text, proposal }, op];
  }

  /** Forgets every overlay (the document was replaced from disk). */
  clear(): void {
    this.byKey.clear();
  }
}

function key(id: string, entity: number): string {
  return `${entity}\u0000${id}`;
}
