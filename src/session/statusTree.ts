/**
 * A Fenwick (binary indexed) tree over 0/1 flags, one per line: set, clear, how many are set
 * before a line, and the k-th set line, each in O(log n). The sample index keeps one per
 * status, so "next todo after line i" is a rank and a select, not a scan of 100k lines.
 */

/** 0/1 flags over lines `0..size-1` with rank and select in O(log size). */
export class FlagTree {
  private readonly tree: Int32Array;
  private readonly flags: Uint8Array;
  private total = 0;
  /** The highest power of two not above `size` (where `select` starts its descent). */
  private readonly top: number;

  /** A tree over `flags` (1: set), built in O(size). */
  constructor(flags: Uint8Array) {
    const size = flags.length;
    this.flags = flags;
    this.tree = new Int32Array(size + 1);
    for (let i = 1; i <= size; i++) {
      this.tree[i] = (this.tree[i] ?? 0) + (flags[i - 1] ?? 0);
      this.total += flags[i - 1] ?? 0;
      const parent = i + (i & -i);
      if (parent <= size) this.tree[parent] = (this.tree[parent] ?? 0) + (this.tree[i] ?? 0);
    }
    let top = 1;
    while (top * 2 <= size) top *= 2;
    this.top = size === 0 ? 0 : top;
  }

  /** How many lines are set. */
  get count(): number {
    return this.total;
  }

  /** Whether line `line` is set. */
  has(line: number): boolean {
    return this.flags[line] === 1;
  }

  /** Sets (true) or clears line `line`; a no-op when it already is so. */
  set(line: number, on: boolean): void {
    const want = on ? 1 : 0;
    if (line < 0 || line >= this.flags.length || this.flags[line] === want) return;
    this.flags[line] = want;
    const delta = on ? 1 : -1;
    this.total += delta;
    for (let i = line + 1; i < this.tree.length; i += i & -i)
      this.tree[i] = (this.tree[i] ?? 0) + delta;
  }

  /** How many lines before `line` (exclusive) are set. */
  rank(line: number): number {
    let sum = 0;
    for (let i = Math.min(line, this.flags.length); i > 0; i -= i & -i) sum += this.tree[i] ?? 0;
    return sum;
  }

  /** The line of the k-th set flag (k from 1), or -1 when fewer are set. */
  select(k: number): number {
    if (k < 1 || k > this.total) return -1;
    let pos = 0;
    let left = k;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && (this.tree[next] ?? 0) < left) {
        pos = next;
        left -= this.tree[next] ?? 0;
      }
    }
    return pos;
  }

  /** The first set line after `after`, wrapping around to the start; -1 when none is set. */
  nextAfter(after: number): number {
    if (this.total === 0) return -1;
    const before = after < 0 ? 0 : this.rank(after + 1);
    return this.select(before < this.total ? before + 1 : 1);
  }
}
