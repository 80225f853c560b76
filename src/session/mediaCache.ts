/**
 * What the session knows of its samples' media (issue 14 item 5): the media of the samples
 * snapshotted last, by line, so the snapshot pushed after an edit is built without I/O
 * (realpaths, image headers, frame lists), an entry holding only while the sample's media
 * fields are the same (`mediaKey`); and the frame count of every sample a view opened, for
 * `apply`'s frame bounds.
 */
import type { MediaSnapshot } from '../protocol/snapshot';

/** Lines kept (a view shows one sample; a few views, a few more). */
const LINES = 16;

/** A small LRU of resolved media by line, and the frame counts of the samples opened. */
export class MediaCache {
  private readonly entries = new Map<
    number,
    { readonly key: string; readonly media: MediaSnapshot }
  >();
  private readonly frameCounts = new Map<number, { readonly id: string; readonly count: number }>();

  /** Remembers `media` as line `line`'s (sample `id`), resolved for media fields `key`. */
  set(line: number, id: string, key: string, media: MediaSnapshot): void {
    this.entries.delete(line);
    this.entries.set(line, { key, media });
    // Map order is insertion order: the first key is the least recently snapshotted line.
    if (this.entries.size > LINES) this.entries.delete(this.entries.keys().next().value as number);
    if (media.kind !== 'none' && media.frames.length > 0)
      this.frameCounts.set(line, { id, count: media.frames.length });
  }

  /** Line `line`'s frame count, when it was taken for the same sample id (a line may hold another sample since). */
  frameCount(line: number, id: string): number | undefined {
    const known = this.frameCounts.get(line);
    return known && known.id === id ? known.count : undefined;
  }

  /** Line `line`'s media if it was resolved for the same media fields `key`. */
  get(line: number, key: string): MediaSnapshot | undefined {
    const known = this.entries.get(line);
    return known && known.key === key ? known.media : undefined;
  }
}
