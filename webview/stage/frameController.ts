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

const NEIGHBOURS = 3;

/** Shows frames and keeps the cache warm around the current one. */
export class FrameController {
  readonly cache = new ImageCache();
  private abort = new AbortController();
  private readonly inFlight = new Map<number, Promise<FrameRef | undefined>>();
  private sampleKey = '';

  constructor(
    private readonly store: Store,
    private readonly view: FrameStage,
    private readonly client: HostClient,
    private readonly onDrawn: () => void,
  ) {}

  /** A new sample: cancels the old one's requests and starts filling the filmstrip. */
  sampleChanged(): void {
    const s = this.store.state.sample;
    const key = s ? `${s.line}:${s.id}` : '';
    if (key === this.sampleKey) return;
    this.sampleKey = key;
    this.abort.abort();
    this.abort = new AbortController();
    this.inFlight.clear();
    this.view.markLoading(this.store.state.frame, s?.id ?? '');
    if (s?.media.lazy) void this.fillAll(this.abort.signal);
  }

  /** Shows the store's current frame. */
  show(): void {
    const { frame, frames } = this.store.state;
    const f = frames[frame];
    const id = this.store.state.sample?.id ?? '';
    if (!f) {
      this.view.showFrame(frame, undefined, [0, 0], id);
      this.onDrawn();
      return;
    }
    if (!f.uri) {
      this.view.markLoading(frame, id);
      if (this.store.state.sample?.media.lazy)
        void this.ensure(frame, 'now').then((r) => {
          if (r && this.store.state.frame === frame) this.show();
        });
      return;
    }
    const hit = this.cache.peek(f.uri);
    if (hit) this.draw(f, hit);
    else {
      this.view.markLoading(frame, id);
      const uri = f.uri;
      this.cache.load(uri).then(
        (img) => {
          const cur = this.store.state.frames[this.store.state.frame];
          if (cur?.uri === uri) this.draw(cur, img);
        },
        (e: unknown) =>
          this.store.update(['ui'], (s) => {
            s.notice = { level: 'error', text: e instanceof Error ? e.message : String(e) };
          }),
      );
    }
    this.prefetch(frame);
  }

  private draw(f: FrameRef, img: HTMLImageElement): void {
    let size: readonly [number, number] = [f.width, f.height];
    if (!(f.width > 0 && f.height > 0)) {
      size = [img.naturalWidth, img.naturalHeight];
      const i = f.index;
      this.store.state.frames[i] = { ...f, width: size[0], height: size[1] };
    }
    this.view.showFrame(f.index, img, size, this.store.state.sample?.id ?? '');
    this.onDrawn();
  }

  private prefetch(around: number): void {
    const frames = this.store.state.frames;
    for (let d = 1; d <= NEIGHBOURS; d++) {
      for (const i of [around + d, around - d]) {
        const f = frames[i];
        if (!f) continue;
        if (f.uri) void this.cache.load(f.uri).catch(() => undefined);
        else if (this.store.state.sample?.media.lazy) void this.ensure(i, 'soon');
      }
    }
  }

  /** Asks the host for frame `i` of a lazily extracted sample and stores the ref. */
  private ensure(i: number, priority: 'now' | 'soon'): Promise<FrameRef | undefined> {
    const have = this.inFlight.get(i);
    if (have) return have;
    const s = this.store.state.sample;
    if (!s) return Promise.resolve(undefined);
    const signal = this.abort.signal;
    const p = this.client
      .request(
        { type: 'frame/ensure', line: s.line, index: i, priority },
        { signal, timeoutMs: 120000 },
      )
      .then(
        (ref) => {
          if (signal.aborted) return undefined;
          this.store.update(['frames'], (st) => {
            st.frames[i] = ref;
          });
          return ref;
        },
        (e: unknown) => {
          this.inFlight.delete(i);
          if (!signal.aborted)
            this.store.update(['ui'], (st) => {
              st.notice = {
                level: 'error',
                text: `frame ${i}: ${e instanceof Error ? e.message : String(e)}`,
              };
            });
          return undefined;
        },
      );
    this.inFlight.set(i, p);
    return p;
  }

  private async fillAll(signal: AbortSignal): Promise<void> {
    // The current frame and its neighbours go first (show/prefetch); then the rest, in order.
    await new Promise((r) => setTimeout(r, 50));
    const n = this.store.state.frames.length;
    for (let i = 0; i < n && !signal.aborted; i++) {
      if (!this.store.state.frames[i]?.uri) await this.ensure(i, 'soon');
    }
  }
}
