/**
 * The media of the samples snapshotted last, by line (issue 14 item 5): the snapshot pushed
 * after an edit is built from it without I/O (realpaths, image headers, frame lists). An
 * entry holds only while the sample's media fields are the same (`mediaKey`).
 */
import type { MediaSnapshot } from '../protocol/snapshot';

/** Lines kept (a view shows one sample; a few views, a few more). */
const LINES = 16;

/** A small LRU of resolved media by line. */
export class MediaCache {
  private readonly entries = new Map<
    number,
    { readonly key: string; readonly media: MediaSnapshot }
  >();

  /** Remembers `media` as line `line`'s, resolved for media fields `key`. */
  set(line: number, key: string, media: MediaSnapshot): void {
    this.entries.delete(line);
    this.entries.set(line, { key, media });
    // Map order is insertion order: the first key is the least recently snapshotted line.
    if (this.entries.size > LINES) this.entries.delete(this.entries.keys().next().value as number);
  }

  /** Line `line`'s media if it was resolved for the same media fields `key`. */
  get(line: number, key: string): MediaSnapshot | undefined {
    const known = this.entries.get(line);
    return known && known.key === key ? known.media : undefined;
  }
}
