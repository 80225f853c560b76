/**
 * The entity state machine of DESIGN.md section 2: `pending | proposed -> accepted | edited |
 * not_groundable`. What each status promises about the geometry it carries, so that a
 * state read back from a line can be checked, and the word an older file used.
 */
import type { EntityState, EntityStatus } from '../model';

/** Statuses a person has settled: the entity needs no more work before review. */
const DECIDED: ReadonlySet<EntityStatus> = new Set(['accepted', 'edited', 'not_groundable']);

/** True when a person has decided the entity (accepted, edited or not groundable). */
export function isDecided(entity: EntityState): boolean {
  return DECIDED.has(entity.status);
}

/** The entities of a sample nobody has decided yet, as `"text" (status)` for messages. */
export function pendingNames(entities: readonly EntityState[]): string[] {
  return entities.filter((e) => !isDecided(e)).map((e) => `"${e.text}" (${e.status})`);
}

/**
 * What is wrong with an entity state, empty when it is legal: a pending entity has no
 * geometry, a proposed one a proposal and no grounding, an accepted one a grounding that
 * replaced nothing, an edited one a grounding and the proposal it replaced, and a not
 * groundable one no grounding.
 */
export function entityProblems(e: EntityState): string[] {
  const out: string[] = [];
  const name = `entity "${e.text}" is ${e.status}`;
  switch (e.status) {
    case 'pending':
      if (e.grounding || e.proposal) out.push(`${name} but has geometry`);
      break;
    case 'proposed':
      if (!e.proposal) out.push(`${name} without a proposal`);
      if (e.grounding) out.push(`${name} but has a grounding`);
      break;
    case 'accepted':
      // A counting answer (src/core/answer.ts) is verified by its number, not by geometry.
      if (!e.grounding && !(e.role === 'answer' && e.count !== undefined))
        out.push(`${name} without a grounding`);
      if (e.replaced) out.push(`${name} but replaced a proposal (that is edited)`);
      break;
    case 'edited':
      if (!e.grounding) out.push(`${name} without a grounding`);
      if (!e.replaced) out.push(`${name} but replaced no proposal`);
      break;
    case 'not_groundable':
      if (e.grounding) out.push(`${name} but has a grounding`);
      break;
  }
  return out;
}

/**
 * The status of a stored entity: files written before the word changed say `rejected` for
 * an entity that cannot be grounded (a reviewer rejects samples, not entities), which is
 * read as `not_groundable`. Anything else unknown reads as `pending`.
 */
export function readEntityStatus(stored: unknown): EntityStatus {
  if (stored === 'rejected') return 'not_groundable';
  const known: readonly EntityStatus[] = [
    'pending',
    'proposed',
    'accepted',
    'edited',
    'not_groundable',
  ];
  return known.find((s) => s === stored) ?? 'pending';
}
