/**
 * Serve mode watches its dataset as the VS Code front does (issue 10 item 9): a change by
 * another program is merged when it touches other lines than the unsaved edits, a clean
 * document reloads, and a clash is offered to the page with two choices: Reload from disk
 * (our unsaved edits go) or Keep mine (the next save writes ours over that change). Before
 * every save the file is read again, so a change the session has not seen is never
 * overwritten: it is merged, or, while a clash is open, the save is refused and says why.
 * A dataset opened through a symlink is watched in the link's folder and the target's.
 */
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import type { DatasetDoc } from '../core/dataset';
import { decodeDataset } from '../io/datasetFile';
import type { Op } from '../core/ops';
import type { ConflictDidChange } from '../protocol/messages';
import type { DocumentState } from '../protocol/snapshot';
import { mergeDiskChange } from '../session/diskMerge';
import type { DiskChange } from '../session/diskMerge';
import type { EditorSession } from '../session/editorSession';
import { changedLines } from '../session/sampleIndex';
import { clashNotice, clashRefusal, findClash, keptNotice, sha256 } from './diskClash';
import type { DiskClash } from './diskClash';
import { FileWatch } from './fileWatch';

/** Waits this long after the last event: an atomic save is several events in a row. */
const SETTLE_MS = 150;

/** Watches one session's file; `beforeSave` guards every save, `resolve` takes the page's choice. */
export class DiskWatch {
  private files: FileWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The clash offered to the page and not resolved yet. */
  private open: DiskClash | undefined;
  /** The key of the clash the person chose Keep mine for: the next save writes ours there. */
  private kept: string | undefined;
  /** Saves forwarded to the session and not answered yet; checks wait for them. */
  private inFlight = 0;
  private idle: (() => void)[] = [];
  /** Documents by version while a save runs: its reply names the version now on disk. */
  private readonly versions = new Map<number, DatasetDoc>();
  private readonly name: string;
  private readonly unsubscribe: { dispose(): void };

  /** `known` is the file as the session read it (its base). */
  constructor(
    private readonly session: EditorSession,
    private known: DatasetDoc,
  ) {
    this.name = basename(session.path);
    // An open clash may resolve once the person undoes their edits: look again then.
    this.unsubscribe = session.onDidChange((c) => {
      if (c.kind !== 'document') return;
      if (this.inFlight > 0) this.remember();
      if (this.open !== undefined) this.schedule();
    });
  }

  /** A save request goes to the session now. */
  savingStarted(): void {
    this.inFlight++;
    this.remember();
  }

  /** A save was answered: `version` is what is on disk now (undefined: the save failed). */
  savingEnded(version: number | undefined): void {
    const saved = version === undefined ? undefined : this.versions.get(version);
    if (saved) this.known = saved;
    else if (version !== undefined)
      // Too many edits during the save to remember them all: the file now is what we wrote.
      void this.serial(async () => {
        const disk = await this.read();
        if (disk) this.known = disk.doc;
      });
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight > 0) return;
    this.versions.clear();
    for (const done of this.idle.splice(0)) done();
    // Another program may have written while we saved: look once things settle.
    this.schedule();
  }

  /** The file as last read from disk. */
  get base(): DatasetDoc {
    return this.known;
  }

  /** The open clash as the page shows it (sent to a page that connects or reconnects). */
  get conflict(): ConflictDidChange {
    const c = this.open;
    return c
      ? {
          type: 'document/conflict/didChange',
          conflict: { message: clashNotice(c), lines: c.lines },
        }
      : { type: 'document/conflict/didChange' };
  }

  /** Starts watching the file for other programs' changes (fileWatch.ts says how). */
  start(): void {
    this.files = new FileWatch(
      this.session.path,
      () => this.schedule(),
      (m) => this.session.log('warn', m),
    );
    this.files.start();
  }

  /** Reads the file now and takes its changes; resolves when done. */
  check(): Promise<void> {
    // Our own save landing is not an outside change; savingEnded looks again afterwards.
    if (this.inFlight > 0) return Promise.resolve();
    return this.serial(async () => {
      this.files?.follow();
      const disk = await this.read();
      if (disk) this.take(disk.doc, disk.hash, false);
    });
  }

  /** Runs before a save: undefined to go ahead, else why the save is refused. */
  async beforeSave(): Promise<string | undefined> {
    await this.settled();
    return this.serial(async () => {
      const disk = await this.read();
      return disk ? this.take(disk.doc, disk.hash, true) : undefined;
    });
  }

  /**
   * The page's choice on the open clash. `reload` replaces the document with the file (the
   * unsaved edits and the undo history go); `keep` makes the next save write ours over the
   * clash the person saw. Throws with the reason when no clash is open (nothing changed).
   */
  async resolve(choice: 'reload' | 'keep'): Promise<DocumentState> {
    await this.settled();
    return this.serial(async () => {
      const seen = this.open;
      const disk = await this.read();
      if (!disk) throw new Error(`${this.name} cannot be read from disk now; nothing was changed`);
      this.take(disk.doc, disk.hash, false);
      const now = this.open;
      // A stale button (another tab chose, the file went back, the edits were undone) must
      // not drop unsaved work or arm a save: there is nothing to choose on any more.
      if (!now)
        throw new Error(`no clash with ${this.name} on disk is open now; nothing was changed`);
      if (choice === 'reload') {
        this.session.replace(disk.doc);
        this.known = disk.doc;
        this.kept = undefined;
        this.setOpen(undefined);
        this.session.notice(
          'info',
          `${this.name} reloaded from disk: your unsaved edits were dropped (undo history cleared).`,
        );
        return this.session.state;
      }
      // The file changed again since the page showed the clash: that change is not seen yet.
      if (seen?.key !== now.key) throw new Error(`${now.what}; look at the notice again`);
      this.kept = now.key;
      this.setOpen(undefined);
      this.session.notice('warn', keptNotice(now));
      return this.session.state;
    });
  }

  /** Stops watching. */
  dispose(): void {
    clearTimeout(this.timer);
    this.files?.dispose();
    this.unsubscribe.dispose();
  }

  private settled(): Promise<void> {
    return this.inFlight > 0
      ? new Promise<void>((done) => this.idle.push(done))
      : Promise.resolve();
  }

  private remember(): void {
    this.versions.set(this.session.state.version, this.session.doc);
    // Only while a save runs, and at most 64: each version is an array of line references.
    for (const v of this.versions.keys()) {
      if (this.versions.size <= 64) break;
      this.versions.delete(v);
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), SETTLE_MS);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<{ doc: DatasetDoc; hash: string } | undefined> {
    let buf: Buffer;
    try {
      buf = await fs.readFile(this.session.path);
    } catch (e) {
      // Gone or moved: nothing to merge, and a save writes it again.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        this.session.log('warn', `cannot read ${this.session.path}: ${String(e)}`);
      return undefined;
    }
    try {
      return { doc: decodeDataset(buf, this.session.path), hash: sha256(buf) };
    } catch (e) {
      this.session.notice(
        'warn',
        `${this.name} on disk is not readable as a dataset now: ${String(e)}`,
      );
      return undefined;
    }
  }

  /** Takes the disk version; returns a refusal when it clashes with unsaved edits. */
  private take(disk: DatasetDoc, hash: string, saving: boolean): string | undefined {
    const mine = this.session.doc;
    const r = mergeDiskChange(this.known, mine, disk);
    if (r.kind === 'same') {
      // The other program put back what we knew: no clash left to offer.
      this.setOpen(undefined);
      return undefined;
    }
    if (r.kind !== 'conflict') {
      const taken = this.session.diskChanged(disk);
      this.known = disk;
      this.kept = undefined;
      this.setOpen(undefined);
      this.announce(taken);
      return undefined;
    }
    const clash = findClash(this.name, r.lines, mine, disk, hash);
    if (clash && clash.key !== this.kept) {
      this.setOpen(clash);
      return saving ? clashRefusal(clash) : undefined;
    }
    this.setOpen(undefined);
    return saving ? this.rebase(disk, clash) : undefined;
  }

  /**
   * Saving over a clash the person chose to keep (or none left): take the file's other lines
   * as edits, so the save writes their changes and ours, and the session's base stays right.
   */
  private rebase(disk: DatasetDoc, clash: DiskClash | undefined): string | undefined {
    const mine = this.session.doc;
    const ops: Op[] = [];
    if (clash?.sameLength !== false) {
      const mineSet = new Set(changedLines(this.known, mine));
      for (const l of changedLines(this.known, disk)) {
        const raw = disk.lines[l]?.raw;
        if (!mineSet.has(l) && raw !== undefined) ops.push({ type: 'line/restore', line: l, raw });
      }
    }
    try {
      if (ops.length > 0) this.session.edit({ type: 'batch', ops }, 'Take changes from disk');
    } catch (e) {
      return `not saved: the changes on disk cannot be merged (${String(e)}); nothing was written`;
    }
    this.known = disk;
    this.kept = undefined;
    return undefined;
  }

  /** Opens, changes or closes the clash the page offers; tells every page when it changes. */
  private setOpen(clash: DiskClash | undefined): void {
    if (this.open?.key === clash?.key) return;
    this.open = clash;
    if (clash) this.session.log('warn', clashNotice(clash));
    this.session.post(this.conflict);
  }

  private announce(taken: DiskChange): void {
    if (taken.kind === 'merged')
      this.session.notice(
        'info',
        `${this.name} changed on disk: ${taken.theirs.length} line(s) taken from disk, your ` +
          `unsaved edits on ${taken.mine.length} other line(s) kept.`,
      );
    if (taken.kind === 'reload')
      this.session.notice(
        'info',
        `${this.name} changed on disk and was reloaded (nothing unsaved).`,
      );
  }
}
