/**
 * The filmstrip of sampled frames: a thumbnail per frame with its sharpness bar, a dot per
 * entity grounded on it (in the entity's colour), the current frame and the active entity's
 * proposed frame marked. Clicking a thumbnail goes to that frame.
 */
import { h } from '../dom';
import { entityColor } from '../stage/palette';
import type { Change, Store } from '../state/store';
import { shownGrounding } from '../state/verification';
import { laplacianVariance } from './sharpness';

/** The filmstrip. */
export class Filmstrip {
  readonly el: HTMLElement;
  private thumbs: HTMLElement[] = [];
  private readonly measured = new Map<number, number>();
  private builtFor = '';

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

  private render(c: ReadonlySet<Change>): void {
    const s = this.store.state;
    const key = `${s.sample?.line ?? -1}:${s.sample?.id ?? ''}:${s.frames.length}`;
    if (key !== this.builtFor) {
      this.build();
      this.builtFor = key;
    } else if (c.has('frames')) this.updateImages();
    if (c.has('frame') || c.has('entity') || c.has('sample') || c.has('frames')) this.updateMarks();
  }

  private build(): void {
    this.measured.clear();
    this.thumbs = this.store.state.frames.map((f, i) => {
      const t = h(
        'div',
        {
          class: 'thumb',
          'data-testid': `filmstrip-thumb-${i}`,
          'data-index': String(i),
          role: 'option',
          title: `frame ${i}`,
        },
        h('div', { class: 'thumb-img' }),
        h('div', { class: 'sharpness', title: 'sharpness' }, h('div', { class: 'sharpness-fill' })),
        h('div', { class: 'markers' }),
        h('span', { class: 'thumb-index' }, String(i)),
      );
      t.addEventListener('click', () => this.goTo(i));
      if (f.uri || f.thumbUri) this.setImage(t, i);
      return t;
    });
    this.el.replaceChildren(...this.thumbs);
    this.updateBars();
  }

  private updateImages(): void {
    this.store.state.frames.forEach((f, i) => {
      const t = this.thumbs[i];
      if (t && !t.querySelector('img') && (f.uri || f.thumbUri)) this.setImage(t, i);
    });
    this.updateBars();
  }

  private setImage(t: HTMLElement, i: number): void {
    const f = this.store.state.frames[i];
    const src = f?.thumbUri ?? f?.uri;
    if (!src) return;
    const img = h('img', { alt: `frame ${i}`, loading: 'lazy', draggable: 'false' });
    img.addEventListener('load', () => {
      if (f?.sharpness === undefined) {
        const v = laplacianVariance(img);
        if (v !== undefined) {
          this.measured.set(i, v);
          this.updateBars();
        }
      }
    });
    img.src = src;
    t.querySelector('.thumb-img')?.replaceChildren(img);
  }

  private updateBars(): void {
    const frames = this.store.state.frames;
    const values = frames.map((f, i) => f.sharpness ?? this.measured.get(i));
    const max = Math.max(1e-9, ...values.filter((v): v is number => v !== undefined));
    values.forEach((v, i) => {
      const fill = this.thumbs[i]?.querySelector<HTMLElement>('.sharpness-fill');
      if (!fill) return;
      fill.style.width = v === undefined ? '0%' : `${Math.round((v / max) * 100)}%`;
      this.thumbs[i]?.setAttribute('data-sharpness', v === undefined ? '' : (v / max).toFixed(3));
    });
  }

  private updateMarks(): void {
    const s = this.store.state;
    const ents = s.sample?.state.entities ?? [];
    const active = this.store.activeEntity();
    const proposed = active?.proposal?.frame;
    const byFrame = new Map<number, number[]>();
    ents.forEach((e, i) => {
      const g = shownGrounding(e);
      if (g) byFrame.set(g.g.frame, [...(byFrame.get(g.g.frame) ?? []), i]);
    });
    this.thumbs.forEach((t, i) => {
      t.classList.toggle('current', i === s.frame);
      t.setAttribute('aria-selected', String(i === s.frame));
      t.classList.toggle('proposed', i === proposed);
      const m = t.querySelector('.markers');
      if (!m) return;
      const list = byFrame.get(i) ?? [];
      const want = list.join(',');
      if ((m as HTMLElement).dataset.entities === want) return;
      (m as HTMLElement).dataset.entities = want;
      m.replaceChildren(
        ...list.slice(0, 12).map((k) => {
          const d = h('span', {
            class: 'marker',
            'data-entity': String(k),
            title: ents[k]?.text ?? '',
          });
          d.style.background = entityColor(k);
          return d;
        }),
      );
    });
    this.thumbs[s.frame]?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}
