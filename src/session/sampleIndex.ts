/**
 * Summaries of a document's lines (id, status, problem) for the navigator and the sample
 * dropdown. Cached per DocLine object: edits make new documents that share unchanged line
 * objects, so only edited lines are read again.
 */
import { isBlank } from '../core/dataset';
import type { DatasetDoc, DocLine } from '../core/dataset';
import { parseLine } from '../core/jsonLine';
import { readSampleFields } from '../core/sample';
import { STATE_KEY } from '../core/model';
import type { SampleComment, SampleState, SampleStatus } from '../core/model';
import type { PeopleSummary, SampleSummary } from '../protocol/snapshot';

const STATUSES: readonly SampleStatus[] = [
  'todo',
  'in_progress',
  'annotated',
  'approved',
  'rejected',
];

type LineSummary = Omit<SampleSummary, 'line'>;
const cache = new WeakMap<DocLine, LineSummary>();

function summarise(raw: string): LineSummary {
  if (isBlank(raw)) return { problem: 'blank line' };
  // The editor's own reader: a line listed as a sample is one the editor can open.
  const r = readSampleFields(raw);
  if ('message' in r) {
    const id = r.message.startsWith('no "id"') ? undefined : idOf(raw);
    return id === undefined ? { problem: r.message } : { id, problem: r.message };
  }
  const state = r.value[STATE_KEY] as Partial<Record<keyof SampleState, unknown>> | undefined;
  const status = STATUSES.find((s) => s === state?.status) ?? 'todo';
  return { id: r.fields.id, status, ...people(state) };
}

/** Who annotated and reviewed the sample and its last comment, as far as the line says. */
function people(state: Partial<Record<keyof SampleState, unknown>> | undefined): PeopleSummary {
  if (!state) return {};
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' ? v.slice(0, 200) : undefined;
  const out: { -readonly [K in keyof PeopleSummary]: PeopleSummary[K] } = {};
  const annotatedBy = text(state.annotatedBy);
  const annotatedAt = text(state.annotatedAt);
  const reviewedBy = text(state.reviewedBy);
  if (annotatedBy) out.annotatedBy = annotatedBy;
  if (annotatedAt) out.annotatedAt = annotatedAt;
  if (reviewedBy) out.reviewedBy = reviewedBy;
  const thread = Array.isArray(state.comments) ? (state.comments as unknown[]) : [];
  const last = thread[thread.length - 1] as Partial<SampleComment> | undefined;
  if (last && typeof last.text === 'string') {
    out.commentCount = thread.length;
    out.lastComment = {
      author: text(last.author) ?? 'unknown',
      at: text(last.at) ?? '',
      // A tooltip line, not the thread: the editor's panel shows every comment in full.
      text: last.text.slice(0, 300),
    };
  } else if (typeof state.comment === 'string' && state.comment !== '') {
    // Files from before the thread carry only the reviewer's comment.
    out.commentCount = 1;
    out.lastComment = {
      author: text(state.reviewedBy) ?? 'reviewer',
      at: '',
      text: state.comment.slice(0, 300),
    };
  }
  return out;
}

function idOf(raw: string): string | undefined {
  const p = parseLine(raw);
  const id = p.ok ? p.value.id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The summary of line `line` of `doc`. */
export function summaryAt(doc: DatasetDoc, line: number): SampleSummary {
  const l = doc.lines[line];
  if (!l) return { line, problem: 'no such line' };
  let s = cache.get(l);
  if (!s) {
    s = summarise(l.raw);
    cache.set(l, s);
  }
  return { line, ...s };
}

/** Summaries of every line that is not blank (blank lines are kept in the file, not listed). */
export function allSummaries(doc: DatasetDoc): SampleSummary[] {
  const out: SampleSummary[] = [];
  for (let i = 0; i < doc.lines.length; i++) {
    const s = summaryAt(doc, i);
    if (s.problem !== 'blank line') out.push(s);
  }
  return out;
}

/** Lines whose text differs between two documents of the same length (by object, then text). */
export function changedLines(a: DatasetDoc, b: DatasetDoc): number[] {
  const out: number[] = [];
  const n = Math.max(a.lines.length, b.lines.length);
  for (let i = 0; i < n; i++) {
    const x = a.lines[i];
    const y = b.lines[i];
    if (x === y) continue;
    if (!x || !y || x.raw !== y.raw || x.eol !== y.eol) out.push(i);
  }
  return out;
}

/** The first sample with status `status` after `after`, wrapping around; null when none. */
function nextWith(doc: DatasetDoc, after: number, status: SampleStatus): number | null {
  const n = doc.lines.length;
  for (let k = 1; k <= n; k++) {
    const i = (((after + k) % n) + n) % n;
    const s = summaryAt(doc, i);
    if (s.id !== undefined && s.problem === undefined && s.status === status) return i;
  }
  return null;
}

/**
 * The next sample to work on after `after`, wrapping around: a rejected sample first (a
 * reviewer is waiting for its rework), else the next `todo`; null when neither is left.
 */
export function nextTodo(doc: DatasetDoc, after: number): number | null {
  return nextWith(doc, after, 'rejected') ?? nextWith(doc, after, 'todo');
}

/**
 * The review queue: annotated samples, oldest first (by `annotatedAt`; samples without one,
 * from older files, come first since they have waited longest), then by line.
 */
export function reviewQueue(doc: DatasetDoc): number[] {
  const queue: { line: number; at: string }[] = [];
  for (let i = 0; i < doc.lines.length; i++) {
    const s = summaryAt(doc, i);
    if (s.id !== undefined && s.problem === undefined && s.status === 'annotated')
      queue.push({ line: i, at: s.annotatedAt ?? '' });
  }
  queue.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.line - b.line));
  return queue.map((q) => q.line);
}

/**
 * The sample to review after the one on line `current` (-1: none): the next in the queue,
 * wrapping, so skipping a sample moves on; the oldest when `current` is not in the queue.
 */
export function nextToReview(doc: DatasetDoc, current: number): number | null {
  const queue = reviewQueue(doc);
  if (queue.length === 0) return null;
  const at = queue.indexOf(current);
  return queue[(at + 1) % queue.length] ?? null;
}

/** Counts of samples per status, and of lines that are not samples. */
export function statusCounts(doc: DatasetDoc): Record<SampleStatus | 'problem', number> {
  const c: Record<SampleStatus | 'problem', number> = {
    todo: 0,
    in_progress: 0,
    annotated: 0,
    approved: 0,
    rejected: 0,
    problem: 0,
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const s = summaryAt(doc, i);
    if (s.problem === 'blank line') continue;
    if (s.status && !s.problem) c[s.status]++;
    else c.problem++;
  }
  return c;
}
