/** Summaries of a list of numbers: count, mean, median, p90 and fixed-width histogram bins. */

/** A summary of values; the statistics are null when there are no values. */
export interface Distribution {
  readonly count: number;
  readonly mean: number | null;
  readonly median: number | null;
  readonly p90: number | null;
}

/** One histogram bin: values in [from, to), the last bin closed so that 1.0 counts. */
export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * The q-quantile (0..1) by linear interpolation between closest ranks (numpy's default), so
 * the median of an even count is the mean of the middle two, as people compute it by hand.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Rounds to 4 decimals so that JSON output is stable across float noise. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Count, mean, median and p90 of `values` (rounded to 4 decimals). */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;
  const r = (v: number | null): number | null => (v === null ? null : round4(v));
  return {
    count: sorted.length,
    mean: r(mean),
    median: r(quantile(sorted, 0.5)),
    p90: r(quantile(sorted, 0.9)),
  };
}

/** `bins` equal bins over [0, 1] (IoU values); values outside are clamped into the ends. */
export function unitHistogram(values: readonly number[], bins = 10): HistogramBin[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts.map((count, k) => ({ from: round4(k / bins), to: round4((k + 1) / bins), count }));
}
