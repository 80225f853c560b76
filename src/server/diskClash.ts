/**
 * A clash between serve's unsaved edits and a change on disk, in words: what the page's
 * notice says, why a save is refused, and a key that tells one clash from the next (the
 * person's "Keep mine" holds for the clash they saw, never for a later change on disk).
 */
import { createHash } from 'node:crypto';
import type { DatasetDoc } from '../core/dataset';

/** One clash: the lines both sides changed, or a file whose line count changed under us. */
export interface DiskClash {
  /** The clashing lines (0-based). */
  readonly lines: readonly number[];
  /** Says where the clash is, without the choices. */
  readonly what: string;
  /** Same key: the same disk text on the same lines (or the same whole file). */
  readonly key: string;
  /** False when the file on disk has another line count: Keep mine then writes the whole file. */
  readonly sameLength: boolean;
}

const lineList = (lines: readonly number[]): string =>
  lines
    .slice(0, 8)
    .map((l) => l + 1)
    .join(', ') + (lines.length > 8 ? ', …' : '');

/** The sha256 of `text` in hex. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The clash between `mine` and `disk` on `conflictLines` (mergeDiskChange's), or undefined
 * when both sides hold the same text there (our own save landing, or the same edit).
 */
export function findClash(
  name: string,
  conflictLines: readonly number[],
  mine: DatasetDoc,
  disk: DatasetDoc,
  diskHash: string,
): DiskClash | undefined {
  if (disk.lines.length !== mine.lines.length)
    return {
      lines: conflictLines,
      what: `${name} on disk now has ${disk.lines.length} line(s), the editor ${mine.lines.length}, and lines you edited changed there`,
      key: `file:${diskHash}`,
      sameLength: false,
    };
  const lines = conflictLines.filter((l) => disk.lines[l]?.raw !== mine.lines[l]?.raw);
  if (lines.length === 0) return undefined;
  const theirs = lines.map((l) => [l, disk.lines[l]?.raw ?? '']);
  return {
    lines,
    what: `${name} changed on disk on line(s) ${lineList(lines)} that you also edited`,
    key: `lines:${sha256(JSON.stringify(theirs))}`,
    sameLength: true,
  };
}

/** The page's notice while the clash is open (its buttons carry the two choices). */
export function clashNotice(c: DiskClash): string {
  const keep = c.sameLength
    ? 'Keep mine writes your version over that change at the next save (other lines changed on disk are merged).'
    : "Keep mine replaces the whole file on disk with the editor's version at the next save.";
  return `${c.what}. Reload from disk drops your unsaved edits; ${keep}`;
}

/** Why a save is refused while the clash is open. */
export function clashRefusal(c: DiskClash): string {
  return (
    `not saved: ${c.what}, and saving would overwrite that change. Choose "Reload from disk" ` +
    'or "Keep mine" in the notice first; nothing was written.'
  );
}

/** What the person is told after choosing Keep mine. */
export function keptNotice(c: DiskClash): string {
  return c.sameLength
    ? `Keeping your version of line(s) ${lineList(c.lines)}: the next save overwrites the change on disk there (other lines changed on disk are merged).`
    : "Keeping your version: the next save overwrites the file on disk with the editor's version.";
}
