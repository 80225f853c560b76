/**
 * Agreement between two files that hold the same samples grounded by different people:
 * samples are matched by id, entities by item index and text. Boxes on the same frame are
 * compared by IoU; the rest is counted (one said not groundable, other frame, other kind),
 * since an IoU of groundings on different frames would measure nothing.
 */
import type { SampleState } from '../model';
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

/** Compares file `a` with file `b` entity by entity. */
export function agreement(
  a: Iterable<AgreementSample>,
  b: Iterable<AgreementSample>,
): AgreementStats {
  const byId = new Map<string, SampleState>();
  for (const s of b) if (!byId.has(s.id)) byId.set(s.id, s.state);
  let samples = 0,
    entities = 0,
    bothNotGroundable = 0,
    groundableDiffers = 0,
    frameDiffers = 0,
    notBoxes = 0,
    undecided = 0;
  const perEntity: EntityAgreement[] = [];
  for (const { id, state } of a) {
    const other = byId.get(id);
    if (!other) continue;
    byId.delete(id);
    samples++;
    state.entities.forEach((ea, index) => {
      const eb = other.entities[index];
      if (!eb || eb.text !== ea.text) return;
      entities++;
      if (!DECIDED.has(ea.status) || !DECIDED.has(eb.status)) return void undecided++;
      const ga = ea.grounding;
      const gb = eb.grounding;
      if (!ga && !gb) return void bothNotGroundable++;
      if (!ga || !gb) return void groundableDiffers++;
      if (ga.frame !== gb.frame) return void frameDiffers++;
      const iou = groundingIou(ga, gb);
      if (iou === undefined) return void notBoxes++;
      perEntity.push({
        id,
        entity: index,
        text: ea.text,
        iou: round4(iou),
        ...(ea.groundedBy ? { byA: ea.groundedBy } : {}),
        ...(eb.groundedBy ? { byB: eb.groundedBy } : {}),
      });
    });
  }
  return {
    samples,
    entities,
    compared: perEntity.length,
    iou: distribution(perEntity.map((p) => p.iou)),
    bothNotGroundable,
    groundableDiffers,
    frameDiffers,
    notBoxes,
    undecided,
    perEntity,
  };
}
