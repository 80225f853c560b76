/**
 * The sample picker (issue 14 item 5): a button naming the sample shown, opening a list with
 * an id search and a status filter. The list is virtualised: only the rows in view (and a
 * few either side) are in the DOM, so 100,000 samples cost what 20 do; a `<select>` of every
 * sample took seconds to rebuild after each edit.
 */
import type { SampleSummary } from '../../src/protocol/snapshot';
import { h } from '../dom';
import type { Store } from '../state/store';
import { indexOfLine } from './samplePickerSync';
import { SamplePickerModel, listedStatus } from './samplePickerModel';
import type { PickerFilter } from './samplePickerModel';

/** Row height in CSS pixels (fixed: a row's place is its number times this). */
const ROW_PX = 22;
/** Rows drawn beyond the visible ones each side, so a fast scroll shows no gap. */
const OVERSCAN = 8;
const LIST_PX = 330;
const FILTERS: readonly PickerFilter[] = [
  'all',
  'todo',
  'in_progress',
  'annotated',
  'approved',
  'rejected',
  'problem',
];

function rowText(summary: SampleSummary): string {
  return summary.problem
    ? `line ${summary.line + 1}: ${summary.problem}`
    : `${summary.id ?? '?'} — ${(summary.status ?? 'todo').replace('_', ' ')}`;
}

/** The picker: its button goes in the header, its list pops over the editor. */
export class SamplePicker {
  /** The button (a header item: the header's layout rules size it). */
  readonly toggle: HTMLButtonElement;
  /** The list, fixed over the editor (the header clips what overflows it). */
  readonly popover: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly filter: HTMLSelectElement;
  private readonly info: HTMLElement;
  private readonly list: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly model: SamplePickerModel;
  /** The row elements, reused as the list scrolls. */
  private readonly pool: HTMLElement[] = [];
  /** The list must be built again before it is shown (a new list came while closed). */
  private stale = true;
  /** The keyboard's row (arrows move it, Enter opens it). */
  private cursor = 0;

  constructor(
    private readonly store: Store,
    private readonly open: (line: number) => void,
  ) {
    this.model = new SamplePickerModel(() => store.state.samples);
    this.toggle = h('button', {
      'data-testid': 'sample-picker-toggle',
      class: 'sample-select',
      'aria-haspopup': 'listbox',
      'aria-expanded': 'false',
      title: 'Samples: search by id, filter by status',
    });
    this.toggle.addEventListener('click', () => (this.isOpen ? this.close() : this.show()));
    this.search = h('input', {
      'data-testid': 'sample-search',
      type: 'search',
      placeholder: 'search id',
      'aria-label': 'search samples by id',
    });
    this.search.addEventListener('input', () => this.refilter());
    this.search.addEventListener('keydown', (e) => this.onKey(e));
    this.filter = h('select', { 'data-testid': 'sample-filter', 'aria-label': 'status filter' });
    for (const f of FILTERS) this.filter.append(h('option', { value: f }, f.replace('_', ' ')));
    this.filter.addEventListener('change', () => this.refilter());
    this.info = h('div', { 'data-testid': 'sample-list-info', class: 'counts' });
    this.spacer = h('div', {});
    this.list = h(
      'div',
      { 'data-testid': 'sample-list', role: 'listbox', tabindex: '-1' },
      this.spacer,
    );
    this.list.className = 'sample-list';
    // CSSOM, not a style attribute: the page's CSP refuses inline style attributes.
    this.list.style.height = `${LIST_PX}px`;
    this.list.addEventListener('scroll', () => this.draw());
    this.popover = h(
      'div',
      { 'data-testid': 'sample-picker', class: 'sample-picker', hidden: true },
      h('div', { class: 'sample-picker-controls' }, this.search, this.filter),
      this.info,
      this.list,
    );
    // Esc closes from any of the list's controls (the search field, the filter, a row).
    this.popover.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      this.close();
    });
    document.addEventListener('mousedown', (e) => {
      const inside =
        this.popover.contains(e.target as Node) || this.toggle.contains(e.target as Node);
      if (this.isOpen && !inside) this.close();
    });
  }

  /** Whether the list is shown. */
  get isOpen(): boolean {
    return !this.popover.hidden;
  }

  /** The store's summaries changed: `lines` of them, or all (a new list). */
  samplesChanged(lines: readonly number[] | 'all'): void {
    if (lines === 'all') {
      this.stale = true;
      if (this.isOpen) this.showList();
      return;
    }
    if (this.stale) return;
    const samples = this.store.state.samples;
    const indices = lines.map((line) => indexOfLine(samples, line)).filter((i) => i >= 0);
    const redraw = this.model.patch(indices);
    if (this.isOpen && (redraw === 'all' || redraw.length > 0)) this.draw();
  }

  /** The sample shown changed: the button names it, the list marks it. */
  sampleShown(): void {
    const sample = this.store.state.sample;
    const at = sample ? indexOfLine(this.store.state.samples, sample.line) : -1;
    const summary = at >= 0 ? this.store.state.samples[at] : undefined;
    this.toggle.textContent = summary ? rowText(summary) : (sample?.id ?? '(no sample)');
    this.toggle.dataset.line = sample ? String(sample.line) : '';
    if (this.isOpen) this.draw();
  }

  private show(): void {
    const box = this.toggle.getBoundingClientRect();
    this.popover.style.left = `${Math.max(0, box.left)}px`;
    this.popover.style.top = `${box.bottom + 2}px`;
    this.popover.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    this.showList();
    this.search.focus();
  }

  private close(): void {
    // The search field had the keys; the editor gets them back (the stage takes focus on open).
    if (this.popover.contains(document.activeElement))
      (document.activeElement as HTMLElement).blur();
    this.popover.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
  }

  /** Builds the list if it is stale, then scrolls the shown sample into view. */
  private showList(): void {
    if (this.stale) {
      this.model.rebuild();
      this.stale = false;
    }
    const line = this.store.state.sample?.line;
    const index = line === undefined ? -1 : indexOfLine(this.store.state.samples, line);
    const place = index >= 0 ? this.model.rowOf(index) : undefined;
    this.cursor = place?.listed ? place.row : 0;
    this.list.scrollTop = Math.max(0, (this.cursor - 5) * ROW_PX);
    this.draw();
  }

  private refilter(): void {
    this.model.set(this.filter.value as PickerFilter, this.search.value);
    this.stale = false;
    this.cursor = 0;
    this.list.scrollTop = 0;
    this.draw();
  }

  /** Draws the rows in view from the pool; the spacer gives the list its full height. */
  private draw(): void {
    const total = this.model.length;
    this.spacer.style.height = `${total * ROW_PX}px`;
    const all = this.store.state.samples.length;
    this.info.textContent = total === all ? `${all} samples` : `${total} of ${all} samples`;
    const first = Math.max(0, Math.floor(this.list.scrollTop / ROW_PX) - OVERSCAN);
    const last = Math.min(total, Math.ceil((this.list.scrollTop + LIST_PX) / ROW_PX) + OVERSCAN);
    const current = this.store.state.sample?.line;
    for (let k = 0; k < last - first; k++) {
      const summary = this.model.at(first + k) as SampleSummary;
      const row = this.pool[k] ?? this.newRow();
      row.style.top = `${(first + k) * ROW_PX}px`;
      row.textContent = rowText(summary);
      row.dataset.line = String(summary.line);
      row.dataset.status = listedStatus(summary);
      row.dataset.current = String(summary.line === current);
      row.dataset.cursor = String(first + k === this.cursor);
      row.setAttribute('aria-selected', String(summary.line === current));
      row.hidden = false;
    }
    for (let k = last - first; k < this.pool.length; k++)
      (this.pool[k] as HTMLElement).hidden = true;
  }

  private newRow(): HTMLElement {
    const row = h('div', { 'data-testid': 'sample-row', role: 'option', class: 'sample-row' });
    row.addEventListener('click', () => {
      const line = Number(row.dataset.line);
      if (row.dataset.status === 'problem') return;
      this.close();
      this.open(line);
    });
    row.style.height = `${ROW_PX}px`;
    row.style.lineHeight = `${ROW_PX}px`;
    this.pool.push(row);
    this.list.append(row);
    return row;
  }

  private onKey(e: KeyboardEvent): void {
    const move = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (move !== 0) {
      e.preventDefault();
      this.cursor = Math.max(0, Math.min(this.model.length - 1, this.cursor + move));
      const top = this.cursor * ROW_PX;
      if (top < this.list.scrollTop) this.list.scrollTop = top;
      else if (top + ROW_PX > this.list.scrollTop + LIST_PX)
        this.list.scrollTop = top + ROW_PX - LIST_PX;
      this.draw();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const summary = this.model.at(this.cursor);
      if (summary && summary.problem === undefined) {
        this.close();
        this.open(summary.line);
      }
    }
  }
}
