/**
 * Which masks an entity holds and where, read the way core's mask rules (src/core/raster/
 * maskEdit.ts) write them: a mask on the frame of the entity's grounding (else its proposal)
 * is that grounding's `mask`; masks on other frames are entries of the entity's `track`.
 * Display helpers only: the host decides every change.
 */
import type { EntityState, GroundingSource, Rle } from '../../src/core/model';

/** One mask of an entity on one frame, with where it came from. */
export interface ShownMask {
  readonly entity: number;
  readonly frame: number;
  readonly rle: Rle;
  readonly source: GroundingSource;
  /** The model's confidence (predicted IoU for propagated frames). */
  readonly score?: number;
  /** A model's mask nobody has corrected yet (drawn as a proposal). */
  readonly proposal: boolean;
}

/** The entity's mask on `frame`, if it has one. */
export function maskOn(entity: EntityState, index: number, frame: number): ShownMask | undefined {
  if (entity.status === 'not_groundable') return undefined;
  const main = entity.grounding ?? entity.proposal;
  if (main && main.frame === frame) {
    if (!main.mask) return undefined;
    return {
      entity: index,
      frame,
      rle: main.mask,
      source: main.source,
      ...(main.score !== undefined ? { score: main.score } : {}),
      proposal: entity.grounding === undefined,
    };
  }
  const entry = entity.track?.find((t) => t.frame === frame);
  if (!entry) return undefined;
  return {
    entity: index,
    frame,
    rle: entry.mask,
    source: entry.source,
    ...(entry.score !== undefined ? { score: entry.score } : {}),
    proposal: entry.source !== 'human',
  };
}

/** Every entity's mask on `frame`, in entity order. */
export function masksOnFrame(entities: readonly EntityState[], frame: number): ShownMask[] {
  const out: ShownMask[] = [];
  entities.forEach((entity, index) => {
    const shown = maskOn(entity, index, frame);
    if (shown) out.push(shown);
  });
  return out;
}

/** Every mask of one entity, by frame (the grounding's and the track's). */
export function entityMasks(entity: EntityState, index: number): Map<number, ShownMask> {
  const out = new Map<number, ShownMask>();
  const frames = new Set<number>();
  const main = entity.grounding ?? entity.proposal;
  if (main?.mask) frames.add(main.frame);
  for (const entry of entity.track ?? []) frames.add(entry.frame);
  for (const frame of frames) {
    const shown = maskOn(entity, index, frame);
    if (shown) out.set(frame, shown);
  }
  return out;
}
