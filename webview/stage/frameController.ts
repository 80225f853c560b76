/**
 * Puts frame images on the stage: from the decoded-image cache when possible (stepping is a
 * bitmap swap), else loading; for video samples it asks the host to extract the frame on
 * screen first, its neighbours next, then the rest for the filmstrip. Requests of a sample
 * the user has left are cancelled.
 */
import type { FrameRef } from '../../src/protocol/snapshot';
import type { HostClient } from '../host/hostClient';
import type { Store } from '../state/store';
import type { FrameStage } from './frameStage';
import { ImageCache } from './imageCache';
import type { FrameImage } from './imageCache';
import { errorText } from '../errorText';

const NEIGHBOURS = 3;
// How long a neighbour's or the filmstrip's ref may wait to join others in one store change.
const REFS_EVERY_MS = 120;

/** Shows frames and keeps the cache warm around the current one. */
export class FrameController {
  readonly cache = new ImageCache();
  private abort = new AbortController();
  private readonly inFlight = new Map<number, Promise<FrameRef | undefined>>();
  private readonly pendingRefs = new Map<number, FrameRef>();
  private refsTimer: number | undefined;
  private sampleKey = '';

  constructor(
    private readonly store: Store,
    private readonly view: FrameStage,
    private readonly client: HostClient,
    private readonly onDrawn: () => void,
  ) {
    // The host hears of the new frame on screen before the panels redraw for it (10-15 ms
    // of filmstrip, timeline and entity list per step): its decode starts that much sooner.
    store.subscribe((changes) => {
      if (changes.has('frame') && !changes.has('sample')) this.hurry();
    }, true);
  }

  /** A new sample: cancels the old one's requests and starts filling the filmstrip. */
  sampleChanged(): void {
    const sample = this.store.state.sample;
    const key = sample ? `${sample.line}:${sample.id}` : '';
    if (key === this.sampleKey) return;
    this.sampleKey = key;
    this.abort.abort();
    this.abort = new AbortController();
    this.inFlight.clear();
    this.pendingRefs.clear();
    this.view.markLoading(this.store.state.frame, sample?.id ?? '');
    if (sample?.media.lazy) void this.fillAll(this.abort.signal);
  }

  /**
   * Starts fetching the store's current frame (the host's decode, or the image) without
   * drawing anything: `show` then finds the request under way and waits on the same one.
   */
  private hurry(): void {
    const { frame, frames } = this.store.state;
    const ref = frames[frame];
    if (!ref) return;
    if (!ref.uri) {
      if (this.store.state.sample?.media.lazy) void this.ensure(frame, 'now');
    } else if (!this.cache.peek(ref.uri))
      void this.cache.load(ref.uri, true).catch(() => undefined);
  }

  /** Shows the store's current frame. */
  show(): void {
    const { frame, frames } = this.store.state;
    const ref = frames[frame];
    const id = this.store.state.sample?.id ?? '';
    if (!ref) {
      this.cache.markShown(undefined);
      this.view.showFrame(frame, undefined, [0, 0], id);
      this.onDrawn();
      return;
    }
    if (!ref.uri) {
      this.view.markLoading(frame, id);
      if (this.store.state.sample?.media.lazy)
        void this.ensure(frame, 'now').then((r) => {
          if (r && this.store.state.frame === frame) this.show();
        });
      return;
    }
    const hit = this.cache.peek(ref.uri);
    if (hit) {
      this.draw(ref, hit);
      this.prefetch(frame, true);
      return;
    }
    this.view.markLoading(frame, id);
    const uri = ref.uri;
    // The neighbours' images wait for this one: decoded beside it, three 1080p JPEGs made
    // the frame on screen wait 100-200 ms longer on a loaded machine (seek bench).
    this.prefetch(frame, false);
    this.cache.load(uri, true).then(
      (img) => {
        const cur = this.store.state.frames[this.store.state.frame];
        if (cur?.uri === uri) this.draw(cur, img);
        if (this.store.state.frame === frame) this.prefetch(frame, true);
      },
      (error: unknown) =>
        this.store.update(['ui'], (s) => {
          s.notice = {
            level: 'error',
            text: errorText(error),
          };
        }),
    );
  }

  private draw(ref: FrameRef, img: FrameImage): void {
    let size: readonly [number, number] = [ref.width, ref.height];
    if (!(ref.width > 0 && ref.height > 0)) {
      size = [img.width, img.height];
      const index = ref.index;
      this.store.state.frames[index] = { ...ref, width: size[0], height: size[1] };
    }
    this.cache.markShown(img);
    this.view.showFrame(ref.index, img, size, this.store.state.sample?.id ?? '');
    this.onDrawn();
  }

  /** Asks the host for the neighbours not extracted yet; with `images`, decodes the rest. */
  private prefetch(around: number, images: boolean): void {
    const frames = this.store.state.frames;
    for (let distance = 1; distance <= NEIGHBOURS; distance++) {
      for (const index of [around + distance, around - distance]) {
        const ref = frames[index];
        if (!ref) continue;
        if (ref.uri) {
          if (images) void this.cache.load(ref.uri).catch(() => undefined);
        } else if (this.store.state.sample?.media.lazy) void this.ensure(index, 'soon');
      }
    }
  }

  /** Asks the host for frame `i` of a lazily extracted sample and stores the ref. */
  private ensure(index: number, priority: 'now' | 'soon'): Promise<FrameRef | undefined> {
    // The frame on screen has a slot of its own: a 'soon' one (the filmstrip fill) may be queued
    // behind many others at the host, which moves the frame to the front when asked 'now'.
    const slot = priority === 'now' ? -1 - index : index;
    const have = this.inFlight.get(slot);
    if (have) return have;
    const sample = this.store.state.sample;
    if (!sample) return Promise.resolve(undefined);
    const signal = this.abort.signal;
    const pending = this.client
      .request(
        { type: 'frame/ensure', line: sample.line, index: index, priority },
        { signal, timeoutMs: 120000 },
      )
      .then(
        (ref) => {
          if (signal.aborted) return undefined;
          if (priority === 'now') {
            // The fetch starts before the store's subscribers redraw the filmstrip, the
            // timeline and the layers for the new ref (10-150 ms of main thread, seek probe).
            if (ref.uri) void this.cache.load(ref.uri, true).catch(() => undefined);
            this.flushRefs(signal, [index, ref]);
          } else this.queueRef(signal, index, ref);
          return ref;
        },
        (error: unknown) => {
          this.inFlight.delete(slot);
          if (!signal.aborted)
            this.store.update(['ui'], (st) => {
              st.notice = {
                level: 'error',
                text: `frame ${index}: ${errorText(error)}`,
              };
            });
          return undefined;
        },
      );
    this.inFlight.set(slot, pending);
    return pending;
  }

  /**
   * The neighbours' and the filmstrip's refs go into the store together, at most every
   * REFS_EVERY_MS (or with the next frame on screen): each store change of `frames` redraws
   * the filmstrip, the timeline and the layers, and one per reply kept the page busy while
   * the frame on screen waited for its image (5-6 replies per step, 8-150 ms each, at load 8).
   */
  private queueRef(signal: AbortSignal, index: number, ref: FrameRef): void {
    this.pendingRefs.set(index, ref);
    // A neighbour's image is decoded as its ref comes (once the frame on screen is drawn):
    // waiting for the batched store update left the next ← step to fetch and decode it.
    const { frame, frames } = this.store.state;
    const shown = frames[frame]?.uri;
    if (ref.uri && Math.abs(index - frame) <= NEIGHBOURS && shown && this.cache.peek(shown))
      void this.cache.load(ref.uri).catch(() => undefined);
    this.refsTimer ??= window.setTimeout(() => this.flushRefs(signal), REFS_EVERY_MS);
  }

  private flushRefs(signal: AbortSignal, now?: [number, FrameRef]): void {
    if (this.refsTimer !== undefined) window.clearTimeout(this.refsTimer);
    this.refsTimer = undefined;
    const refs = [...this.pendingRefs];
    this.pendingRefs.clear();
    if (now) refs.push(now);
    if (signal.aborted || refs.length === 0) return;
    this.store.update(['frames'], (st) => {
      for (const [index, ref] of refs) st.frames[index] = ref;
    });
  }

  private async fillAll(signal: AbortSignal): Promise<void> {
    // The current frame and its neighbours go first (show/prefetch); then the rest, in order.
    await new Promise((r) => setTimeout(r, 50));
    const count = this.store.state.frames.length;
    for (let index = 0; index < count && !signal.aborted; index++) {
      if (!this.store.state.frames[index]?.uri) await this.ensure(index, 'soon');
    }
  }
}
