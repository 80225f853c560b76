/**
 * The sample state machine of DESIGN.md section 2: `todo -> in_progress -> annotated ->
 * approved | rejected`, `rejected -> in_progress`, and what a change to an entity does to
 * the sample it belongs to.
 */
import type { EntityState, SampleState, SampleStatus } from '../model';
import { entityProblems, isDecided, pendingNames } from './entityStatus';

/**
 * The moves a person may ask for. `todo -> annotated` is the two steps through
 * `in_progress` at once (a sample whose entities were all decided on import);
 * `approved -> annotated` reopens a sample for review.
 */
const MOVES: Record<SampleStatus, readonly SampleStatus[]> = {
  todo: ['in_progress', 'annotated'],
  in_progress: ['annotated'],
  annotated: ['approved', 'rejected', 'in_progress'],
  approved: ['annotated'],
  rejected: ['in_progress'],
};

/** Statuses that promise every entity is decided. */
const DONE: ReadonlySet<SampleStatus> = new Set(['annotated', 'approved', 'rejected']);

/** Whether a person may move a sample from `from` to `to` (staying put is always allowed). */
export function canTransition(from: SampleStatus, to: SampleStatus): boolean {
  return from === to || MOVES[from].includes(to);
}

/** Why sample `id` may not move to `to`, or undefined when it may. */
export function transitionProblem(
  id: string,
  state: SampleState,
  to: SampleStatus,
): string | undefined {
  const from = state.status;
  if (!canTransition(from, to)) {
    const allowed = MOVES[from].map((s) => s.replace('_', ' ')).join(' or ');
    return `sample "${id}" cannot go from ${from.replace('_', ' ')} to ${to.replace('_', ' ')}; from ${from.replace('_', ' ')} it can go to ${allowed}`;
  }
  if (DONE.has(to) && from !== to) {
    const open = pendingNames(state.entities);
    if (open.length > 0)
      return `sample "${id}" cannot be ${to.replace('_', ' ')}: ${open.length} ${open.length === 1 ? 'entity is' : 'entities are'} not decided yet: ${open.join(', ')}`;
  }
  return undefined;
}

/** A sample's status after a change of its entities, and what the view should say about it. */
export interface Settled {
  readonly status: SampleStatus;
  readonly note?: string;
}

/**
 * The status after a person changed an entity (or the reasoning): a todo sample is now in
 * progress; a reviewer's fix of an annotated sample keeps it annotated so that it can be
 * approved; an approved sample goes back to annotated to be reviewed again; a rejected
 * sample is being reworked. A done status whose entities are no longer all decided
 * falls back to in progress.
 */
export function afterEntityChange(status: SampleStatus, entities: readonly EntityState[]): Settled {
  const open = pendingNames(entities);
  if (status === 'todo' || status === 'in_progress') return { status: 'in_progress' };
  if (status === 'rejected')
    return {
      status: 'in_progress',
      note: 'sample went back to in progress: a rejected sample is reworked, then annotated again',
    };
  if (open.length > 0)
    return {
      status: 'in_progress',
      note: `sample went back to in progress: ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} not decided`,
    };
  if (status === 'approved')
    return {
      status: 'annotated',
      note: 'sample went back to annotated: approved samples are reviewed again after a change',
    };
  return { status };
}

/**
 * The status after a model proposed a grounding: proposals are not a person's work, so a
 * todo sample stays todo; only a done status that now has an undecided entity falls back.
 */
export function afterProposal(status: SampleStatus, entities: readonly EntityState[]): Settled {
  if (!DONE.has(status) || entities.every(isDecided)) return { status };
  return afterEntityChange(status, entities);
}

/** What is wrong with a sample state, empty when it is legal (used by tests and `validate`). */
export function sampleProblems(state: SampleState): string[] {
  const out = state.entities.flatMap(entityProblems);
  if (DONE.has(state.status)) {
    const open = pendingNames(state.entities);
    if (open.length > 0) out.push(`sample is ${state.status} but ${open.join(', ')} undecided`);
  }
  return out;
}
