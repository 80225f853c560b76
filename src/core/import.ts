/**
 * Import into the dataset layout (DESIGN.md section 2): RynnBrain's raw reasoning layout (a
 * `conversation` with `user`, `Thinking` and `assistant` turns) and plain CoP traces. Model
 * text marks entities by the grounding tag that follows them, not always by brackets, so a
 * tag with no bracketed span before it gets its noun phrase bracketed, and that is reported.
 */
import { parseCop } from './chainOfPoint';

/** One imported sample in the dataset layout, plus notes on what import had to infer. */
export interface ImportedSample {
  readonly record: Record<string, unknown>;
  readonly notes: readonly string[];
}

const STOP =
  /^(the|a|an|its|their|his|her|this|that|these|those|of|on|in|at|to|with|and|or|is|are|was|near|by|from|for)$/i;

/**
 * Brackets the phrase right before each grounding tag that has no bracketed span before it:
 * the words back to a determiner, preposition or punctuation, at most six.
 */
export function bracketUngrounded(text: string): { text: string; inferred: string[] } {
  const tags = parseCop(text).groundings;
  let out = '';
  let at = 0;
  const inferred: string[] = [];
  for (const t of tags) {
    const before = text.slice(at, t.start);
    if (/\]\s*$/.test(before)) {
      out += before + text.slice(t.start, t.end);
      at = t.end;
      continue;
    }
    const m = /([^\s.,;:!?()<>[\]]+(?:\s+[^\s.,;:!?()<>[\]]+)*)(\s*)$/.exec(before);
    if (!m || !m[1]) {
      out += before + text.slice(t.start, t.end);
      at = t.end;
      continue;
    }
    const words = m[1].split(/\s+/);
    let k = words.length;
    while (k > 0 && words.length - k < 6 && !STOP.test(words[k - 1] as string)) k--;
    const phrase = words.slice(k).join(' ');
    if (!phrase) {
      out += before + text.slice(t.start, t.end);
      at = t.end;
      continue;
    }
    const phraseStart = before.length - (m[2] as string).length - phrase.length;
    out +=
      before.slice(0, phraseStart) +
      `[${phrase}]` +
      before.slice(phraseStart + phrase.length) +
      text.slice(t.start, t.end);
    inferred.push(phrase);
    at = t.end;
  }
  return { text: out + text.slice(at), inferred };
}

interface Item {
  type?: unknown;
  text?: unknown;
  image?: unknown;
  video?: unknown;
}
interface Turn {
  role?: unknown;
  content?: unknown;
}

function itemsOf(turn: Turn | undefined): Item[] {
  if (!turn) return [];
  if (typeof turn.content === 'string') return [{ type: 'text', text: turn.content }];
  return Array.isArray(turn.content) ? (turn.content as Item[]) : [];
}

function textOf(items: Item[]): string {
  return items
    .filter((i) => typeof i.text === 'string')
    .map((i) => i.text as string)
    .join('');
}

/** Imports one record in RynnBrain's raw layout; `fallbackId` names records without an id. */
export function importRynnBrainRaw(
  rec: Record<string, unknown>,
  fallbackId: string,
): ImportedSample {
  const conv = (rec.conversation ?? rec.conversations) as Turn[] | undefined;
  if (!Array.isArray(conv)) throw new Error('no "conversation" list');
  const turn = (role: string) =>
    conv.find((t) => typeof t.role === 'string' && t.role.toLowerCase() === role.toLowerCase());
  const user = itemsOf(turn('user'));
  const images = user
    .filter((i) => i.type === 'image' && typeof i.image === 'string')
    .map((i) => i.image as string);
  const video = user.find((i) => i.type === 'video' && typeof i.video === 'string')?.video as
    string | undefined;
  const question = textOf(user.filter((i) => i.type === 'text'))
    .replace(/<frame\s*\d+>:\s*/g, '')
    .trim();
  const thinking = textOf(itemsOf(turn('Thinking')));
  const answer = textOf(itemsOf(turn('assistant')));
  if (!thinking) throw new Error('no "Thinking" turn with text');
  const { text, inferred } = bracketUngrounded(thinking);
  const id = typeof rec.id === 'string' && rec.id ? rec.id : fallbackId;
  const record: Record<string, unknown> = { id };
  if (video) record.video = video;
  else record.frames = images;
  Object.assign(record, { question, reasoning: text, answer });
  return {
    record,
    notes: inferred.map((p) => `sample "${id}": bracketed "${p}" before its grounding tag`),
  };
}

/** Imports a plain CoP trace (text with grounding tags) as a sample with the given media. */
export function importCopTrace(
  trace: string,
  id: string,
  media: { frames?: string[]; video?: string },
): ImportedSample {
  const { text, inferred } = bracketUngrounded(trace);
  const record: Record<string, unknown> = {
    id,
    ...media,
    question: '',
    reasoning: text,
    answer: '',
  };
  return {
    record,
    notes: inferred.map((p) => `sample "${id}": bracketed "${p}" before its grounding tag`),
  };
}
