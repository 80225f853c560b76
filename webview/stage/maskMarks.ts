/**
 * Mask marks on the filmstrip (a hook beside webview/panels/filmstrip.ts, which it leaves
 * alone): a striped band on every frame that holds a mask, in the colours of the entities
 * that have one there, and on the active entity's model-made frames the model's confidence
 * (predicted IoU), red below the drift threshold, so a reviewer sees where a track drifted.
 */
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { entityMasks } from './maskScene';
import { entityColor } from './palette';

/** A propagated mask below this confidence is marked as likely drift. */
const LOW_CONFIDENCE = 0.75;

/** Decorates the filmstrip's thumbnails with mask marks. */
export class MaskMarks {
  constructor(
    private readonly store: Store,
    private readonly strip: HTMLElement,
  ) {
    // Subscribed after the filmstrip: its thumbnails are (re)built before these marks go on.
    store.subscribe((changes) => this.render(changes));
  }

  private render(changes: ReadonlySet<Change>): void {
    if (
      !changes.has('sample') &&
      !changes.has('frames') &&
      !changes.has('entity') &&
      !changes.has('frame') &&
      !changes.has('ui')
    )
      return;
    const state = this.store.state;
    const entities = state.sample?.state.entities ?? [];
    const byFrame = new Map<number, number[]>();
    entities.forEach((entity, index) => {
      for (const frame of entityMasks(entity, index).keys())
        byFrame.set(frame, [...(byFrame.get(frame) ?? []), index]);
    });
    const running = state.propagating;
    const live = new Map(
      running && running.line === state.sample?.line && running.entity === state.entity
        ? (running.frames ?? []).map((f) => [f.frame, f.score] as const)
        : [],
    );
    const stopped = state.propagationStops;
    const stops = new Map(
      stopped && stopped.line === state.sample?.line && stopped.entity === state.entity
        ? stopped.stops.map((stop) => [stop.frame, stop.reason] as const)
        : [],
    );
    const active = this.store.activeEntity();
    const activeMasks =
      active && state.entity !== undefined ? entityMasks(active, state.entity) : new Map();
    for (const thumb of this.strip.querySelectorAll<HTMLElement>('.thumb')) {
      const index = Number(thumb.dataset.index);
      const holders = byFrame.get(index) ?? [];
      const own = activeMasks.get(index);
      // While a run goes on, its frames show their confidence before they are stored.
      const pending = live.get(index);
      const score =
        pending ?? (own && own.proposal && own.score !== undefined ? own.score : undefined);
      const stop = stops.get(index);
      const key = `${holders.join(',')}|${score ?? ''}|${pending !== undefined}|${stop ?? ''}`;
      // A thumbnail the filmstrip rebuilt is a new element without a key, so it is marked again.
      if (thumb.dataset.maskKey === key) continue;
      thumb.dataset.maskKey = key;
      thumb.dataset.maskEntities = holders.join(',');
      if (score !== undefined) thumb.dataset.maskScore = score.toFixed(2);
      else delete thumb.dataset.maskScore;
      thumb
        .querySelectorAll('.mask-band, .mask-score, .mask-stop')
        .forEach((node) => node.remove());
      if (holders.length) thumb.append(this.band(holders));
      if (score !== undefined) thumb.append(this.scoreBadge(score, pending !== undefined));
      if (stop !== undefined) thumb.append(this.stopMark(stop));
    }
  }

  /** A thin band along the thumbnail's top, one segment per entity with a mask there. */
  private band(holders: readonly number[]): HTMLElement {
    const band = h('div', {
      class: 'mask-band',
      'data-testid': 'mask-band',
      title: `masks: ${holders.join(', ')}`,
    });
    Object.assign(band.style, {
      position: 'absolute',
      left: '0',
      right: '0',
      top: '0',
      height: '5px',
      display: 'flex',
      // A dark edge keeps the band apart from the current frame's coloured border.
      boxShadow: '0 1px 0 rgba(0, 0, 0, 0.8)',
      pointerEvents: 'none',
    });
    for (const entity of holders) {
      const part = h('span', {});
      Object.assign(part.style, { flex: '1', background: entityColor(entity) });
      band.append(part);
    }
    return band;
  }

  /** Where a propagation stopped (drift caught), the reason as its tooltip. */
  private stopMark(reason: string): HTMLElement {
    const mark = h(
      'span',
      { class: 'mask-stop', 'data-testid': 'mask-stop', title: `propagation stopped: ${reason}` },
      'stop',
    );
    Object.assign(mark.style, {
      position: 'absolute',
      left: '2px',
      bottom: '12px',
      padding: '0 3px',
      font: 'bold 10px sans-serif',
      color: '#fff',
      background: 'rgba(200, 30, 30, 0.9)',
      borderRadius: '3px',
      // The tooltip needs the pointer; the thumbnail under it still takes clicks around it.
      pointerEvents: 'auto',
    });
    return mark;
  }

  /** The model's confidence of the active entity's mask on that frame. */
  private scoreBadge(score: number, pending: boolean): HTMLElement {
    const badge = h(
      'span',
      {
        class: 'mask-score',
        'data-testid': 'mask-score',
        title: `mask confidence (predicted IoU) ${score.toFixed(2)}`,
      },
      score.toFixed(2),
    );
    Object.assign(badge.style, {
      position: 'absolute',
      right: '2px',
      bottom: '12px',
      padding: '0 3px',
      font: 'bold 10px sans-serif',
      color: '#fff',
      background: score < LOW_CONFIDENCE ? 'rgba(200, 30, 30, 0.9)' : 'rgba(0, 0, 0, 0.65)',
      borderRadius: '3px',
      outline: pending ? '1px dashed #fff' : 'none',
      pointerEvents: 'none',
    });
    if (pending) badge.dataset.pending = 'true';
    return badge;
  }
}
