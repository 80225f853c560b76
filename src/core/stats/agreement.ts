/**
 * Agreement between two files that hold the same samples grounded by different people:
 * samples are matched by id, entities by item index and text. Boxes on the same frame are
 * compared by IoU; the rest is counted (one said not groundable, other frame, other kind),
 * since an IoU of groundings on different frames would measure nothing.
 */
import type { EntityState, SampleState } from '../model';
import { groundingIou } from './compare';
import type { Distribution } from './distribution';
import { distribution, round4 } from './distribution';

/** A sample of one file, as agreement needs it. */
export interface AgreementSample {
  readonly id: string;
  readonly state: SampleState;
}

/** The IoU of one entity grounded in both files. */
export interface EntityAgreement {
  readonly id: string;
  readonly entity: number;
  readonly text: string;
  readonly iou: number;
  readonly byA?: string;
  readonly byB?: string;
}

/** Agreement of two files. */
export interface AgreementStats {
  /** Sample ids found in both files. */
  readonly samples: number;
  /** Entities present in both (same index and text). */
  readonly entities: number;
  /** Boxes compared by IoU. */
  readonly compared: number;
  readonly iou: Distribution;
  readonly bothNotGroundable: number;
  /** One file grounded it, the other said not groundable. */
  readonly groundableDiffers: number;
  readonly frameDiffers: number;
  /** Grounded in both, but not both object boxes (areas, trajectories...). */
  readonly notBoxes: number;
  /** Not decided in at least one file. */
  readonly undecided: number;
  readonly perEntity: readonly EntityAgreement[];
}

const DECIDED = new Set(['accepted', 'edited', 'not_groundable']);

/**
 * What agreement keeps of a sample of the second file while the first streams by: each
 * entity's text, status, who grounded it and its final geometry without a mask.
 */
export function agreementEntry(state: SampleState): SampleState {
  return {
    status: state.status,
    entities: state.entities.map((e): EntityState => {
      const out: EntityState = { text: e.text, status: e.status };
      if (!e.grounding) return e.groundedBy ? { ...out, groundedBy: e.groundedBy } : out;
      // A mask can be most of a line; the box IoU needs only the points.
      const { mask: _mask, ...grounding } = e.grounding;
      return { ...out, grounding, ...(e.groundedBy ? { groundedBy: e.groundedBy } : {}) };
    }),
  };
}

/** Compares the samples of file `a`, one at a time, with the indexed samples of file `b`. */
export class AgreementTally {
  private readonly seen = new Set<string>();
  private samples = 0;
  private entities = 0;
  private bothNotGroundable = 0;
  private groundableDiffers = 0;
  private frameDiffers = 0;
  private notBoxes = 0;
  private undecided = 0;
  private readonly perEntity: EntityAgreement[] = [];

  /** `other`: file b's samples by id (the first line of a repeated id). */
  constructor(private readonly other: ReadonlyMap<string, SampleState>) {}

  /** Compares one sample of file a; a repeated id of a is compared once. */
  add(id: string, state: SampleState): void {
    const other = this.other.get(id);
    if (!other || this.seen.has(id)) return;
    this.seen.add(id);
    this.samples++;
    state.entities.forEach((ea, index) => {
      const eb = other.entities[index];
      if (!eb || eb.text !== ea.text) return;
      this.entities++;
      if (!DECIDED.has(ea.status) || !DECIDED.has(eb.status)) return void this.undecided++;
      const ga = ea.grounding;
      const gb = eb.grounding;
      if (!ga && !gb) return void this.bothNotGroundable++;
      if (!ga || !gb) return void this.groundableDiffers++;
      if (ga.frame !== gb.frame) return void this.frameDiffers++;
      const iou = groundingIou(ga, gb);
      if (iou === undefined) return void this.notBoxes++;
      this.perEntity.push({
        id,
        entity: index,
        text: ea.text,
        iou: round4(iou),
        ...(ea.groundedBy ? { byA: ea.groundedBy } : {}),
        ...(eb.groundedBy ? { byB: eb.groundedBy } : {}),
      });
    });
  }

  /** The agreement of everything compared. */
  result(): AgreementStats {
    return {
      samples: this.samples,
      entities: this.entities,
      compared: this.perEntity.length,
      iou: distribution(this.perEntity.map((p) => p.iou)),
      bothNotGroundable: this.bothNotGroundable,
      groundableDiffers: this.groundableDiffers,
      frameDiffers: this.frameDiffers,
      notBoxes: this.notBoxes,
      undecided: this.undecided,
      perEntity: [...this.perEntity],
    };
  }
}

/** Compares file `a` with file `b` entity by entity. */
export function agreement(
  a: Iterable<AgreementSample>,
  b: Iterable<AgreementSample>,
): AgreementStats {
  const byId = new Map<string, SampleState>();
  for (const s of b) if (!byId.has(s.id)) byId.set(s.id, agreementEntry(s.state));
  const tally = new AgreementTally(byId);
  for (const s of a) tally.add(s.id, s.state);
  return tally.result();
}
