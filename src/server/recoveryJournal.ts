/**
 * The journal of serve's crash recovery (issue 14 item 5): instead of the whole unsaved
 * document, only the lines that differ from the base (the file as the session last read or
 * saved it), with the base's size and content hash. A write is then as big as the change,
 * not as the dataset; recovery replays the lines onto the file when it is still the base,
 * and merges them line by line, as a reload does, when the file changed on disk since.
 */
import { createHash } from 'node:crypto';
import type { DatasetDoc, DocLine } from '../core/dataset';
import { changedLines } from '../session/sampleIndex';

/** What identifies a base: its UTF-8 size and SHA-256 (of the text as the document holds it). */
export interface BaseDigest {
  readonly size: number;
  readonly sha256: string;
}

/** One line the session changed: its index, the session's line (absent: gone) and the base's. */
export interface JournalChange {
  readonly at: number;
  readonly mine?: DocLine;
  readonly base?: DocLine;
}

/** The unsaved document as a difference from its base. */
export interface RecoveryJournal {
  /** Undefined for a recovery of an older build, which kept the whole text (always merged). */
  readonly base?: BaseDigest & { readonly lines: number; readonly bom: boolean };
  readonly bom: boolean;
  readonly lines: number;
  readonly changes: readonly JournalChange[];
}

/** Text hashed in pieces of about this many characters: few calls, no 81 MB string. */
const PIECE = 1 << 19;

/** Feeds the document's text to `hash` piece by piece; `pause` runs between pieces. */
function* pieces(doc: DatasetDoc): Generator<string> {
  let piece = doc.bom ? '\ufeff' : '';
  for (const l of doc.lines) {
    piece += l.raw + l.eol;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/** The digest of `doc` at once (a recovery read at start: one pass, once). */
export function digestNow(doc: DatasetDoc): BaseDigest {
  const hash = createHash('sha256');
  let size = 0;
  for (const p of pieces(doc)) {
    hash.update(p, 'utf8');
    size += Buffer.byteLength(p, 'utf8');
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * The digest of `doc` in pieces of a few milliseconds with the event loop free in between,
 * so serve keeps answering edits while a new base (after an open or a save) is hashed once.
 */
export async function digestInTurns(doc: DatasetDoc): Promise<BaseDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for (const p of pieces(doc)) {
    hash.update(p, 'utf8');
    size += Buffer.byteLength(p, 'utf8');
    await new Promise<void>((done) => setImmediate(done));
  }
  return { size, sha256: hash.digest('hex') };
}

/** The journal of `doc` against `base`, whose digest is `digest`. */
export function journalOf(doc: DatasetDoc, base: DatasetDoc, digest: BaseDigest): RecoveryJournal {
  // An identity scan (unchanged lines are shared objects): well under a millisecond at 100k.
  const changes = changedLines(base, doc).map((at) => {
    const mine = doc.lines[at];
    const was = base.lines[at];
    return { at, ...(mine ? { mine } : {}), ...(was ? { base: was } : {}) };
  });
  return {
    base: { ...digest, lines: base.lines.length, bom: base.bom },
    bom: doc.bom,
    lines: doc.lines.length,
    changes,
  };
}

const same = (a: DocLine | undefined, b: DocLine | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.raw === b.raw && a.eol === b.eol);

/** The result of laying a journal on the file as it is now. */
export type Replay =
  | { readonly kind: 'replayed'; readonly doc: DatasetDoc }
  | { readonly kind: 'merged'; readonly doc: DatasetDoc }
  | { readonly kind: 'conflict'; readonly lines: readonly number[] };

/**
 * Lays `journal` on `file`. When `file` is the base (same size and hash, and the journal's
 * base lines are where it says), the result is exactly the session's document. Otherwise
 * the lines are merged as `mergeDiskChange` does: the file's lines, ours on top, and a
 * conflict where the file changed a line we changed too (or lost it).
 */
export function replayJournal(journal: RecoveryJournal, file: DatasetDoc): Replay {
  const b = journal.base;
  if (b && b.lines === file.lines.length && b.bom === file.bom) {
    const d = digestNow(file);
    const intact = journal.changes.every((c) => same(file.lines[c.at], c.base));
    if (d.size === b.size && d.sha256 === b.sha256 && intact)
      return { kind: 'replayed', doc: { bom: journal.bom, lines: overlay(file, journal) } };
  }
  if (journal.changes.length === 0) return { kind: 'merged', doc: file };
  const clash = journal.changes
    .filter((c) => {
      if (c.at >= file.lines.length) return true;
      const now = file.lines[c.at];
      // The file holds our line already (saved by us before the base was hashed): no clash.
      return !same(now, c.base) && !same(now, c.mine);
    })
    .map((c) => c.at);
  if (clash.length > 0) return { kind: 'conflict', lines: clash };
  const lines = file.lines.slice();
  for (const c of journal.changes) if (c.mine) lines[c.at] = c.mine;
  return { kind: 'merged', doc: { bom: file.bom, lines } };
}

/** The file's lines with the journal's on top, cut or grown to the journal's line count. */
function overlay(file: DatasetDoc, journal: RecoveryJournal): DocLine[] {
  const lines = file.lines.slice(0, journal.lines);
  for (const c of journal.changes) if (c.mine && c.at < journal.lines) lines[c.at] = c.mine;
  return lines;
}
