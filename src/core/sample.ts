/**
 * Reading a sample line: the input fields it must have, and Groundwork's state for it,
 * derived from the reasoning when the line carries none yet.
 */
import { isBlank } from './dataset';
import { extractEntities } from './entities';
import type { EntityExtraction } from './entities';
import { parseLine } from './jsonLine';
import { STATE_KEY } from './model';
import type { EntityState, Grounding, SampleFields, SampleState } from './model';
import type { CopMatch } from './chainOfPoint';

/** A sample line, read: its fields, its state (stored or derived) and its entities. */
export interface SampleView {
  /** 0-based line index in the file. */
  readonly line: number;
  readonly fields: SampleFields;
  readonly state: SampleState;
  readonly extraction: EntityExtraction;
  /** Problems reading this line's state (entities that no longer match the reasoning...). */
  readonly notes: readonly string[];
}

/** A line that could not be read as a sample, with the reason. */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/** Reads line `line` as a sample, or says why it is not one. Never throws. */
export function readSample(raw: string, line: number): SampleView | LineProblem {
  const p = parseLine(raw);
  if (!p.ok) return { line, message: p.message };
  const v = p.value;
  if (typeof v.id !== 'string' || v.id === '') return { line, message: 'no "id" string' };
  if (typeof v.reasoning !== 'string')
    return { line, message: `sample "${v.id}": no "reasoning" string` };
  if (v.video !== undefined && typeof v.video !== 'string')
    return { line, message: `sample "${v.id}": "video" must be a string path` };
  if (
    v.frames !== undefined &&
    !(Array.isArray(v.frames) && v.frames.every((f) => typeof f === 'string'))
  ) {
    return { line, message: `sample "${v.id}": "frames" must be a list of image paths` };
  }
  if (v.fps !== undefined && !(typeof v.fps === 'number' && v.fps > 0))
    return { line, message: `sample "${v.id}": "fps" must be a positive number` };
  const fields = v as unknown as SampleFields;
  const extraction = extractEntities(fields.reasoning);
  const notes: string[] = [];
  const state = reconcileState(v[STATE_KEY], extraction, notes);
  return { line, fields, state, extraction, notes };
}

/** True when `r` is a problem rather than a sample. */
export function isProblem(r: SampleView | LineProblem): r is LineProblem {
  return 'message' in r;
}

/** The grounding an imported tag stands for: normalised points in a 1000 x 1000 space. */
function groundingFromCop(m: CopMatch): Grounding {
  return {
    tag: m.tag,
    frame: m.frame,
    points: m.points.map(([x, y]) => [x, y] as const),
    size: [1000, 1000],
    source: 'import',
  };
}

/** The state of a sample nobody has touched: entities proposed from inline tags, or pending. */
function initialState(extraction: EntityExtraction): SampleState {
  return {
    status: 'todo',
    entities: extraction.entities.map((e): EntityState =>
      e.proposal
        ? {
            text: e.text,
            status: 'proposed',
            kind: e.proposal.tag,
            proposal: groundingFromCop(e.proposal),
          }
        : { text: e.text, status: 'pending' },
    ),
  };
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
 * Lines up stored entity states with the entities of the current reasoning: by position
 * when the text matches, else by the first unused state with the same text. States that
 * match nothing are dropped with a note; new entities start fresh.
 */
function reconcileState(
  stored: unknown,
  extraction: EntityExtraction,
  notes: string[],
): SampleState {
  if (stored === undefined) return initialState(extraction);
  if (!isState(stored)) {
    notes.push(`"${STATE_KEY}" is not a valid state object; it was ignored`);
    return initialState(extraction);
  }
  // Fast path: the stored entities are exactly the current ones (the usual case).
  const ents = extraction.entities;
  if (
    stored.entities.length === ents.length &&
    ents.every((e, i) => stored.entities[i]?.text === e.text)
  )
    return stored;
  const fresh = initialState(extraction);
  const used = new Set<number>();
  const entities = extraction.entities.map((e, i): EntityState => {
    const same = stored.entities[i];
    if (same && same.text === e.text && !used.has(i)) {
      used.add(i);
      return same;
    }
    const j = stored.entities.findIndex((s, k) => !used.has(k) && s.text === e.text);
    if (j >= 0) {
      used.add(j);
      return stored.entities[j] as EntityState;
    }
    return fresh.entities[i] as EntityState;
  });
  stored.entities.forEach((s, k) => {
    if (!used.has(k)) notes.push(`stored entity "${s.text}" no longer appears in the reasoning`);
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
