/**
 * Saves of one document run one at a time (issue 10 item 2: concurrent saves shared a temp
 * name and left the older version on disk while every reply said ok). Requests made while a
 * save runs share the next one, which writes the newest document: the last one wins.
 */

/** A per-document queue of writes; `T` is what a save of the document resolves with. */
export class SaveQueue<T> {
  private tail: Promise<unknown> = Promise.resolve();
  private next: Promise<T> | undefined;

  /**
   * Runs `write` after the running writes; while it waits, later calls get the same promise
   * (one write of the newest document serves them all, since `write` reads it when it starts).
   */
  coalesced(write: () => Promise<T>): Promise<T> {
    if (this.next) return this.next;
    const run = this.tail.then(() => {
      // From here on a new request needs a write of its own: this one may miss its edits.
      this.next = undefined;
      return write();
    });
    this.next = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Runs `write` after the running writes, never merged with another. */
  queued<U>(write: () => Promise<U>): Promise<U> {
    const run = this.tail.then(write);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
