/**
 * Reading a sample line: the input fields it must have, and Groundwork's state for it,
 * derived from the reasoning when the line carries none yet.
 */
import { ANSWER_TEXT, groundingFromCop, initialAnswer } from './answer';
import { isBlank } from './dataset';
import { extractEntities } from './entities';
import type { EntityExtraction } from './entities';
import { parseLine } from './jsonLine';
import { STATE_KEY } from './model';
import type { EntityState, SampleFields, SampleState, TaskType } from './model';
import { readEntityStatus } from './rules/entityStatus';
import { sampleTask } from './task';

/** A sample line, read: its fields, its state (stored or derived) and its entities. */
export interface SampleView {
  /** 0-based line index in the file. */
  readonly line: number;
  readonly fields: SampleFields;
  readonly state: SampleState;
  readonly extraction: EntityExtraction;
  /** The sample's task (editor choice, line, dataset default, or inferred from the answer). */
  readonly task: TaskType;
  /** Problems reading this line's state (entities that no longer match the reasoning...). */
  readonly notes: readonly string[];
}

/** A line that could not be read as a sample, with the reason. */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/** How to read a sample: the dataset's default task (`--task`, a setting). */
export interface ReadOptions {
  readonly defaultTask?: TaskType;
}

/**
 * The one line reader: a line's input fields, checked, or the reason it is not a sample.
 * Cheap (no entity extraction), so the sample list uses it too and lists as samples
 * exactly the lines the editor can open.
 */
export function readSampleFields(
  raw: string,
):
  | { readonly fields: SampleFields; readonly value: Record<string, unknown> }
  | { readonly message: string } {
  const p = parseLine(raw);
  if (!p.ok) return { message: p.message };
  const v = p.value;
  if (typeof v.id !== 'string' || v.id === '') return { message: 'no "id" string' };
  if (typeof v.reasoning !== 'string')
    return { message: `sample "${v.id}": no "reasoning" string` };
  if (v.video !== undefined && typeof v.video !== 'string')
    return { message: `sample "${v.id}": "video" must be a string path` };
  if (
    v.frames !== undefined &&
    !(Array.isArray(v.frames) && v.frames.every((f) => typeof f === 'string'))
  ) {
    return { message: `sample "${v.id}": "frames" must be a list of image paths` };
  }
  if (v.fps !== undefined && !(typeof v.fps === 'number' && Number.isFinite(v.fps) && v.fps > 0))
    return { message: `sample "${v.id}": "fps" must be a positive number` };
  if (v.answer !== undefined && v.answer !== null && typeof v.answer !== 'string') {
    // A bare count (`"answer": 3`) is read as its text; the line itself keeps its bytes.
    if (typeof v.answer === 'number' && Number.isFinite(v.answer))
      return { fields: { ...v, answer: String(v.answer) } as unknown as SampleFields, value: v };
    return { message: `sample "${v.id}": "answer" must be text (the model's answer)` };
  }
  return { fields: v as unknown as SampleFields, value: v };
}

/** Reads line `line` as a sample, or says why it is not one. Never throws. */
export function readSample(
  raw: string,
  line: number,
  opts: ReadOptions = {},
): SampleView | LineProblem {
  const r = readSampleFields(raw);
  if ('message' in r) return { line, message: r.message };
  const { fields, value: v } = r;
  const notes: string[] = [];
  const task = sampleTask(fields, opts.defaultTask);
  if (task.problem) notes.push(task.problem);
  // The answer item comes first, so reasoning entities are indexed from 1 when there is one.
  const answer = initialAnswer(fields, task.task);
  const extraction = extractEntities(fields.reasoning, answer ? 1 : 0);
  const state = reconcileState(v[STATE_KEY], extraction, notes, answer);
  return { line, fields, state, extraction, task: task.task, notes };
}

/** True when `r` is a problem rather than a sample. */
export function isProblem(r: SampleView | LineProblem): r is LineProblem {
  return 'message' in r;
}

/** The state of a sample nobody has touched: entities proposed from inline tags, or pending. */
function initialState(extraction: EntityExtraction, answer?: EntityState): SampleState {
  const reasoning = extraction.entities.map((e): EntityState =>
    e.proposal
      ? {
          text: e.text,
          status: 'proposed',
          kind: e.proposal.tag,
          proposal: groundingFromCop(e.proposal),
        }
      : { text: e.text, status: 'pending' },
  );
  return { status: 'todo', entities: answer ? [answer, ...reasoning] : reasoning };
}

function isState(v: unknown): v is SampleState {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SampleState).status === 'string' &&
    Array.isArray((v as SampleState).entities)
  );
}

/**
 * The state with an older file's words read in today's (an entity `rejected` is
 * `not_groundable`). The line's bytes stay as they are until a person edits the sample.
 */
function withCurrentWords(stored: SampleState): SampleState {
  if (!stored.entities.some((e) => (e.status as string) === 'rejected')) return stored;
  return {
    ...stored,
    entities: stored.entities.map((e) =>
      (e.status as string) === 'rejected' ? { ...e, status: readEntityStatus(e.status) } : e,
    ),
  };
}

/**
 * Lines up stored entity states with the entities of the current reasoning: by position
 * when the text matches, else by the first unused state with the same text. States that
 * match nothing are dropped with a note; new entities start fresh.
 */
function reconcileState(
  storedValue: unknown,
  extraction: EntityExtraction,
  notes: string[],
  answer?: EntityState,
): SampleState {
  if (storedValue === undefined) return initialState(extraction, answer);
  if (!isState(storedValue)) {
    notes.push(`"${STATE_KEY}" is not a valid state object; it was ignored`);
    return initialState(extraction, answer);
  }
  const stored = withCurrentWords(storedValue);
  // Item i of the state: the answer (role "answer") first when there is one, then entities.
  const want = [...(answer ? [ANSWER_TEXT] : []), ...extraction.entities.map((e) => e.text)];
  const isAnswerAt = (i: number) => answer !== undefined && i === 0;
  // Fast path: the stored entities are exactly the current ones (the usual case).
  if (
    stored.entities.length === want.length &&
    want.every(
      (t, i) =>
        stored.entities[i]?.text === t && (stored.entities[i]?.role === 'answer') === isAnswerAt(i),
    )
  )
    return stored;
  const fresh = initialState(extraction, answer);
  const used = new Set<number>();
  const entities = want.map((text, i): EntityState => {
    const e = { text };
    if (isAnswerAt(i)) {
      const k = stored.entities.findIndex((s) => s.role === 'answer');
      if (k >= 0) used.add(k);
      return k >= 0 ? (stored.entities[k] as EntityState) : (fresh.entities[0] as EntityState);
    }
    const same = stored.entities[i];
    if (same && same.text === e.text && same.role !== 'answer' && !used.has(i)) {
      used.add(i);
      return same;
    }
    const j = stored.entities.findIndex(
      (s, k) => !used.has(k) && s.text === e.text && s.role !== 'answer',
    );
    if (j >= 0) {
      used.add(j);
      return stored.entities[j] as EntityState;
    }
    return fresh.entities[i] as EntityState;
  });
  stored.entities.forEach((s, k) => {
    if (used.has(k)) return;
    if (s.role === 'answer')
      notes.push('the stored answer item was dropped: the task answers text');
    else notes.push(`stored entity "${s.text}" no longer appears in the reasoning`);
  });
  return { ...stored, entities };
}

/** Every line of a document read: samples, problems (invalid lines), and the count of blank lines. */
export function readAllSamples(lines: readonly { readonly raw: string }[]): {
  samples: SampleView[];
  problems: LineProblem[];
  blank: number;
} {
  const samples: SampleView[] = [];
  const problems: LineProblem[] = [];
  let blank = 0;
  lines.forEach((l, i) => {
    if (isBlank(l.raw)) {
      blank++;
      return;
    }
    const r = readSample(l.raw, i);
    if (isProblem(r)) problems.push(r);
    else samples.push(r);
  });
  return { samples, problems, blank };
}
