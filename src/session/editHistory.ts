/**
 * The session's undo and redo stacks. In VS Code they mirror VS Code's own stack (its
 * undo/redo callbacks call into them); in serve mode they are the only stack. Each state
 * has an id so "dirty" is a comparison with the id that was last saved.
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

/** Undo/redo stacks with a saved-state marker. */
export class EditHistory {
  private readonly done: HistoryEntry[] = [];
  private readonly undone: HistoryEntry[] = [];
  private nextId = 1;
  private current = 0;
  private saved = 0;

  /** Records a new step; clears the redo stack. Returns the entry. */
  push(label: string, op: Op, inverse: Op): HistoryEntry {
    const e: HistoryEntry = { label, op, inverse, stateId: this.nextId++ };
    this.done.push(e);
    this.undone.length = 0;
    this.current = e.stateId;
    return e;
  }

  /** The step to undo, moved to the redo stack; undefined when there is none. */
  popUndo(): HistoryEntry | undefined {
    const e = this.done.pop();
    if (!e) return undefined;
    this.undone.push(e);
    this.current = this.done[this.done.length - 1]?.stateId ?? 0;
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
    this.current = this.done[this.done.length - 1]?.stateId ?? 0;
  }

  /** Marks the current state as the one on disk. */
  markSaved(): void {
    this.saved = this.current;
  }

  /** Forgets everything (revert, reload); the current state becomes the saved one. */
  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
    this.current = this.saved = this.nextId++;
  }

  /** Marks the current state dirty without an undo step (a merge, a restored backup). */
  markDirty(): void {
    this.saved = -1;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  get dirty(): boolean {
    return this.current !== this.saved;
  }
  /** Id of the current state (changes with every edit, undo and redo). */
  get stateId(): number {
    return this.current;
  }
}
