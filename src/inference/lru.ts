/** A small least-recently-used map, for per-frame image embeddings in the worker. */

/** Keeps at most `capacity` entries, dropping the least recently read or written. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error(`LRU capacity must be at least 1, got ${capacity}`);
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

  /** Stores a value as most recently used, evicting the oldest beyond capacity. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.map.clear();
  }

  /** Number of entries. */
  get size(): number {
    return this.map.size;
  }

  /** Keys from oldest to newest (for tests and diagnostics). */
  keys(): K[] {
    return [...this.map.keys()];
  }
}
