/**
 * Edits as operations: `apply(doc, op) -> {doc, inverse, notes}`. A view sends intents
 * ("accept this entity's proposal", "this sample is annotated"); `apply` decides the next
 * state by the rules in `rules/`, refuses what they forbid, and says what else happened.
 * Every op touches whole lines, changing only the `groundwork` key (or `reasoning`), so
 * applying the inverse gives back the original bytes.
 */
import { answerWithAlternate, stateWithTask } from './answerOps';
import type { DatasetDoc, DocLine } from './dataset';
import { setTopLevelKey } from './jsonLine';
import { STATE_KEY } from './model';
import type { EntityState, SampleFields, SampleState, SampleStatus, TaskType } from './model';
import { decideMask } from './raster/maskEdit';
import { decideEntity } from './rules/entityIntent';
import { changedComment, stampEntity, stampStatus, withComment } from './rules/identity';
import type { Actor } from './rules/identity';
import type { EntityIntent } from './rules/entityIntent';
import { checkViewRaw, lineBreakProblem } from './rules/rawLineCheck';
import { afterEntityChange, afterProposal, transitionProblem } from './rules/sampleStatus';
import type { Settled } from './rules/sampleStatus';
import { isProblem, readSample } from './sample';
import type { ReadOptions, SampleView } from './sample';

export type { EntityRef, Op, ViewLeafOp, ViewOp } from './opTypes';
import type { EntityRef, Op } from './opTypes';

/** The result of applying an op: the new document, the op that undoes it, what else happened. */
export interface Applied {
  readonly doc: DatasetDoc;
  readonly inverse: Op;
  /** Sentences for the view ("sample went back to annotated: ..."); empty when nothing to say. */
  readonly notes: readonly string[];
}

/** What the host knows beyond the document: a video's frame count, who acts and when. */
export interface ApplyContext {
  readonly frameCount?: (fields: SampleFields, line: number) => number | undefined;
  /** The person making the change; absent (batch tools, tests), nothing is stamped. */
  readonly actor?: Actor;
  /** The dataset's default task (`groundwork.defaultTask`, `--task`): samples read as export reads them. */
  readonly defaultTask?: TaskType;
}

/** An op that cannot apply (stale line, wrong id, illegal transition); the document is unchanged. */
export class OpError extends Error {}

function withLine(doc: DatasetDoc, line: number, raw: string): DatasetDoc {
  const lines = doc.lines.slice();
  lines[line] = { raw, eol: (doc.lines[line] as DocLine).eol };
  return { bom: doc.bom, lines };
}

function sampleAt(doc: DatasetDoc, line: number, id: string, ctx: ApplyContext = {}): SampleView {
  const l = doc.lines[line];
  if (!l) throw new OpError(`line ${line + 1} does not exist`);
  const s = readSample(l.raw, line, readOptions(ctx));
  if (isProblem(s)) throw new OpError(`line ${line + 1}: ${s.message}`);
  if (s.fields.id !== id)
    throw new OpError(`line ${line + 1} holds sample "${s.fields.id}", not "${id}"`);
  return s;
}

/**
 * Writes `state` into line `line`, with the inverse and the note of a status change; a
 * status that moved from `from` is stamped with the actor.
 */
function written(
  doc: DatasetDoc,
  line: number,
  raw: string,
  state: SampleState,
  settled?: Settled,
  stamp?: { readonly from: SampleStatus; readonly actor?: Actor; readonly comment?: string },
): Applied {
  const moved = settled ? { ...state, status: settled.status } : state;
  const next = stamp ? stampStatus(stamp.from, moved, stamp.actor, stamp.comment) : moved;
  return {
    doc: withLine(doc, line, setTopLevelKey(raw, STATE_KEY, next)),
    inverse: { type: 'line/restore', line, raw: (doc.lines[line] as DocLine).raw },
    notes: settled?.note ? [settled.note] : [],
  };
}

/** The sample and entity an entity op names (refused when stale), and its frame count. */
function entityAt(
  doc: DatasetDoc,
  op: EntityRef,
  ctx: ApplyContext,
): { s: SampleView; current: EntityState; frameCount: number | undefined } {
  const s = sampleAt(doc, op.line, op.id, ctx);
  const current = s.state.entities[op.entity];
  if (!current || !Number.isInteger(op.entity))
    throw new OpError(`sample "${op.id}" has no entity ${op.entity}`);
  if (op.text !== undefined && current.text !== op.text)
    throw new OpError(`entity ${op.entity} of "${op.id}" is "${current.text}", not "${op.text}"`);
  const frameCount = ctx.frameCount?.(s.fields, op.line) ?? s.fields.frames?.length;
  return { s, current, frameCount };
}

function intentOf(op: Op): EntityIntent | undefined {
  switch (op.type) {
    case 'entity/accept':
      return op.size ? { type: 'accept', size: op.size } : { type: 'accept' };
    case 'entity/draw':
      return { type: 'draw', tag: op.tag, frame: op.frame, points: op.points, size: op.size };
    case 'entity/notGroundable':
      return { type: 'notGroundable' };
    case 'entity/kind':
      return { type: 'kind', kind: op.kind };
    case 'entity/frame':
      return { type: 'frame', frame: op.frame };
    case 'entity/propose':
      return { type: 'propose', proposal: op.proposal, ...(op.click ? { click: true } : {}) };
    default:
      return undefined;
  }
}

function applyEntity(
  doc: DatasetDoc,
  op: EntityRef & { readonly type: Op['type'] },
  intent: EntityIntent,
  ctx: ApplyContext,
): Applied {
  const { s, current, frameCount } = entityAt(doc, op, ctx);
  const d = decideEntity(current, intent, op.elapsedMs, frameCount);
  if (!d.ok) throw new OpError(d.message);
  const entities: EntityState[] = s.state.entities.slice();
  // A proposal is a model's and a kind is not yet a decision: only the other intents stamp.
  const personal = intent.type !== 'propose' && intent.type !== 'kind';
  entities[op.entity] = personal ? stampEntity(d.value, ctx.actor) : d.value;
  const settled =
    intent.type === 'propose'
      ? afterProposal(s.state.status, entities)
      : afterEntityChange(s.state.status, entities);
  const raw = (doc.lines[op.line] as DocLine).raw;
  return written(doc, op.line, raw, { ...s.state, entities }, settled, {
    from: s.state.status,
    ...(ctx.actor ? { actor: ctx.actor } : {}),
  });
}

/** `mask/set` and `mask/clear`: core's mask rules (raster/maskEdit.ts) decide the entity. */
function applyMask(
  doc: DatasetDoc,
  op: Extract<Op, { type: 'mask/set' | 'mask/clear' }>,
  ctx: ApplyContext,
): Applied {
  const { s, current, frameCount } = entityAt(doc, op, ctx);
  const edit =
    op.type === 'mask/set'
      ? {
          frame: op.frame,
          mask: op.mask,
          source: op.source,
          ...(op.score !== undefined ? { score: op.score } : {}),
        }
      : { frame: op.frame };
  const d = decideMask(current, edit, frameCount);
  if (!d.ok) throw new OpError(d.message);
  const spent = (current.timeMs ?? 0) + Math.max(0, Math.round(op.elapsedMs ?? 0));
  const value = d.human && spent > 0 ? { ...d.value, timeMs: spent } : d.value;
  const entities: EntityState[] = s.state.entities.slice();
  entities[op.entity] = d.human ? stampEntity(value, ctx.actor) : value;
  const settled = d.human
    ? afterEntityChange(s.state.status, entities)
    : afterProposal(s.state.status, entities);
  const raw = (doc.lines[op.line] as DocLine).raw;
  return written(doc, op.line, raw, { ...s.state, entities }, settled, {
    from: s.state.status,
    ...(ctx.actor ? { actor: ctx.actor } : {}),
  });
}

/** How `ctx` says samples are read (the same default task as the views and export). */
function readOptions(ctx: ApplyContext): ReadOptions {
  return ctx.defaultTask ? { defaultTask: ctx.defaultTask } : {};
}

/** `sample/task` and `answer/alternate`: the answer's own edits (answerOps.ts decides). */
function applyAnswer(
  doc: DatasetDoc,
  op: Extract<Op, { type: 'sample/task' | 'answer/alternate' }>,
  ctx: ApplyContext,
): Applied {
  const s = sampleAt(doc, op.line, op.id, ctx);
  const raw = (doc.lines[op.line] as DocLine).raw;
  const stamp = { from: s.state.status, ...(ctx.actor ? { actor: ctx.actor } : {}) };
  if (op.type === 'sample/task') {
    if (s.task === op.task && s.state.task === op.task)
      return { doc, inverse: { type: 'line/restore', line: op.line, raw }, notes: [] };
    const next = stateWithTask(s, op.task);
    const settled = afterEntityChange(s.state.status, next.entities);
    return written(doc, op.line, raw, next, settled, stamp);
  }
  const frameCount = ctx.frameCount?.(s.fields, op.line) ?? s.fields.frames?.length;
  const d = answerWithAlternate(s.state.entities[0], op, frameCount);
  if (!d.ok) throw new OpError(`"${op.id}": ${d.message}`);
  const entities: EntityState[] = s.state.entities.slice();
  entities[0] = stampEntity(d.value, ctx.actor);
  const settled = afterEntityChange(s.state.status, entities);
  return written(doc, op.line, raw, { ...s.state, entities }, settled, stamp);
}

/** Applies `op` to `doc`; throws OpError (and changes nothing) when the op does not fit. */
export function apply(doc: DatasetDoc, op: Op, ctx: ApplyContext = {}): Applied {
  const intent = intentOf(op);
  if (intent) return applyEntity(doc, op as EntityRef & { type: Op['type'] }, intent, ctx);
  switch (op.type) {
    case 'mask/set':
    case 'mask/clear':
      return applyMask(doc, op, ctx);
    case 'sample/task':
    case 'answer/alternate':
      return applyAnswer(doc, op, ctx);
    case 'line/raw':
    case 'line/restore': {
      const l = doc.lines[op.line];
      if (!l) throw new OpError(`line ${op.line + 1} does not exist`);
      const problem =
        op.type === 'line/raw' ? checkViewRaw(l.raw, op.raw) : lineBreakProblem(op.raw);
      if (problem) throw new OpError(`line ${op.line + 1}: ${problem}`);
      return {
        doc: withLine(doc, op.line, op.raw),
        inverse: { type: 'line/restore', line: op.line, raw: l.raw },
        notes: [],
      };
    }
    case 'sample/status': {
      const s = sampleAt(doc, op.line, op.id, ctx);
      const problem = transitionProblem(op.id, s.state, op.status);
      if (problem) throw new OpError(problem);
      const moved: SampleState =
        op.comment !== undefined
          ? { ...s.state, status: op.status, comment: op.comment }
          : { ...s.state, status: op.status };
      // A reviewer's comment is also a message of the thread the annotator sees (a second
      // rejection's too: the thread, not the single `comment` field, is what people read).
      const text = op.comment?.trim();
      const next = text ? withComment(moved, text, ctx.actor) : moved;
      return written(doc, op.line, (doc.lines[op.line] as DocLine).raw, next, undefined, {
        from: s.state.status,
        ...(ctx.actor ? { actor: ctx.actor } : {}),
        ...(text ? { comment: text } : {}),
      });
    }
    case 'sample/comment': {
      const s = sampleAt(doc, op.line, op.id, ctx);
      const text = op.text.trim();
      if (!text) throw new OpError(`a comment on "${op.id}" needs some text`);
      if (op.entity !== undefined && !s.state.entities[op.entity])
        throw new OpError(`sample "${op.id}" has no entity ${op.entity} to comment on`);
      const next = withComment(s.state, text, ctx.actor, op.entity);
      return written(doc, op.line, (doc.lines[op.line] as DocLine).raw, next);
    }
    case 'sample/comment-edit': {
      const s = sampleAt(doc, op.line, op.id, ctx);
      const change =
        op.text === undefined
          ? { action: 'delete' as const }
          : { action: 'edit' as const, text: op.text };
      const decided = changedComment(s.state, op.index, change, ctx.actor);
      if (!decided.ok) throw new OpError(decided.message);
      return written(doc, op.line, (doc.lines[op.line] as DocLine).raw, decided.state);
    }
    case 'sample/reasoning': {
      const s = sampleAt(doc, op.line, op.id, ctx);
      const raw = (doc.lines[op.line] as DocLine).raw;
      if (op.reasoning === s.fields.reasoning)
        return { doc, inverse: { type: 'line/restore', line: op.line, raw }, notes: [] };
      const withText = setTopLevelKey(raw, 'reasoning', op.reasoning);
      const re = readSample(withText, op.line, readOptions(ctx));
      if (isProblem(re)) throw new OpError(re.message);
      const settled = afterEntityChange(s.state.status, re.state.entities);
      return written(doc, op.line, withText, re.state, settled, {
        from: s.state.status,
        ...(ctx.actor ? { actor: ctx.actor } : {}),
      });
    }
    case 'batch': {
      let current = doc;
      const inverses: Op[] = [];
      const notes: string[] = [];
      for (const o of op.ops) {
        const r = apply(current, o, ctx);
        current = r.doc;
        inverses.unshift(r.inverse);
        notes.push(...r.notes);
      }
      return {
        doc: current,
        inverse: { type: 'batch', ops: inverses },
        notes: [...new Set(notes)],
      };
    }
    default:
      throw new OpError(`unknown op "${(op as { type: string }).type}"`);
  }
}

/** The line indices an op touches (for "did the file change under these lines?" checks). */
export function touchedLines(op: Op): number[] {
  return op.type === 'batch' ? [...new Set(op.ops.flatMap(touchedLines))] : [op.line];
}
