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
import type { SampleStatus } from '../core/model';
import type { SampleSummary } from '../protocol/snapshot';

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
  const st = (r.value[STATE_KEY] as { status?: unknown } | undefined)?.status;
  const status = STATUSES.find((s) => s === st) ?? 'todo';
  return { id: r.fields.id, status };
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

/** The first sample with status `todo` after `after`, wrapping around; null when none. */
export function nextTodo(doc: DatasetDoc, after: number): number | null {
  const n = doc.lines.length;
  for (let k = 1; k <= n; k++) {
    const i = (((after + k) % n) + n) % n;
    const s = summaryAt(doc, i);
    if (s.id !== undefined && s.problem === undefined && s.status === 'todo') return i;
  }
  return null;
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
