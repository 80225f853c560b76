/**
 * Keeps a session's recovery file current: after each change (debounced, so a burst of edits
 * is one write) the unsaved lines are written, and once nothing is unsaved the file goes.
 * The base's hash is taken once per base (an open, a save, a reload), in turns that leave
 * the event loop free, and never per write.
 */
import type { DatasetDoc } from '../core/dataset';
import type { EditorSession } from '../session/editorSession';
import type { RecoveryFile } from './recoveryFile';
import { digestInTurns } from './recoveryJournal';
import type { BaseDigest } from './recoveryJournal';

/** Quiet time before a write; a crash loses at most this much work (VS Code: 1 s too). */
const DEBOUNCE_MS = 1000;
/** A steady stream of edits still gets written this often. */
const MAX_WAIT_MS = 5000;

/** Writes `file` from `session` while it is dirty. */
export class RecoveryKeeper {
  private timer: NodeJS.Timeout | undefined;
  private pendingSince = 0;
  private writes: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };
  /** Whether the recovery on disk holds unsaved work (so a clean state must remove it). */
  private kept = false;
  /** The digest of the last base seen (documents are immutable: identity is enough). */
  private digest: { base: DatasetDoc; value: Promise<BaseDigest> } | undefined;

  /** `base` gives the file as the session last read it (the watch's view of the disk). */
  constructor(
    private readonly file: RecoveryFile,
    private readonly session: EditorSession,
    private readonly base: () => DatasetDoc,
  ) {
    this.subscription = session.onDidChange((c) => {
      if (c.kind !== 'document') return;
      // Saved: the recovery goes at once, so a crash right after a save offers nothing stale.
      if (!session.state.dirty) void this.flush();
      else this.schedule();
    });
  }

  /** Writes (or removes) the recovery now; resolves once it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.writes.then(async () => {
      if (this.session.state.dirty) {
        let base = this.base();
        let digest = await this.digestOf(base);
        // A save or reload while the hash ran: hash the base of now (it is the one on disk).
        while (this.base() !== base) {
          base = this.base();
          digest = await this.digestOf(base);
        }
        await this.file.write(this.session.doc, base, digest);
        this.kept = true;
      } else if (this.kept) {
        await this.file.remove();
        this.kept = false;
      }
    });
    this.writes = run.catch((e: unknown) => {
      this.session.log('warn', `could not write the recovery ${this.file.textPath}: ${String(e)}`);
    });
    return this.writes;
  }

  /** Stops listening after a last flush; true when unsaved work stays in the recovery. */
  async close(): Promise<boolean> {
    this.subscription.dispose();
    await this.flush();
    return this.kept;
  }

  /** Marks a recovery that was restored as ours, so the first clean state removes it. */
  adopt(): void {
    this.kept = true;
  }

  private digestOf(base: DatasetDoc): Promise<BaseDigest> {
    if (this.digest?.base !== base) this.digest = { base, value: digestInTurns(base) };
    return this.digest.value;
  }

  private schedule(): void {
    // Hash a new base while the debounce runs, so the write itself has only lines to write.
    void this.digestOf(this.base());
    if (this.timer === undefined) this.pendingSince = Date.now();
    else if (Date.now() - this.pendingSince > MAX_WAIT_MS) {
      void this.flush();
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }
}
