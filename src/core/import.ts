/**
 * Import into the dataset layout (DESIGN.md section 2): RynnBrain's raw reasoning layout (a
 * `conversation` with `user`, `Thinking` and `assistant` turns) and plain CoP traces. A
 * grounding tag with no bracketed entity before it stays as it is: reading the dataset makes
 * it a standalone item, so both layouts agree. The assistant turn becomes the answer: its
 * text grounding and its `{"frame<n>": [[x, y], ...]}` items, one tag per acceptable frame.
 */
import { formatCop, parseCop } from './chainOfPoint';
import type { CopGrounding } from './chainOfPoint';
import type { GroundingTag, TaskType } from './model';
import { answerCount, answerTag, parseTask } from './task';

/** One imported sample in the dataset layout, plus notes on what import had to infer. */
export interface ImportedSample {
  readonly record: Record<string, unknown>;
  readonly notes: readonly string[];
}

/** How to import: the task of every record (`--task`), else each record's own `task`. */
export interface ImportOptions {
  readonly task?: TaskType;
}

interface Item {
  type?: unknown;
  text?: unknown;
  image?: unknown;
  video?: unknown;
  [key: string]: unknown;
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

const FRAME_KEY = /^frame(\d+)$/;

/** The `{"frame<n>": [[x, y], ...]}` items of an assistant turn, as groundings of `tag`. */
function frameItems(items: Item[], tag: GroundingTag): CopGrounding[] {
  const out: CopGrounding[] = [];
  for (const item of items)
    for (const [key, value] of Object.entries(item)) {
      const m = FRAME_KEY.exec(key);
      if (!m || !Array.isArray(value)) continue;
      const points = value
        .filter((p): p is [number, number] => Array.isArray(p) && p.length >= 2)
        .map(([x, y]) => [Math.round(Number(x)), Math.round(Number(y))] as const);
      if (points.length && points.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)))
        out.push({ tag, frame: Number(m[1]), points });
    }
  return out;
}

/** The count of a counting answer: its text, or a `{"count": N}` or bare number item. */
function countOf(items: Item[], text: string): number | undefined {
  const fromText = answerCount(text);
  if (fromText !== undefined) return fromText;
  for (const item of items as unknown[]) {
    if (typeof item === 'number' && Number.isInteger(item)) return item;
    const c = (item as Item | null)?.count;
    if (typeof c === 'number' && Number.isInteger(c)) return c;
  }
  return undefined;
}

/**
 * The answer text of an assistant turn: its text, with its grounding of the task's tag
 * replaced by one canonical tag per acceptable frame (the text's frame first).
 */
function answerText(items: Item[], task: TaskType | undefined, notes: string[]): string {
  const text = textOf(items.filter((i) => i.type === 'text' || i.type === undefined));
  if (task === 'counting') {
    const n = countOf(items, text);
    return n === undefined || answerCount(text) !== undefined ? text : `<counting>${n}</counting>`;
  }
  const inText = parseCop(text).groundings;
  const guess = task ? answerTag(task) : inText[0]?.tag;
  const found = frameItems(items, guess ?? 'area');
  if (found.length === 0) return text;
  const tag = guess ?? (found.every((g) => g.points.length === 1) ? 'affordance' : 'area');
  if (!guess)
    notes.push(`answer frame items without a task or a tag: read as <${tag}>; pass --task`);
  const byFrame = found.map((g) => ({ ...g, tag }));
  const own = inText.find((g) => g.tag === tag);
  const firstFrame = own?.frame ?? byFrame[0]?.frame;
  const first = byFrame.find((g) => g.frame === firstFrame) ?? own;
  const ordered = [...(first ? [first] : []), ...byFrame.filter((g) => g !== first)];
  const tags = ordered.map((g) => formatCop(g)).join(' ');
  if (own) return text.slice(0, own.start) + tags + text.slice(own.end);
  return text.trim() ? `${text.trim()} ${tags}` : tags;
}

/** Imports one record in RynnBrain's raw layout; `fallbackId` names records without an id. */
export function importRynnBrainRaw(
  rec: Record<string, unknown>,
  fallbackId: string,
  opts: ImportOptions = {},
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
  if (!thinking) throw new Error('no "Thinking" turn with text');
  const id = typeof rec.id === 'string' && rec.id ? rec.id : fallbackId;
  const given = opts.task ?? (typeof rec.task === 'string' ? parseTask(rec.task) : undefined);
  const notes: string[] = [];
  const answer = answerText(itemsOf(turn('assistant')), given, notes);
  const record: Record<string, unknown> = { id };
  if (video) record.video = video;
  else record.frames = images;
  Object.assign(record, { question, reasoning: thinking, answer });
  if (given) record.task = given;
  return { record, notes: notes.map((n) => `sample "${id}": ${n}`) };
}

/** Imports a plain CoP trace (text with grounding tags) as a sample with the given media. */
export function importCopTrace(
  trace: string,
  id: string,
  media: { frames?: string[]; video?: string },
  opts: ImportOptions = {},
): ImportedSample {
  const record: Record<string, unknown> = {
    id,
    ...media,
    question: '',
    reasoning: trace,
    answer: '',
  };
  if (opts.task) record.task = opts.task;
  return { record, notes: [] };
}
