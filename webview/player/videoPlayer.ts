/**
 * The video player for context (issue 13 item 8): the sample's clip at its real rate in a
 * `<video>` over the stage, with the timeline of sampled frames under it. Watching only: the
 * frame that gets annotated is always a sampled frame of the probe index, so pausing lands
 * on the sampled frame nearest the clock and shows it in the frame view, where the tools
 * work. The player view covers the stage, so no tool can draw on a frame nobody sees.
 */
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { CodecNotice, mediaErrorText } from './codecNotice';
import type { ProxyMaker } from './codecNotice';
import { clockText, nearestSampledFrame, sampledTimes, timelineDuration } from './playerTimes';
import { Timeline } from './timeline';

/** Which view the stage area shows. */
export type PlayerView = 'frames' | 'player';

/** What the player needs from the editor. */
export interface PlayerHooks {
  /** Selects sampled frame `frame` (the filmstrip and transport follow the store). */
  goTo(frame: number): void;
  /** Gives the keys back to the stage. */
  focus(): void;
  /** The sampled-frame stepping play, for samples without a clip (frame lists). */
  stepPlay(): void;
  stopStepPlay(): void;
  /** Makes (or finds cached) the VP9 copy of sample `line`'s clip; resolves with its URI. */
  makeProxy?: (line: number) => Promise<string>;
}

// A seek to a frame's exact time can show the frame before it (rounding in the decoder).
const INTO_FRAME = 1e-3;

/** The player over the stage. */
export class VideoPlayer {
  readonly el: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly timeline: Timeline;
  private readonly clock: HTMLElement;
  private readonly notice: CodecNotice;
  private viewNow: PlayerView = 'frames';
  private sampleKey = '';
  private loadedUri = '';
  /** VP9 copies made this session, by the original clip's URI (one per video, not per sample). */
  private readonly proxies = new Map<string, string>();
  private times: number[] = [];
  private pendingSeek: number | undefined;
  private resumeAfterScrub = false;
  private selecting = false;
  private raf = 0;

  constructor(
    private readonly store: Store,
    parent: HTMLElement,
    private readonly hooks: PlayerHooks,
  ) {
    this.video = h('video', {
      class: 'player-video',
      'data-testid': 'player-video',
      preload: 'auto',
      playsinline: true,
      disablepictureinpicture: true,
    });
    this.video.addEventListener('click', () => this.togglePlay());
    this.timeline = new Timeline({
      scrubStart: () => {
        this.resumeAfterScrub = !this.video.paused;
        this.video.pause();
      },
      scrubTo: (t) => this.seek(t),
      scrubEnd: (t) => this.scrubEnd(t),
    });
    this.clock = h('span', { class: 'player-clock', 'data-testid': 'player-clock' });
    this.notice = new CodecNotice((uri) => this.useProxy(uri));
    this.el = h(
      'div',
      { class: 'player', 'data-testid': 'player', 'data-view': 'frames' },
      h('div', { class: 'player-screen' }, this.video, this.notice.el),
      h('div', { class: 'player-bar' }, this.timeline.el, this.clock),
    );
    this.el.hidden = true;
    parent.append(this.el);
    this.listen();
    store.subscribe((c) => this.onStore(c));
  }

  /** The view shown, or undefined when the sample has no clip to play. */
  view(): PlayerView | undefined {
    return this.clipUri() ? this.viewNow : undefined;
  }

  /** Play / Pause (Space): plays the clip from the frame on screen; pausing lands on a frame. */
  togglePlay(): void {
    if (!this.clipUri()) {
      this.hooks.stepPlay();
      return;
    }
    if (this.viewNow === 'player' && !this.video.paused) {
      this.land();
      return;
    }
    if (this.viewNow === 'frames') this.open();
    this.play();
  }

  /** The player view and the frame view, in turn (leaving the player lands on a frame). */
  toggleView(): void {
    if (!this.clipUri()) return;
    if (this.viewNow === 'player') this.land();
    else this.open();
  }

  /** Pauses and shows the sampled frame nearest the clock in the frame view. */
  land(): void {
    this.video.pause();
    const frame = nearestSampledFrame(this.times, this.video.currentTime);
    this.setView('frames');
    if (frame >= 0) this.hooks.goTo(frame);
    this.hooks.focus();
  }

  private open(): void {
    this.hooks.stopStepPlay();
    const clip = this.clipUri();
    const uri = clip && (this.proxies.get(clip) ?? clip);
    if (uri && uri !== this.loadedUri) this.load(uri, uri !== clip);
    // The clip starts where the person stands: the frame on screen.
    const time = this.times[this.store.state.frame];
    if (time !== undefined) this.seek(time + INTO_FRAME);
    this.setView('player');
  }

  private play(): void {
    this.video.play().catch((e: unknown) => {
      // An element with an error reports it through its notice; a refused autoplay does not.
      if (!this.video.error && e instanceof Error && e.name !== 'AbortError')
        this.notice.show(`The player could not start: ${e.message}`, undefined);
    });
  }

  private load(uri: string, proxy: boolean): void {
    this.notice.hide();
    delete this.el.dataset.error;
    this.loadedUri = uri;
    this.el.dataset.source = proxy ? 'proxy' : 'original';
    this.video.src = uri;
  }

  private useProxy(uri: string): void {
    const clip = this.clipUri();
    if (clip) this.proxies.set(clip, uri);
    this.load(uri, true);
    const time = this.times[this.store.state.frame];
    if (time !== undefined) this.seek(time + INTO_FRAME);
  }

  private setView(view: PlayerView): void {
    if (view === this.viewNow) return;
    this.viewNow = view;
    this.el.hidden = view !== 'player';
    this.el.dataset.view = view;
    // The transport labels its buttons from the store: a view change is a UI change.
    this.syncPlaying(true);
  }

  private seek(seconds: number): void {
    this.pendingSeek = seconds;
    this.showClock(seconds);
    // One seek at a time: a drag asks faster than the decoder answers, so only the latest
    // waiting target is kept and sent when the previous seek lands.
    if (!this.video.seeking && this.video.readyState > 0) this.flushSeek();
  }

  private flushSeek(): void {
    const target = this.pendingSeek;
    if (target === undefined) return;
    this.pendingSeek = undefined;
    this.video.currentTime = target;
  }

  private scrubEnd(seconds: number): void {
    this.seek(seconds);
    if (this.resumeAfterScrub) {
      this.play();
      return;
    }
    // Paused: the filmstrip and transport follow the nearest sampled frame; the clip stays.
    const frame = nearestSampledFrame(this.times, seconds);
    this.selecting = true;
    try {
      if (frame >= 0) this.hooks.goTo(frame);
    } finally {
      this.selecting = false;
    }
    this.hooks.focus();
  }

  private listen(): void {
    const video = this.video;
    video.addEventListener('loadedmetadata', () => {
      this.rebuild();
      this.flushSeek();
    });
    video.addEventListener('seeked', () => {
      this.flushSeek();
      this.showClock(video.currentTime);
    });
    video.addEventListener('timeupdate', () => this.showClock(video.currentTime));
    video.addEventListener('play', () => {
      this.syncPlaying();
      this.tick();
    });
    video.addEventListener('pause', () => this.syncPlaying());
    // The end is a pause like any other: it lands on the last sampled frame.
    video.addEventListener('ended', () => {
      if (this.viewNow === 'player') this.land();
    });
    video.addEventListener('error', () => {
      const name = this.store.state.sample?.video?.split(/[\\/]/).pop() ?? 'the video';
      const proxy = this.el.dataset.source === 'proxy' ? undefined : this.proxyMaker();
      this.notice.show(mediaErrorText(video.error, name), proxy);
      this.el.dataset.error = String(video.error?.code ?? 0);
    });
  }

  /** The playhead follows the clock on every painted frame while playing. */
  private tick(): void {
    cancelAnimationFrame(this.raf);
    const step = (): void => {
      this.showClock(this.video.currentTime);
      if (!this.video.paused) this.raf = requestAnimationFrame(step);
    };
    this.raf = requestAnimationFrame(step);
  }

  private showClock(seconds: number): void {
    const nearest = nearestSampledFrame(this.times, seconds);
    const duration = timelineDuration(this.times, this.video.duration, this.fps());
    this.timeline.setTime(seconds, nearest);
    this.clock.textContent = `${clockText(seconds)} / ${clockText(duration)} · nearest sampled frame ${nearest}`;
    this.clock.dataset.nearest = String(nearest);
  }

  private syncPlaying(force = false): void {
    const playing = this.viewNow === 'player' && !this.video.paused;
    this.el.dataset.playing = String(playing);
    if (force || this.store.state.playing !== playing)
      this.store.update(['ui'], (s) => {
        s.playing = playing;
      });
  }

  private onStore(changes: ReadonlySet<Change>): void {
    const sample = this.store.state.sample;
    if (changes.has('sample')) {
      const key = sample ? `${sample.line}:${sample.id}` : '';
      if (key !== this.sampleKey) this.reset(key);
    }
    if (changes.has('sample') || changes.has('frames') || changes.has('entity')) this.rebuild();
    // Choosing a tool means drawing, which happens on the frame view: land there.
    if (changes.has('tool') && this.viewNow === 'player') this.land();
    if (changes.has('frame') && this.viewNow === 'player' && !this.selecting) {
      // The filmstrip or a step key chose a frame while watching: the clip goes there.
      this.video.pause();
      const time = this.times[this.store.state.frame];
      if (time !== undefined) this.seek(time + INTO_FRAME);
    }
  }

  private reset(key: string): void {
    this.sampleKey = key;
    this.video.pause();
    this.setView('frames');
    this.pendingSeek = undefined;
    this.loadedUri = '';
    this.notice.hide();
    delete this.el.dataset.error;
    this.video.removeAttribute('src');
    this.video.load();
  }

  private rebuild(): void {
    const state = this.store.state;
    this.times = sampledTimes(state.frames, this.fps());
    const duration = timelineDuration(this.times, this.video.duration, this.fps());
    this.timeline.build(this.times, duration, state.sample?.state.entities ?? []);
    this.showClock(this.video.currentTime || 0);
  }

  /** The proxy maker for the sample on screen (undefined where the host offers none). */
  private proxyMaker(): ProxyMaker | undefined {
    const make = this.hooks.makeProxy;
    const line = this.store.state.sample?.line;
    return make && line !== undefined ? () => make(line) : undefined;
  }

  private fps(): number | undefined {
    return this.store.state.sample?.fps;
  }

  private clipUri(): string | undefined {
    return this.store.state.sample?.media.videoUri || undefined;
  }
}
