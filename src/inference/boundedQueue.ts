/** A bounded async queue: the producer waits when it is full, which is how decode stays one step ahead. */

/** FIFO with a capacity; `push` resolves when there is room, iteration ends after `close`. */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((r: IteratorResult<T>) => void)[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private closed = false;
  private failure?: unknown;

  constructor(readonly capacity: number) {}

  /** Adds an item, waiting while the queue is full. */
  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed)
      await new Promise<void>((r) => this.spaceWaiters.push(r));
    if (this.closed) throw new Error('queue closed');
    const taker = this.takers.shift();
    if (taker) taker({ value: item, done: false });
    else this.items.push(item);
  }

  /** No more items; consumers finish after draining. With `error`, consumers throw it instead. */
  close(error?: unknown): void {
    this.closed = true;
    if (error !== undefined) this.failure = error;
    for (const t of this.takers.splice(0)) t({ value: undefined, done: true });
    for (const w of this.spaceWaiters.splice(0)) w();
  }

  /** Takes the next item, or done once closed and empty. */
  async next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.spaceWaiters.shift()?.();
      return { value: item, done: false };
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) return { value: undefined, done: true };
    return new Promise((r) => this.takers.push(r));
  }

  /** Lets `for await` drain the queue. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}
