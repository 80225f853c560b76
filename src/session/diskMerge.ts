/**
 * The file changed on disk while open: reload when nothing is unsaved, merge when the lines
 * edited here and the lines changed on disk are different lines, conflict otherwise.
 */
import type { DatasetDoc } from '../core/dataset';
import { changedLines } from './sampleIndex';

/** What to do with a change on disk. */
export type DiskChange =
  /** The disk holds what we last loaded or saved (our own save, a touch). */
  | { readonly kind: 'same' }
  /** Nothing unsaved here: take the disk version as it is. */
  | { readonly kind: 'reload'; readonly doc: DatasetDoc }
  /** Both changed, on different lines: `doc` is the disk version with our lines on top. */
  | {
      readonly kind: 'merged';
      readonly doc: DatasetDoc;
      readonly mine: readonly number[];
      readonly theirs: readonly number[];
    }
  /** Both changed the same lines (or the disk file lost lines we edited). */
  | { readonly kind: 'conflict'; readonly lines: readonly number[] };

/**
 * Decides how to take `disk` given `base` (the version last read or saved) and `mine`
 * (the version in the editor). Pure; the caller applies the result.
 */
export function mergeDiskChange(base: DatasetDoc, mine: DatasetDoc, disk: DatasetDoc): DiskChange {
  const theirs = changedLines(base, disk);
  if (theirs.length === 0 && base.bom === disk.bom) return { kind: 'same' };
  const ours = changedLines(base, mine);
  if (ours.length === 0) return { kind: 'reload', doc: disk };
  const theirSet = new Set(theirs);
  const clash = ours.filter((l) => theirSet.has(l) || l >= disk.lines.length);
  if (clash.length > 0) return { kind: 'conflict', lines: clash };
  const lines = disk.lines.slice();
  for (const l of ours) {
    const m = mine.lines[l];
    if (m) lines[l] = m;
  }
  return { kind: 'merged', doc: { bom: disk.bom, lines }, mine: ours, theirs };
}
