/**
 * The session's undo and redo stacks. In VS Code they mirror VS Code's own stack (its
 * undo/redo callbacks call into them); in serve mode they are the only stack. Each state
 * has an id so "dirty" is a comparison with the id that was last saved.
 *
 * The stacks are bounded: past `maxEntries` steps or `maxBytes` of ops (estimated from their
 * JSON size) the oldest steps are dropped, so a long session cannot grow without end (issue
 * 10: 60,000 edits took serve to 853 MB). A dropped step can no longer be undone; the
 * document and its dirty state are unaffected.
 */
import type { Op } from '../core/ops';

/** One undoable step: the op as applied and its inverse. */
export interface HistoryEntry {
  readonly label: string;
  readonly op: Op;
  readonly inverse: Op;
  /** Id of the state this step produced. */
  readonly stateId: number;
}

/** Limits of the history; the defaults keep well under 100 MB whatever the line sizes. */
export interface HistoryLimits {
  /** Most undo steps kept (VS Code keeps a similar order of magnitude per editor). */
  readonly maxEntries: number;
  /** Most estimated bytes of ops and inverses kept, undo and redo stacks together. */
  readonly maxBytes: number;
}

/** The limits used when none are given: 5,000 steps or 16 MiB of ops. */
export const DEFAULT_HISTORY_LIMITS: HistoryLimits = {
  maxEntries: 5000,
  maxBytes: 16 * 1024 * 1024,
};

/** Estimated memory of a step: its strings dominate, and JSON length counts them once. */
function entryBytes(label: string, op: Op, inverse: Op): number {
  return label.length + JSON.stringify(op).length + JSON.stringify(inverse).length + 64;
}

/** Undo/redo stacks with a saved-state marker. */
export class EditHistory {
  private readonly done: HistoryEntry[] = [];
  private readonly undone: HistoryEntry[] = [];
  private readonly sizes = new WeakMap<HistoryEntry, number>();
  private bytes = 0;
  private nextId = 1;
  private current = 0;
  private saved = 0;
  /** Id of the state below the oldest kept step (0, or the state after the last dropped one). */
  private floor = 0;

  constructor(readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  /** Records a new step; clears the redo stack and drops the oldest steps past the limits. */
  push(label: string, op: Op, inverse: Op): HistoryEntry {
    const e: HistoryEntry = { label, op, inverse, stateId: this.nextId++ };
    const size = entryBytes(label, op, inverse);
    this.sizes.set(e, size);
    for (const u of this.undone) this.bytes -= this.sizes.get(u) ?? 0;
    this.undone.length = 0;
    this.done.push(e);
    this.bytes += size;
    this.current = e.stateId;
    this.trim();
    return e;
  }

  /** The step to undo, moved to the redo stack; undefined when there is none. */
  popUndo(): HistoryEntry | undefined {
    const e = this.done.pop();
    if (!e) return undefined;
    this.undone.push(e);
    this.current = this.top();
    return e;
  }

  /** Puts back a step whose undo failed to apply. */
  restoreUndo(e: HistoryEntry): void {
    this.undone.pop();
    this.done.push(e);
    this.current = e.stateId;
  }

  /** The step to redo, moved back to the undo stack. */
  popRedo(): HistoryEntry | undefined {
    const e = this.undone.pop();
    if (!e) return undefined;
    this.done.push(e);
    this.current = e.stateId;
    return e;
  }

  /** Puts back a step whose redo failed to apply. */
  restoreRedo(e: HistoryEntry): void {
    this.done.pop();
    this.undone.push(e);
    this.current = this.top();
  }

  /** Marks the current state as the one on disk. */
  markSaved(): void {
    this.saved = this.current;
  }

  /** Forgets everything (revert, reload); the current state becomes the saved one. */
  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
    this.bytes = 0;
    this.current = this.saved = this.floor = this.nextId++;
  }

  /** Marks the current state dirty without an undo step (a merge, a restored backup). */
  markDirty(): void {
    this.saved = -1;
  }

  /** True when there is a step to undo. */
  get canUndo(): boolean {
    return this.done.length > 0;
  }
  /** True when there is a step to redo. */
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  /** True when the current state is not the one last saved. */
  get dirty(): boolean {
    return this.current !== this.saved;
  }
  /** Id of the current state (changes with every edit, undo and redo). */
  get stateId(): number {
    return this.current;
  }
  /** Steps kept (undo and redo stacks) and their estimated bytes. */
  get size(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.done.length + this.undone.length, bytes: this.bytes };
  }

  private top(): number {
    return this.done[this.done.length - 1]?.stateId ?? this.floor;
  }

  private trim(): void {
    const { maxEntries, maxBytes } = this.limits;
    let drop = 0;
    // Keep the newest step even when it alone is over the byte limit: it is the one in hand.
    while (
      this.done.length - drop > 1 &&
      (this.done.length - drop > maxEntries || this.bytes > maxBytes)
    ) {
      const old = this.done[drop] as HistoryEntry;
      this.bytes -= this.sizes.get(old) ?? 0;
      this.floor = old.stateId;
      drop++;
    }
    // One splice per push, not one shift per dropped step.
    if (drop > 0) this.done.splice(0, drop);
  }
}
