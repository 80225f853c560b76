/**
 * The answer's own edits (issue 15): a person changes the sample's task, and adds or removes
 * further acceptable frames of the answer grounding. Pure decisions; `apply` in ops.ts runs
 * them and writes the line, so the webview only asks.
 */
import { initialAnswer, isAnswer } from './answer';
import type { EntityState, Grounding, Point, SampleState, TaskType } from './model';
import { groundingProblem } from './rules/geometryCheck';
import type { SampleView } from './sample';

/** An answer edit's outcome: the next value, or why the request does not fit. */
export type AnswerDecision<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * The state after a person sets the task: the answer item is rebuilt for the new task (a
 * box answer means nothing to a trajectory task), reasoning entities keep their states.
 */
export function stateWithTask(s: SampleView, task: TaskType): SampleState {
  const rest = s.state.entities.filter((e) => !isAnswer(e));
  const old = s.state.entities.find(isAnswer);
  // The same task (only its origin changes, e.g. inferred -> chosen) keeps the work done.
  const answer = s.task === task && old ? old : initialAnswer(s.fields, task);
  return { ...s.state, task, entities: answer ? [answer, ...rest] : rest };
}

/** What an `answer/alternate` op asks: add (or replace) the frame's grounding, or remove it. */
export interface AlternateRequest {
  readonly action: 'add' | 'remove';
  readonly frame: number;
  readonly points?: readonly Point[];
  readonly size?: readonly [number, number];
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/**
 * The answer item with one acceptable frame added or removed. The main grounding (or the
 * proposal while unverified) is the first frame; alternates are the others, in frame order.
 */
export function answerWithAlternate(
  e: EntityState | undefined,
  req: AlternateRequest,
  frameCount?: number,
): AnswerDecision<EntityState> {
  if (!e || !isAnswer(e)) return { ok: false, message: 'item 0 is not the answer' };
  const main = e.grounding ?? e.proposal;
  if (!main)
    return {
      ok: false,
      message: 'the answer has no grounding yet: draw it first, then add frames',
    };
  const others = (e.alternates ?? []).filter((g) => g.frame !== req.frame);
  if (req.action === 'remove') {
    if (others.length === (e.alternates ?? []).length)
      return { ok: false, message: `frame ${req.frame} is not an acceptable frame of the answer` };
    return { ok: true, value: withAlternates(e, others) };
  }
  if (req.frame === main.frame)
    return {
      ok: false,
      message: `frame ${req.frame} is the answer's own frame; draw there to change it`,
    };
  if (!req.points?.length || !req.size)
    return { ok: false, message: 'an acceptable frame needs the points drawn on it' };
  const added: Grounding = {
    tag: e.kind ?? main.tag,
    frame: req.frame,
    points: req.points.map((p) => [round2(p[0]), round2(p[1])] as const),
    size: [req.size[0], req.size[1]],
    source: 'human',
  };
  const problem = groundingProblem(added, frameCount);
  if (problem) return { ok: false, message: `answer: ${problem}` };
  const next = [...others, added].sort((a, b) => a.frame - b.frame);
  return { ok: true, value: withAlternates(e, next) };
}

function withAlternates(e: EntityState, alternates: readonly Grounding[]): EntityState {
  const { alternates: _old, ...rest } = e;
  return alternates.length ? { ...rest, alternates } : rest;
}
