/**
 * Transport: step, step 10, play (the clip in the player, or the sampled frames of a frame
 * list), the player / frame view switch, go to a frame, the frame label and the zoom.
 */
import { h } from '../dom';
import type { PlayerView } from '../player/videoPlayer';
import type { Change, Store } from '../state/store';
import { button } from './controls';

/** What the transport's controls do. */
export interface TransportActions {
  step(delta: number): void;
  togglePlay(): void;
  goTo(frame: number): void;
  /** Switches between the player and the frame view. */
  toggleView(): void;
  /** The view shown, undefined when the sample has no clip (then Play steps the frames). */
  view(): PlayerView | undefined;
}

/** The transport bar. */
export class Transport {
  readonly el: HTMLElement;
  private readonly label: HTMLElement;
  private readonly play: HTMLElement;
  private readonly viewSwitch: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly zoom: HTMLElement;

  constructor(
    private readonly store: Store,
    private readonly actions: TransportActions,
  ) {
    this.label = h('span', { 'data-testid': 'frame-label', class: 'frame-label' });
    this.zoom = h('span', {
      'data-testid': 'zoom-level',
      class: 'zoom-level',
      title: 'Zoom (wheel, + and -; F fits)',
    });
    this.play = button(
      'btn-play',
      'Play',
      'Play / pause (Space): the video at its real rate; pausing lands on the nearest sampled frame',
      actions.togglePlay,
    );
    this.viewSwitch = button(
      'btn-player-view',
      'Video',
      'Player view / frame view (Shift+V); the tools work on the frame view',
      actions.toggleView,
    );
    this.input = h('input', {
      type: 'number',
      min: '0',
      step: '1',
      'data-testid': 'frame-input',
      class: 'frame-input',
      title: 'Go to frame (G, then Enter)',
      'aria-label': 'go to frame',
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        const target = Number(this.input.value);
        if (Number.isInteger(target)) actions.goTo(target);
        this.input.blur();
      }
      if (event.key === 'Escape') this.input.blur();
      event.stopPropagation();
    });
    this.el = h(
      'div',
      { class: 'transport', 'data-testid': 'transport' },
      button('btn-prev10', '«10', '10 frames back (Shift+←)', () => actions.step(-10)),
      button('btn-prev', '‹', 'Previous frame (←)', () => actions.step(-1)),
      this.play,
      button('btn-next', '›', 'Next frame (→)', () => actions.step(1)),
      button('btn-next10', '10»', '10 frames forward (Shift+→)', () => actions.step(10)),
      this.viewSwitch,
      this.label,
      this.input,
      button('btn-goto', 'Go', 'Go to the frame typed', () => {
        const target = Number(this.input.value);
        if (Number.isInteger(target)) actions.goTo(target);
      }),
      h('span', { class: 'spacer' }),
      this.zoom,
    );
    store.subscribe((c) => this.render(c));
  }

  private render(changes: ReadonlySet<Change>): void {
    if (!(
      changes.has('frame') ||
      changes.has('frames') ||
      changes.has('sample') ||
      changes.has('ui')
    ))
      return;
    const state = this.store.state;
    const count = state.frames.length;
    // Frame numbers are 0-based like `<frame n>`: say the range, not a count beside an index.
    this.label.textContent = count ? `frame ${state.frame} of 0–${count - 1}` : 'no frames';
    const current = state.frames[state.frame];
    this.label.title =
      current?.time !== undefined
        ? `t = ${current.time.toFixed(3)} s, source frame ${current.sourceFrame ?? '?'}`
        : '';
    this.input.max = String(Math.max(0, count - 1));
    this.play.textContent = state.playing ? 'Pause' : 'Play';
    this.play.dataset.playing = String(state.playing);
    const view = this.actions.view();
    this.viewSwitch.hidden = view === undefined;
    this.viewSwitch.textContent = view === 'player' ? 'Frames' : 'Video';
    this.viewSwitch.dataset.view = view ?? 'none';
  }

  /** Shows the stage's zoom (1 = one source pixel per screen pixel). */
  setZoom(scale: number): void {
    const percent = Math.round(scale * 100);
    this.zoom.textContent = `${percent}%`;
    this.zoom.dataset.scale = scale.toFixed(4);
  }
}
