/**
 * The answer as an item to verify (issue 15): for grounding tasks a grounding of the task's
 * tag on one or more acceptable frames, for `counting` a number, for `general` nothing to
 * verify (text). The item is entity 0 of the sample's state, marked `role: 'answer'`.
 */
import type { CopMatch } from './chainOfPoint';
import type { EntityState, EntityStatus, Grounding, SampleFields, TaskType } from './model';
import { answerCount, answerGroundings, answerTag } from './task';

/** The label of the answer item in the entity list (and its `text`, which ops check). */
export const ANSWER_TEXT = 'Answer';

/** The grounding an imported tag stands for: normalised points in a 1000 x 1000 space. */
export function groundingFromCop(m: CopMatch): Grounding {
  return {
    tag: m.tag,
    frame: m.frame,
    points: m.points.map(([x, y]) => [x, y] as const),
    size: [1000, 1000],
    source: 'import',
  };
}

/** The answer item of a sample nobody has touched, or undefined when the task answers text. */
export function initialAnswer(fields: SampleFields, task: TaskType): EntityState | undefined {
  if (task === 'counting') {
    const n = answerCount(fields.answer);
    return n === undefined
      ? { text: ANSWER_TEXT, role: 'answer', status: 'pending' }
      : { text: ANSWER_TEXT, role: 'answer', status: 'proposed', proposedCount: n };
  }
  const tag = answerTag(task);
  if (!tag) return undefined;
  // Several tags of the task's tag in the answer are several acceptable frames.
  const found = answerGroundings(fields.answer, task).map(groundingFromCop);
  const first = found[0];
  if (!first) return { text: ANSWER_TEXT, role: 'answer', status: 'pending', kind: tag };
  return {
    text: ANSWER_TEXT,
    role: 'answer',
    status: 'proposed',
    kind: tag,
    proposal: first,
    ...(found.length > 1 ? { alternates: found.slice(1) } : {}),
  };
}

/** True for the answer item. */
export function isAnswer(e: EntityState | undefined): boolean {
  return e?.role === 'answer';
}

/** True when a person marked the item not groundable (`rejected` in older files). */
export function isNotGroundable(status: EntityStatus): boolean {
  // Compared as strings: the status union is being renamed (rejected -> not_groundable).
  const s: string = status;
  return s === 'rejected' || s === 'not_groundable';
}

/** True when a person verified the item (accepted or edited). */
export function isVerified(status: EntityStatus): boolean {
  return status === 'accepted' || status === 'edited';
}

/** A counting answer's verified number: the count points clicked, else the accepted number. */
export function verifiedCount(e: EntityState): number | undefined {
  if (!isVerified(e.status)) return undefined;
  // The count tool's clicks are the count (issue 15): one point per instance, on any frame.
  if (e.grounding)
    return [e.grounding, ...(e.alternates ?? [])].reduce((n, g) => n + g.points.length, 0);
  return e.count ?? e.proposedCount;
}

/** Every acceptable frame of a verified grounding answer: `grounding`, then `alternates`. */
export function answerFrames(e: EntityState, useProposals = false): Grounding[] {
  const main = isVerified(e.status) ? e.grounding : useProposals ? e.proposal : undefined;
  if (!main || isNotGroundable(e.status)) return [];
  const rest = (e.alternates ?? []).filter((g) => g.frame !== main.frame);
  return [main, ...rest];
}
