/**
 * A small typed event emitter, VS Code-free (the shape of `vscode.EventEmitter`): the session
 * fires, view connections and the fronts subscribe, and each subscription disposes itself.
 */

/** Ends one subscription. */
export interface Subscription {
  dispose(): void;
}

/** Subscribes a listener; the returned subscription removes it again. */
export type Event<T> = (listener: (value: T) => void) => Subscription;

/** Fires values to its current listeners, in the order they subscribed. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** `onError` hears a listener's throw: one broken view must not crash serve or the others. */
  constructor(private readonly onError: (error: unknown) => void) {}

  /** The subscribe function handed out to listeners (the emitter's `fire` stays private). */
  readonly event: Event<T> = (listener) => {
    // A wrapper per subscription, so the same function subscribed twice is two listeners.
    const once = (value: T): void => listener(value);
    this.listeners.add(once);
    return { dispose: () => this.listeners.delete(once) };
  };

  /** Calls every listener; a listener that throws does not stop the others. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  /** Drops every listener. */
  dispose(): void {
    this.listeners.clear();
  }
}
