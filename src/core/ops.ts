/**
 * Edits as operations: `apply(doc, op) -> {doc, inverse}`. Every op touches whole lines of
 * the document, changing only the `groundwork` key (or `reasoning`) of a line, so applying
 * the inverse gives back the original bytes.
 */
import type { DatasetDoc, DocLine } from './dataset';
import { setTopLevelKey } from './jsonLine';
import { STATE_KEY } from './model';
import type { EntityState, SampleState, SampleStatus } from './model';
import { isProblem, readSample } from './sample';

/** An edit of the dataset. `line` is the 0-based line index; `id` guards against a stale view. */
export type Op =
  /** Replaces the state of one entity (accept, draw, reject, change kind or frame). */
  | {
      readonly type: 'entity/set';
      readonly line: number;
      readonly id: string;
      readonly entity: number;
      readonly value: EntityState;
    }
  /** Moves a sample through its state machine, with an optional reviewer comment. */
  | {
      readonly type: 'sample/status';
      readonly line: number;
      readonly id: string;
      readonly status: SampleStatus;
      readonly comment?: string;
    }
  /** Replaces the reasoning text; entities are re-derived and states kept where texts match. */
  | {
      readonly type: 'sample/reasoning';
      readonly line: number;
      readonly id: string;
      readonly reasoning: string;
    }
  /** Replaces a line's text wholesale: the inverse of every other op. */
  | { readonly type: 'line/raw'; readonly line: number; readonly raw: string }
  /** Several ops as one undo step (one gesture). */
  | { readonly type: 'batch'; readonly ops: readonly Op[] };

/** The result of applying an op: the new document and the op that undoes it. */
export interface Applied {
  readonly doc: DatasetDoc;
  readonly inverse: Op;
}

/** An op that cannot apply (stale line, wrong id, bad entity index); the document is unchanged. */
export class OpError extends Error {}

function withLine(doc: DatasetDoc, line: number, raw: string): DatasetDoc {
  const lines = doc.lines.slice();
  lines[line] = { raw, eol: (doc.lines[line] as DocLine).eol };
  return { bom: doc.bom, lines };
}

function sampleAt(doc: DatasetDoc, line: number, id: string) {
  const l = doc.lines[line];
  if (!l) throw new OpError(`line ${line + 1} does not exist`);
  const s = readSample(l.raw, line);
  if (isProblem(s)) throw new OpError(`line ${line + 1}: ${s.message}`);
  if (s.fields.id !== id)
    throw new OpError(`line ${line + 1} holds sample "${s.fields.id}", not "${id}"`);
  return s;
}

function writeState(raw: string, state: SampleState): string {
  return setTopLevelKey(raw, STATE_KEY, state);
}

/** The allowed sample transitions (DESIGN.md section 2), plus any return to in_progress by an editor. */
export function canTransition(from: SampleStatus, to: SampleStatus): boolean {
  if (from === to) return true;
  const allowed: Record<SampleStatus, readonly SampleStatus[]> = {
    todo: ['in_progress', 'annotated'],
    in_progress: ['annotated', 'todo'],
    annotated: ['approved', 'rejected', 'in_progress'],
    approved: ['in_progress', 'annotated'],
    rejected: ['in_progress'],
  };
  return allowed[from].includes(to);
}

/** Applies `op` to `doc`; throws OpError (and changes nothing) when the op does not fit. */
export function apply(doc: DatasetDoc, op: Op): Applied {
  switch (op.type) {
    case 'line/raw': {
      const l = doc.lines[op.line];
      if (!l) throw new OpError(`line ${op.line + 1} does not exist`);
      return {
        doc: withLine(doc, op.line, op.raw),
        inverse: { type: 'line/raw', line: op.line, raw: l.raw },
      };
    }
    case 'entity/set': {
      const s = sampleAt(doc, op.line, op.id);
      if (op.entity < 0 || op.entity >= s.state.entities.length)
        throw new OpError(`sample "${op.id}" has no entity ${op.entity}`);
      if (s.state.entities[op.entity]?.text !== op.value.text)
        throw new OpError(
          `entity ${op.entity} of "${op.id}" is "${s.state.entities[op.entity]?.text}", not "${op.value.text}"`,
        );
      const entities = s.state.entities.slice();
      entities[op.entity] = op.value;
      const status = s.state.status === 'todo' ? 'in_progress' : s.state.status;
      const raw = (doc.lines[op.line] as DocLine).raw;
      return {
        doc: withLine(doc, op.line, writeState(raw, { ...s.state, status, entities })),
        inverse: { type: 'line/raw', line: op.line, raw },
      };
    }
    case 'sample/status': {
      const s = sampleAt(doc, op.line, op.id);
      if (!canTransition(s.state.status, op.status))
        throw new OpError(`sample "${op.id}" cannot go from ${s.state.status} to ${op.status}`);
      const raw = (doc.lines[op.line] as DocLine).raw;
      const next: SampleState =
        op.comment !== undefined
          ? { ...s.state, status: op.status, comment: op.comment }
          : { ...s.state, status: op.status };
      return {
        doc: withLine(doc, op.line, writeState(raw, next)),
        inverse: { type: 'line/raw', line: op.line, raw },
      };
    }
    case 'sample/reasoning': {
      const s = sampleAt(doc, op.line, op.id);
      const raw = (doc.lines[op.line] as DocLine).raw;
      const withText = setTopLevelKey(raw, 'reasoning', op.reasoning);
      const re = readSample(withText, op.line);
      if (isProblem(re)) throw new OpError(re.message);
      const next = {
        ...re.state,
        status: s.state.status === 'todo' ? ('in_progress' as const) : s.state.status,
      };
      return {
        doc: withLine(doc, op.line, writeState(withText, next)),
        inverse: { type: 'line/raw', line: op.line, raw },
      };
    }
    case 'batch': {
      let d = doc;
      const inverses: Op[] = [];
      for (const o of op.ops) {
        const r = apply(d, o);
        d = r.doc;
        inverses.unshift(r.inverse);
      }
      return { doc: d, inverse: { type: 'batch', ops: inverses } };
    }
  }
}

/** The line indices an op touches (for "did the file change under these lines?" checks). */
export function touchedLines(op: Op): number[] {
  return op.type === 'batch' ? [...new Set(op.ops.flatMap(touchedLines))] : [op.line];
}
