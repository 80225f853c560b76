/**
 * The filmstrip of sampled frames: a thumbnail per frame with its sharpness bar, a dot per
 * entity grounded on it (in the entity's colour), the current frame and the active entity's
 * proposed frame marked (until the proposal is accepted, redrawn or refused; `J` jumps there).
 * Clicking a thumbnail goes to that frame.
 */
import { h } from '../dom';
import { entityColor } from '../stage/palette';
import { proposedFrame } from '../state/proposedFrame';
import type { Change, Store } from '../state/store';
import { shownGrounding } from '../state/verification';
import { laplacianVariance } from './sharpness';

/** The filmstrip. */
export class Filmstrip {
  readonly el: HTMLElement;
  private thumbs: HTMLElement[] = [];
  private readonly measured = new Map<number, number>();
  private builtFor = '';
  private scrolledTo = -1;
  private scrollQueued = false;

  constructor(
    private readonly store: Store,
    private readonly goTo: (frame: number) => void,
  ) {
    this.el = h('div', {
      class: 'filmstrip',
      'data-testid': 'filmstrip',
      role: 'listbox',
      'aria-label': 'sampled frames',
    });
    store.subscribe((c) => this.render(c));
  }

  private render(changes: ReadonlySet<Change>): void {
    const state = this.store.state;
    const key = `${state.sample?.line ?? -1}:${state.sample?.id ?? ''}:${state.frames.length}`;
    if (key !== this.builtFor) {
      this.build();
      this.builtFor = key;
    } else if (changes.has('frames')) this.updateImages();
    if (
      changes.has('frame') ||
      changes.has('entity') ||
      changes.has('sample') ||
      changes.has('frames') ||
      changes.has('ui')
    )
      this.updateMarks();
  }

  private build(): void {
    this.measured.clear();
    this.thumbs = this.store.state.frames.map((frame, index) => {
      const thumb = h(
        'div',
        {
          class: 'thumb',
          'data-testid': `filmstrip-thumb-${index}`,
          'data-index': String(index),
          role: 'option',
          title: `frame ${index}`,
        },
        h('div', { class: 'thumb-img' }),
        h('div', { class: 'sharpness', title: 'sharpness' }, h('div', { class: 'sharpness-fill' })),
        h('div', { class: 'markers' }),
        h('span', { class: 'thumb-index' }, String(index)),
      );
      thumb.addEventListener('click', () => this.goTo(index));
      if (frame.uri || frame.thumbUri) this.setImage(thumb, index);
      return thumb;
    });
    this.el.replaceChildren(...this.thumbs);
    this.scrolledTo = -1;
    this.updateBars();
  }

  private updateImages(): void {
    this.store.state.frames.forEach((frame, index) => {
      const thumb = this.thumbs[index];
      if (thumb && !thumb.querySelector('img') && (frame.uri || frame.thumbUri))
        this.setImage(thumb, index);
    });
    this.updateBars();
  }

  private setImage(thumb: HTMLElement, index: number): void {
    const frame = this.store.state.frames[index];
    const src = frame?.thumbUri ?? frame?.uri;
    if (!src) return;
    const img = h('img', { alt: `frame ${index}`, loading: 'lazy', draggable: 'false' });
    img.addEventListener('load', () => {
      if (frame?.sharpness !== undefined) return;
      // Measured when the page is idle: a few ms of pixels per thumbnail, which on opening a
      // sample would delay the frame on the stage (issue 14 item 5).
      whenIdle(() => {
        if (!img.isConnected) return;
        const variance = laplacianVariance(img);
        if (variance !== undefined) {
          this.measured.set(index, variance);
          this.updateBars();
        }
      });
    });
    img.src = src;
    thumb.querySelector('.thumb-img')?.replaceChildren(img);
  }

  private updateBars(): void {
    const frames = this.store.state.frames;
    const values = frames.map((f, i) => f.sharpness ?? this.measured.get(i));
    const max = Math.max(1e-9, ...values.filter((v): v is number => v !== undefined));
    values.forEach((value, index) => {
      const fill = this.thumbs[index]?.querySelector<HTMLElement>('.sharpness-fill');
      if (!fill) return;
      fill.style.width = value === undefined ? '0%' : `${Math.round((value / max) * 100)}%`;
      this.thumbs[index]?.setAttribute(
        'data-sharpness',
        value === undefined ? '' : (value / max).toFixed(3),
      );
    });
  }

  private updateMarks(): void {
    const state = this.store.state;
    const ents = state.sample?.state.entities ?? [];
    const proposed = proposedFrame(state);
    const byFrame = new Map<number, number[]>();
    ents.forEach((entity, index) => {
      const shown = shownGrounding(entity);
      if (shown) byFrame.set(shown.g.frame, [...(byFrame.get(shown.g.frame) ?? []), index]);
      // The answer's further acceptable frames (issue 15) are marked like its own frame.
      for (const g of entity.alternates ?? [])
        if (g.frame !== shown?.g.frame)
          byFrame.set(g.frame, [...(byFrame.get(g.frame) ?? []), index]);
    });
    const active = this.store.activeEntity();
    const acceptable = new Set((active?.alternates ?? []).map((g) => g.frame));
    this.thumbs.forEach((thumb, index) => {
      thumb.classList.toggle('current', index === state.frame);
      thumb.setAttribute('aria-selected', String(index === state.frame));
      thumb.classList.toggle('proposed', index === proposed);
      thumb.classList.toggle('acceptable', acceptable.has(index));
      thumb.dataset.acceptable = String(acceptable.has(index));
      thumb.title =
        index === proposed ? `frame ${index}: proposed (J jumps here)` : `frame ${index}`;
      const markers = thumb.querySelector('.markers');
      if (!markers) return;
      const list = byFrame.get(index) ?? [];
      const want = list.join(',');
      if ((markers as HTMLElement).dataset.entities === want) return;
      (markers as HTMLElement).dataset.entities = want;
      markers.replaceChildren(
        ...list.slice(0, 12).map((entityIndex) => {
          const marker = h('span', {
            class: 'marker',
            'data-entity': String(entityIndex),
            title: ents[entityIndex]?.text ?? '',
          });
          marker.style.background = entityColor(entityIndex);
          return marker;
        }),
      );
    });
    if (state.frame !== this.scrolledTo && !this.scrollQueued) {
      // Measured in the next animation frame, after every panel has changed the DOM: an
      // offsetLeft read here would lay the page out in the middle of an update.
      this.scrollQueued = true;
      requestAnimationFrame(() => {
        this.scrollQueued = false;
        this.scrollToCurrent();
      });
    }
  }

  /** Scrolls only the strip: scrollIntoView would also scroll the page's clipped ancestors. */
  private scrollToCurrent(): void {
    const thumb = this.thumbs[this.store.state.frame];
    if (!thumb) return;
    this.scrolledTo = this.store.state.frame;
    // The strip is positioned (style.css), so offsetLeft is within its scrolled content.
    const left = thumb.offsetLeft;
    const right = left + thumb.offsetWidth;
    if (left < this.el.scrollLeft) this.el.scrollLeft = left;
    else if (right > this.el.scrollLeft + this.el.clientWidth)
      this.el.scrollLeft = right - this.el.clientWidth;
  }
}

/** Runs `run` once the page is idle (at most a second later); at once where idle callbacks do not exist. */
function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 0);
}
