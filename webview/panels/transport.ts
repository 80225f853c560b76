/** Transport: step, step 10, play the sampled frames, go to a frame, and the frame label. */
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { button } from './controls';

/** What the transport's controls do. */
export interface TransportActions {
  step(delta: number): void;
  togglePlay(): void;
  goTo(frame: number): void;
}

/** The transport bar. */
export class Transport {
  readonly el: HTMLElement;
  private readonly label: HTMLElement;
  private readonly play: HTMLElement;
  readonly input: HTMLInputElement;

  constructor(
    private readonly store: Store,
    a: TransportActions,
  ) {
    this.label = h('span', { 'data-testid': 'frame-label', class: 'frame-label' });
    this.play = button('btn-play', 'Play', 'Play / pause the sampled frames (Space)', a.togglePlay);
    this.input = h('input', {
      type: 'number',
      min: '0',
      step: '1',
      'data-testid': 'frame-input',
      class: 'frame-input',
      title: 'Go to frame (G, then Enter)',
      'aria-label': 'go to frame',
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const n = Number(this.input.value);
        if (Number.isInteger(n)) a.goTo(n);
        this.input.blur();
      }
      if (e.key === 'Escape') this.input.blur();
      e.stopPropagation();
    });
    this.el = h(
      'div',
      { class: 'transport', 'data-testid': 'transport' },
      button('btn-prev10', '«10', '10 frames back (Shift+←)', () => a.step(-10)),
      button('btn-prev', '‹', 'Previous frame (←)', () => a.step(-1)),
      this.play,
      button('btn-next', '›', 'Next frame (→)', () => a.step(1)),
      button('btn-next10', '10»', '10 frames forward (Shift+→)', () => a.step(10)),
      this.label,
      this.input,
      button('btn-goto', 'Go', 'Go to the frame typed', () => {
        const n = Number(this.input.value);
        if (Number.isInteger(n)) a.goTo(n);
      }),
    );
    store.subscribe((c) => this.render(c));
  }

  private render(c: ReadonlySet<Change>): void {
    if (!(c.has('frame') || c.has('frames') || c.has('sample') || c.has('ui'))) return;
    const s = this.store.state;
    const n = s.frames.length;
    this.label.textContent = n ? `frame ${s.frame} / ${n}` : 'no frames';
    const f = s.frames[s.frame];
    this.label.title =
      f?.time !== undefined
        ? `t = ${f.time.toFixed(3)} s, source frame ${f.sourceFrame ?? '?'}`
        : '';
    this.input.max = String(Math.max(0, n - 1));
    this.play.textContent = s.playing ? 'Pause' : 'Play';
    this.play.dataset.playing = String(s.playing);
  }
}
