/** A small least-recently-used map, for per-frame image embeddings in the worker. */

/** An optional byte bound: `sizeOf` says what an entry costs, `maxBytes` what all may hold. */
export interface LruBytes<V> {
  readonly maxBytes: number;
  readonly sizeOf: (value: V) => number;
}

/**
 * Keeps at most `capacity` entries and, with a byte bound, at most `maxBytes` of them,
 * dropping the least recently read or written first. The newest entry always stays, even
 * when it alone is over the bound: a frame being clicked must keep its embedding.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  private readonly sizes = new Map<K, number>();
  private totalBytes = 0;

  constructor(
    readonly capacity: number,
    private readonly bytes?: LruBytes<V>,
  ) {
    if (capacity < 1) throw new Error(`LRU capacity must be at least 1, got ${capacity}`);
    if (bytes && !(bytes.maxBytes > 0))
      throw new Error(`LRU byte bound must be positive, got ${bytes.maxBytes}`);
  }

  /** The value, marked as most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    // Map keeps insertion order: re-inserting moves the key to the young end.
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** Whether the key is cached, without touching its age. */
  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Stores a value as most recently used, evicting the oldest beyond the bounds. */
  set(key: K, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    const size = this.bytes ? this.bytes.sizeOf(value) : 0;
    this.sizes.set(key, size);
    this.totalBytes += size;
    while (
      this.map.size > 1 &&
      (this.map.size > this.capacity || (this.bytes && this.totalBytes > this.bytes.maxBytes))
    ) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.map.clear();
    this.sizes.clear();
    this.totalBytes = 0;
  }

  /** Number of entries. */
  get size(): number {
    return this.map.size;
  }

  /** Bytes the entries hold (0 without a byte bound). */
  get byteSize(): number {
    return this.totalBytes;
  }

  /** Keys from oldest to newest (for tests and diagnostics). */
  keys(): K[] {
    return [...this.map.keys()];
  }

  private delete(key: K): void {
    if (!this.map.has(key)) return;
    this.map.delete(key);
    this.totalBytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }
}
