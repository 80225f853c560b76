/**
 * The live index of a session's samples by status (issue 14 item 5): counts, "next todo" and
 * the review queue kept up to date from each change's lines, so an edit costs O(log n) here
 * whatever the dataset's size. Built once in O(n) when a document opens or is replaced.
 * sampleIndex.ts keeps the plain scans, which tests use as the reference.
 */
import type { DatasetDoc } from '../core/dataset';
import type { SampleStatus } from '../core/model';
import type { SampleSummary, StatusCounts } from '../protocol/snapshot';
import { summaryAt } from './sampleIndex';
import { FlagTree } from './statusTree';

/** What a line counts as: a status, a line that is not a sample, or nothing (blank). */
type LineKey = SampleStatus | 'problem';

const KEYS: readonly LineKey[] = [
  'todo',
  'in_progress',
  'annotated',
  'approved',
  'rejected',
  'problem',
];
/** Code 0 is a blank line (not listed, not counted); 1.. are the KEYS in order. */
const BLANK = 0;

function keyCode(s: SampleSummary): number {
  if (s.problem === 'blank line') return BLANK;
  if (s.problem !== undefined || s.id === undefined) return KEYS.indexOf('problem') + 1;
  return KEYS.indexOf(s.status ?? 'todo') + 1;
}

/** One annotated sample in the review queue: oldest `annotatedAt` first, then by line. */
interface QueueEntry {
  readonly at: string;
  readonly line: number;
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.line < b.line);
}

/** Counts and next-sample lookups of one document, updated by the lines a change touched. */
export class SampleStatusIndex {
  private codes = new Uint8Array(0);
  private trees: FlagTree[] = [];
  /** The review queue, sorted; `queued` gives each member's key for a binary search. */
  private queue: QueueEntry[] = [];
  private readonly queued = new Map<number, QueueEntry>();

  /** The index of `doc`, built in O(lines). */
  constructor(doc: DatasetDoc) {
    this.rebuild(doc);
  }

  /** Builds the index again from every line (a reload, a merge from disk). */
  rebuild(doc: DatasetDoc): void {
    const n = doc.lines.length;
    this.codes = new Uint8Array(n);
    const flags = KEYS.map(() => new Uint8Array(n));
    this.queue = [];
    this.queued.clear();
    for (let line = 0; line < n; line++) {
      const s = summaryAt(doc, line);
      const code = keyCode(s);
      this.codes[line] = code;
      if (code !== BLANK) (flags[code - 1] as Uint8Array)[line] = 1;
      if (code === KEYS.indexOf('annotated') + 1) this.enqueue(line, s.annotatedAt ?? '', false);
    }
    this.queue.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.trees = flags.map((f) => new FlagTree(f));
  }

  /** Takes the change of `lines` in `doc` (same line count); `'all'`: anything may differ. */
  update(doc: DatasetDoc, lines: readonly number[] | 'all'): void {
    if (lines === 'all' || doc.lines.length !== this.codes.length) {
      this.rebuild(doc);
      return;
    }
    for (const line of lines) {
      if (line < 0 || line >= this.codes.length) continue;
      const s = summaryAt(doc, line);
      const code = keyCode(s);
      const old = this.codes[line] ?? BLANK;
      if (old !== BLANK) this.trees[old - 1]?.set(line, false);
      if (code !== BLANK) this.trees[code - 1]?.set(line, true);
      this.codes[line] = code;
      this.dequeue(line);
      if (code === KEYS.indexOf('annotated') + 1) this.enqueue(line, s.annotatedAt ?? '', true);
    }
  }

  /** Samples per status and lines that are not samples, blank lines left out. */
  counts(): StatusCounts {
    const out = {} as Record<LineKey, number>;
    KEYS.forEach((k, i) => (out[k] = this.trees[i]?.count ?? 0));
    return out;
  }

  /** Whether line `line` is a sample a view can open. */
  isSample(line: number): boolean {
    const code = this.codes[line] ?? BLANK;
    return code !== BLANK && KEYS[code - 1] !== 'problem';
  }

  /** The first sample with `status` after line `after` (-1: from the start), wrapping; or null. */
  next(status: SampleStatus, after: number): number | null {
    const line = this.trees[KEYS.indexOf(status)]?.nextAfter(after) ?? -1;
    return line < 0 ? null : line;
  }

  /** The first sample of any status after `after`, wrapping; null when there is none. */
  nextSample(after: number): number | null {
    let best: number | null = null;
    for (const status of KEYS) {
      if (status === 'problem') continue;
      const line = this.next(status, after);
      // Lines after `after` come before the wrapped ones.
      if (line !== null && (best === null || rankAfter(line, after) < rankAfter(best, after)))
        best = line;
    }
    return best;
  }

  /** A rejected sample first (its rework is awaited), else the next todo; as `nextTodo` does. */
  nextTodo(after: number): number | null {
    return this.next('rejected', after) ?? this.next('todo', after);
  }

  /** The review queue's sample after line `current`, wrapping; its oldest when not in it. */
  nextToReview(current: number): number | null {
    if (this.queue.length === 0) return null;
    const entry = this.queued.get(current);
    const at = entry ? this.position(entry) : -1;
    return this.queue[(at + 1) % this.queue.length]?.line ?? null;
  }

  /** The review queue's lines in order (for tests and the navigator). */
  reviewQueue(): number[] {
    return this.queue.map((q) => q.line);
  }

  /** Where `entry` is (or would go) in the sorted queue. */
  private position(entry: QueueEntry): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.queue[mid] as QueueEntry, entry)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private enqueue(line: number, at: string, sorted: boolean): void {
    const entry = { at, line };
    this.queued.set(line, entry);
    // A splice moves at most n pointers (a memmove): microseconds at 100k, never a re-sort.
    if (sorted) this.queue.splice(this.position(entry), 0, entry);
    else this.queue.push(entry);
  }

  private dequeue(line: number): void {
    const entry = this.queued.get(line);
    if (!entry) return;
    this.queued.delete(line);
    const at = this.position(entry);
    if (this.queue[at] === entry) this.queue.splice(at, 1);
  }
}

/** How far `line` comes after `after` going forward with wrap-around (for comparing). */
function rankAfter(line: number, after: number): number {
  return line > after ? line - after : line + Number.MAX_SAFE_INTEGER / 2 - after;
}
