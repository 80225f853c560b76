/**
 * A multiset of numbers for streamed statistics (time per entity over millions of entities):
 * whole numbers are counted by value (a few thousand distinct timings, not one slot each;
 * a number[] of 7.8 million timings, kept twice and copied to sort, put `stats` of a 2 GB file
 * past 300 MB). Anything else (negative, fractional, or past MAX_DISTINCT values) goes to a
 * list of Float64 chunks in arrival order. The sums and quantiles are bit for bit those of the plain array of values:
 * whole numbers add exactly in any order, and the rest keep their order.
 */
import { round4 } from './distribution';
import type { Distribution } from './distribution';

const MAX_DISTINCT = 1 << 16;
const CHUNK = 1 << 14;

/** Numbers added one at a time; `total`, `count` and `distribution` as of a plain array. */
export class ValueBag {
  private readonly counts = new Map<number, number>();
  // The exact sum of the counted values (whole numbers), which come before anything listed.
  private countedSum = 0;
  // Set by the first value that cannot be counted: from then on values keep arrival order.
  private listing = false;
  private readonly listed: Float64Array[] = [];
  private listedLength = 0;
  private size = 0;

  /** How many values were added. */
  get count(): number {
    return this.size;
  }

  /** Adds one value. */
  add(value: number): void {
    this.size++;
    const counts = this.counts;
    if (
      !this.listing &&
      // Non-negative, so every partial sum in any order is below the total: all exact.
      Number.isSafeInteger(value) &&
      value >= 0 &&
      this.countedSum + value < 2 ** 52 &&
      (counts.size < MAX_DISTINCT || counts.has(value))
    ) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
      this.countedSum += value;
      return;
    }
    this.listing = true;
    const inChunk = this.listedLength % CHUNK;
    if (inChunk === 0) this.listed.push(new Float64Array(CHUNK));
    (this.listed[this.listed.length - 1] as Float64Array)[inChunk] = value;
    this.listedLength++;
  }

  /** The sum in arrival order, as `values.reduce((a, b) => a + b, 0)` gives it. */
  total(): number {
    let sum = this.countedSum;
    for (let i = 0; i < this.listedLength; i++) sum += this.listedAt(i);
    return sum;
  }

  /** Count, mean, median and p90, as distribution() of the plain array gives them. */
  distribution(): Distribution {
    const size = this.size;
    if (!size) return { count: 0, mean: null, median: null, p90: null };
    // The value of rank i in ascending order, and the sum in that order (as distribution()).
    let at: (rank: number) => number;
    let sum = 0;
    if (this.listedLength) {
      const all = new Float64Array(size);
      let k = 0;
      for (const [value, n] of this.counts) all.fill(value, k, (k += n));
      for (let i = 0; i < this.listedLength; i++) all[k++] = this.listedAt(i);
      all.sort();
      for (const value of all) sum += value;
      at = (rank) => all[rank] as number;
    } else {
      const sorted = [...this.counts.entries()].sort(([a], [b]) => a - b);
      for (const [value, n] of sorted) for (let c = 0; c < n; c++) sum += value;
      at = (rank) => {
        let seen = 0;
        for (const [value, n] of sorted) if (rank < (seen += n)) return value;
        return NaN;
      };
    }
    const q = (p: number): number => {
      const pos = (size - 1) * p;
      const lo = Math.floor(pos);
      const a = at(lo);
      return a + (at(Math.ceil(pos)) - a) * (pos - lo);
    };
    return { count: size, mean: round4(sum / size), median: round4(q(0.5)), p90: round4(q(0.9)) };
  }

  private listedAt(i: number): number {
    return (this.listed[Math.floor(i / CHUNK)] as Float64Array)[i % CHUNK] as number;
  }
}
