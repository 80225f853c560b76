/**
 * The player's timeline: a tick per sampled frame (from the probe index), a marker in the
 * entity's colour on each entity's chosen frame, and the playhead. Dragging it scrubs: every
 * pointer move asks for a seek, and the player coalesces them so the video follows at the
 * rate it can decode.
 */
import { h } from '../dom';
import { entityColor } from '../stage/palette';
import { shownGrounding } from '../state/verification';
import type { EntityState } from '../../src/core/model';

/** What the timeline asks of the player. */
export interface TimelineActions {
  /** A drag began (the player pauses while it lasts). */
  scrubStart(): void;
  /** Seek to `seconds` (called on every pointer move of a drag). */
  scrubTo(seconds: number): void;
  /** The drag ended at `seconds`. */
  scrubEnd(seconds: number): void;
}

/** The timeline under the video. */
export class Timeline {
  readonly el: HTMLElement;
  private readonly ticks: HTMLElement;
  private readonly markers: HTMLElement;
  private readonly playhead: HTMLElement;
  private tickEls: HTMLElement[] = [];
  private duration = 1;
  private near = -1;
  private dragging = false;

  constructor(private readonly actions: TimelineActions) {
    this.ticks = h('div', { class: 'timeline-ticks' });
    this.markers = h('div', { class: 'timeline-markers' });
    this.playhead = h('div', { class: 'timeline-playhead', 'data-testid': 'timeline-playhead' });
    this.el = h(
      'div',
      {
        class: 'timeline',
        'data-testid': 'timeline',
        role: 'slider',
        'aria-label': 'video timeline (drag to scrub)',
        title: 'Drag to scrub; ticks are the sampled frames, dots the entities’ frames',
      },
      h('div', { class: 'timeline-track' }),
      this.ticks,
      this.markers,
      this.playhead,
    );
    this.el.addEventListener('pointerdown', (e) => this.onDown(e));
    this.el.addEventListener('pointermove', (e) => {
      if (this.dragging) this.actions.scrubTo(this.timeAt(e.clientX));
    });
    const end = (e: PointerEvent): void => {
      if (!this.dragging) return;
      this.dragging = false;
      this.el.classList.remove('scrubbing');
      this.actions.scrubEnd(this.timeAt(e.clientX));
    };
    this.el.addEventListener('pointerup', end);
    this.el.addEventListener('pointercancel', end);
  }

  /** Lays out the ticks of the sampled frames and the entities' markers. */
  build(times: readonly number[], duration: number, entities: readonly EntityState[]): void {
    this.duration = Math.max(1e-6, duration);
    this.tickEls = times.map((time, index) => {
      const tick = h('div', {
        class: 'timeline-tick',
        'data-testid': `timeline-tick-${index}`,
        'data-frame': String(index),
        'data-time': time.toFixed(3),
        title: `frame ${index} (t = ${time.toFixed(2)} s)`,
      });
      tick.style.left = this.percent(time);
      return tick;
    });
    this.ticks.replaceChildren(...this.tickEls);
    this.near = -1;
    const marks = entities.flatMap((entity, index) => {
      const shown = shownGrounding(entity);
      const time = shown ? times[shown.g.frame] : undefined;
      if (!shown || time === undefined) return [];
      const marker = h('div', {
        class: shown.proposal ? 'timeline-marker proposal' : 'timeline-marker',
        'data-testid': `timeline-marker-${index}`,
        'data-entity': String(index),
        'data-frame': String(shown.g.frame),
        title: `${entity.text}: frame ${shown.g.frame}${shown.proposal ? ' (proposed)' : ''}`,
      });
      marker.style.left = this.percent(time);
      marker.style.setProperty('--marker-color', entityColor(index));
      return [marker];
    });
    this.markers.replaceChildren(...marks);
  }

  /** Moves the playhead to `seconds` and marks the tick of the nearest sampled frame. */
  setTime(seconds: number, nearest: number): void {
    this.playhead.style.left = this.percent(seconds);
    this.el.setAttribute('aria-valuenow', seconds.toFixed(2));
    if (nearest === this.near) return;
    this.tickEls[this.near]?.classList.remove('near');
    this.tickEls[nearest]?.classList.add('near');
    this.near = nearest;
  }

  private onDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    event.preventDefault();
    this.el.setPointerCapture(event.pointerId);
    this.dragging = true;
    this.el.classList.add('scrubbing');
    this.actions.scrubStart();
    this.actions.scrubTo(this.timeAt(event.clientX));
  }

  private timeAt(clientX: number): number {
    const box = this.el.getBoundingClientRect();
    const fraction = box.width > 0 ? (clientX - box.left) / box.width : 0;
    return Math.max(0, Math.min(1, fraction)) * this.duration;
  }

  private percent(seconds: number): string {
    return `${Math.max(0, Math.min(100, (seconds / this.duration) * 100)).toFixed(3)}%`;
  }
}
