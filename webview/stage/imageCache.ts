/**
 * Decoded frame images by URI, so stepping to a cached frame swaps a ready bitmap and never
 * waits on the network or the decoder. Frames are ImageBitmaps decoded off the main thread
 * (`createImageBitmap` on the fetched bytes): an `<img>` decoded with `decode()` was decoded
 * a second time, on the main thread, the first time the stage's canvas drew it (18-27 ms per
 * 1080p frame in a trace of the seek bench, on the thread that also draws). Bounded by
 * pixels (LRU) because a 4K frame is 33 MB decoded; an evicted bitmap is closed unless it is
 * the one on screen.
 */

/** A decoded frame: what the stage draws, with its size. */
export type FrameImage = ImageBitmap;

interface Entry {
  bitmap: ImageBitmap | undefined;
  readonly ready: Promise<ImageBitmap>;
}

// 1920x1080 frames: 32 of them (256 MB decoded); 4K: 7.
const DEFAULT_BUDGET_PIXELS = 64 * 1024 * 1024;

/** An LRU of decoded frames, bounded by their pixels. */
export class ImageCache {
  private readonly entries = new Map<string, Entry>();
  /** The bitmap the stage shows: never closed by eviction. */
  private shown: ImageBitmap | undefined;

  constructor(private readonly budgetPixels = DEFAULT_BUDGET_PIXELS) {}

  /**
   * The frame at `uri`, fetching and decoding it if needed; `urgent` for the frame on screen:
   * Chromium holds low-priority fetches back while others are in flight (the filmstrip's
   * thumbnails).
   */
  load(uri: string, urgent = false): Promise<FrameImage> {
    const hit = this.entries.get(uri);
    if (hit) {
      this.touch(uri, hit);
      return hit.ready;
    }
    const entry: Entry = {
      bitmap: undefined,
      ready: this.decode(uri, urgent).then(
        (bitmap) => {
          if (this.entries.get(uri) !== entry) {
            // Evicted while it loaded: whoever waits gets it, the cache does not keep it.
            return bitmap;
          }
          entry.bitmap = bitmap;
          this.evict();
          return bitmap;
        },
        (error: unknown) => {
          if (this.entries.get(uri) === entry) this.entries.delete(uri);
          throw error;
        },
      ),
    };
    this.entries.set(uri, entry);
    return entry.ready;
  }

  /** The decoded frame for `uri` if it is already loaded (the fast path of frame stepping). */
  peek(uri: string): FrameImage | undefined {
    const entry = this.entries.get(uri);
    if (!entry?.bitmap) return undefined;
    this.touch(uri, entry);
    return entry.bitmap;
  }

  /** Says which bitmap the stage shows now, so that eviction leaves it open. */
  markShown(bitmap: FrameImage | undefined): void {
    this.shown = bitmap;
  }

  private touch(uri: string, entry: Entry): void {
    this.entries.delete(uri);
    this.entries.set(uri, entry);
  }

  private async decode(uri: string, urgent: boolean): Promise<ImageBitmap> {
    const name = decodeURIComponent(uri).split(/[/\\]/).pop() ?? uri;
    let blob: Blob;
    try {
      const response = await fetch(uri, { priority: urgent ? 'high' : 'auto' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      blob = await response.blob();
    } catch {
      throw new Error(`could not load ${name}`);
    }
    try {
      // EXIF orientation applies, as it does for an <img> (frame lists hold camera photos).
      return await createImageBitmap(blob, { imageOrientation: 'from-image' });
    } catch {
      throw new Error(`could not decode ${name}: not an image the browser can read`);
    }
  }

  /** Drops the least recently used frames past the budget (pending loads count nothing). */
  private evict(): void {
    let pixels = 0;
    for (const e of this.entries.values()) if (e.bitmap) pixels += e.bitmap.width * e.bitmap.height;
    for (const [uri, e] of this.entries) {
      if (pixels <= this.budgetPixels) break;
      if (!e.bitmap) continue;
      // The newest frame always stays, whatever its size.
      if (this.entries.size === 1) break;
      pixels -= e.bitmap.width * e.bitmap.height;
      this.entries.delete(uri);
      if (e.bitmap !== this.shown) e.bitmap.close();
    }
  }
}
