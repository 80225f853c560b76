/**
 * What the sample picker lists: the samples that pass its status filter and id search, as a
 * sorted array of positions into the store's `samples`. Built in O(n) when the filter or the
 * search changes (a person's action); an edit's delta moves a sample in or out by binary
 * search, so editing with a filter on stays O(log n).
 */
import type { SampleStatus } from '../../src/core/model';
import type { SampleSummary } from '../../src/protocol/snapshot';

/** The status filter: one status, lines that are not samples, or everything. */
export type PickerFilter = SampleStatus | 'problem' | 'all';

/** The status a summary is listed under. */
export function listedStatus(summary: SampleSummary): SampleStatus | 'problem' {
  return summary.problem !== undefined ? 'problem' : (summary.status ?? 'todo');
}

/** The filtered, searched view of the sample summaries. */
export class SamplePickerModel {
  private rows: number[] = [];
  private filterValue: PickerFilter = 'all';
  private searchValue = '';

  constructor(private readonly samples: () => readonly SampleSummary[]) {}

  /** The status filter in force. */
  get filter(): PickerFilter {
    return this.filterValue;
  }

  /** The id search in force (lower case; empty: no search). */
  get search(): string {
    return this.searchValue;
  }

  /** How many samples are listed. */
  get length(): number {
    return this.rows.length;
  }

  /** Sets the filter and the search and lists again (O(n)). */
  set(filter: PickerFilter, search: string): void {
    this.filterValue = filter;
    this.searchValue = search.trim().toLowerCase();
    this.rebuild();
  }

  /** Lists every sample that matches again (a new list from `host/init`). */
  rebuild(): void {
    const all = this.samples();
    const rows: number[] = [];
    for (let i = 0; i < all.length; i++) if (this.matches(all[i] as SampleSummary)) rows.push(i);
    this.rows = rows;
  }

  /** The listed summary at row `row`. */
  at(row: number): SampleSummary | undefined {
    const i = this.rows[row];
    return i === undefined ? undefined : this.samples()[i];
  }

  /** The row of the sample at position `index` of `samples`, or where it would be listed. */
  rowOf(index: number): { readonly row: number; readonly listed: boolean } {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.rows[mid] as number) < index) lo = mid + 1;
      else hi = mid;
    }
    return { row: lo, listed: this.rows[lo] === index };
  }

  /**
   * Takes new summaries at positions `indices` of `samples`; each one enters or leaves the
   * list as it now matches. Returns the rows to draw again, or `all` when rows shifted.
   */
  patch(indices: readonly number[]): readonly number[] | 'all' {
    const all = this.samples();
    const redraw: number[] = [];
    let shifted = false;
    for (const index of indices) {
      const summary = all[index];
      if (!summary) continue;
      const { row, listed } = this.rowOf(index);
      const wanted = this.matches(summary);
      if (listed && !wanted) this.rows.splice(row, 1);
      else if (!listed && wanted) this.rows.splice(row, 0, index);
      else if (listed) redraw.push(row);
      if (listed !== wanted) shifted = true;
    }
    return shifted ? 'all' : redraw;
  }

  private matches(summary: SampleSummary): boolean {
    if (this.filterValue !== 'all' && listedStatus(summary) !== this.filterValue) return false;
    if (this.searchValue === '') return true;
    const text = summary.id ?? `line ${summary.line + 1}`;
    return text.toLowerCase().includes(this.searchValue);
  }
}
