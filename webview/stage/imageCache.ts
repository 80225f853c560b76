/**
 * Decoded frame images by URI, so stepping to a cached frame swaps a ready bitmap and never
 * waits on the network or the decoder. Bounded (LRU) because 4K frames are 33 MB decoded.
 */

interface Entry {
  readonly img: HTMLImageElement;
  readonly ready: Promise<HTMLImageElement>;
  loaded: boolean;
}

/** An LRU of decoded images. */
export class ImageCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 48) {}

  /**
   * The image for `uri`, loading and decoding it if needed; `urgent` for the frame on screen:
   * Chromium holds low-priority image fetches back while others are in flight (the
   * filmstrip's thumbnails), and an image made by `new Image()` is low by default.
   */
  load(uri: string, urgent = false): Promise<HTMLImageElement> {
    const hit = this.entries.get(uri);
    if (hit) {
      this.entries.delete(uri);
      this.entries.set(uri, hit);
      return hit.ready;
    }
    const img = new Image();
    img.decoding = 'async';
    if (urgent) img.setAttribute('fetchpriority', 'high');
    const entry: Entry = {
      img,
      loaded: false,
      ready: new Promise<HTMLImageElement>((resolve, reject) => {
        img.onload = () => {
          img
            .decode()
            .catch(() => undefined)
            .then(() => {
              entry.loaded = true;
              resolve(img);
            });
        };
        img.onerror = () => {
          this.entries.delete(uri);
          reject(
            new Error(`could not load ${decodeURIComponent(uri).split(/[/\\]/).pop() ?? uri}`),
          );
        };
      }),
    };
    img.src = uri;
    this.entries.set(uri, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return entry.ready;
  }

  /** The decoded image for `uri` if it is already loaded (the fast path of frame stepping). */
  peek(uri: string): HTMLImageElement | undefined {
    const entry = this.entries.get(uri);
    return entry?.loaded ? entry.img : undefined;
  }
}
