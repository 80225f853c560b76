/**
 * Serve mode watches its dataset as the VS Code front does (issue 10 item 9): a change by
 * another program is merged when it touches other lines than the unsaved edits, a clean
 * document reloads, and a clash is announced. Before every save the file is read again, so
 * a change the session has not seen is never overwritten: it is merged, or the save is
 * refused with the lines named (a second Save, with the file unchanged, keeps ours there).
 */
import { createHash } from 'node:crypto';
import { promises as fs, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { DatasetDoc } from '../core/dataset';
import { decodeDataset } from '../io/datasetFile';
import type { Op } from '../core/ops';
import { mergeDiskChange } from '../session/diskMerge';
import type { DiskChange } from '../session/diskMerge';
import type { EditorSession } from '../session/editorSession';
import { changedLines } from '../session/sampleIndex';

/** Waits this long after the last event: an atomic save is several events in a row. */
const SETTLE_MS = 150;

const lineList = (lines: readonly number[]): string =>
  lines
    .slice(0, 8)
    .map((l) => l + 1)
    .join(', ') + (lines.length > 8 ? ', …' : '');

/** Watches one session's file; `beforeSave` guards every save. */
export class DiskWatch {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Hash of the file content a refused save was told about: the next Save overrides it. */
  private armed: string | undefined;
  private conflictShown: string | undefined;
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
    // A pending clash may resolve once the person undoes their edits: look again then.
    this.unsubscribe = session.onDidChange((c) => {
      if (c.kind !== 'document') return;
      if (this.inFlight > 0) this.remember();
      if (this.conflictShown !== undefined) this.schedule();
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

  /** Starts watching (the folder, since an atomic save by another program replaces the file). */
  start(): void {
    try {
      this.watcher = watch(dirname(this.session.path), (_event, file) => {
        if (file === null || file === this.name) this.schedule();
      });
      this.watcher.on('error', (e) => this.session.log('warn', `watching stopped: ${String(e)}`));
    } catch (e) {
      this.session.log(
        'warn',
        `cannot watch ${this.session.path} (${String(e)}); saves still check it`,
      );
    }
  }

  /** Reads the file now and takes its changes; resolves when done. */
  check(): Promise<void> {
    // Our own save landing is not an outside change; savingEnded looks again afterwards.
    if (this.inFlight > 0) return Promise.resolve();
    return this.serial(async () => {
      const disk = await this.read();
      if (disk) this.take(disk.doc, disk.hash, false);
    });
  }

  /** Runs before a save: undefined to go ahead, else why the save is refused. */
  async beforeSave(): Promise<string | undefined> {
    if (this.inFlight > 0) await new Promise<void>((done) => this.idle.push(done));
    return this.serial(async () => {
      const disk = await this.read();
      return disk ? this.take(disk.doc, disk.hash, true) : undefined;
    });
  }

  /** Stops watching. */
  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.unsubscribe.dispose();
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
      return { doc: decodeDataset(buf, this.session.path), hash: hashOf(buf) };
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
    if (r.kind === 'same') return undefined;
    if (r.kind !== 'conflict') {
      const taken = this.session.diskChanged(disk);
      this.known = disk;
      this.announce(taken);
      return undefined;
    }
    if (disk.lines.length !== mine.lines.length)
      return this.clash(
        saving,
        hash,
        `${this.name} on disk now has ${disk.lines.length} line(s), the editor ${mine.lines.length}`,
      );
    // The same text on both sides (our own save landing, or the same edit) is no clash.
    const clash = r.lines.filter((l) => disk.lines[l]?.raw !== mine.lines[l]?.raw);
    if (clash.length > 0 && !(saving && this.armed === hash))
      return this.clash(
        saving,
        hash,
        `${this.name} changed on disk on line(s) ${lineList(clash)} that you also edited`,
      );
    if (!saving) return undefined;
    // Saving over a clash the person confirmed: take the file's other lines as edits, so the
    // save writes their changes and ours, and the session's own base stays consistent.
    const mineSet = new Set(changedLines(this.known, mine));
    const ops: Op[] = [];
    for (const l of changedLines(this.known, disk)) {
      const raw = disk.lines[l]?.raw;
      if (!mineSet.has(l) && raw !== undefined) ops.push({ type: 'line/restore', line: l, raw });
    }
    try {
      if (ops.length > 0) this.session.edit({ type: 'batch', ops }, 'Take changes from disk');
    } catch (e) {
      return `not saved: the changes on disk cannot be merged (${String(e)}); nothing was written`;
    }
    this.known = disk;
    this.armed = undefined;
    this.conflictShown = undefined;
    return undefined;
  }

  private clash(saving: boolean, hash: string, what: string): string | undefined {
    if (saving) {
      this.armed = hash;
      return (
        `not saved: ${what}, and saving would overwrite that change. Undo your edits there to ` +
        "keep the file's version, or Save again to keep yours there (other lines are merged)."
      );
    }
    if (this.conflictShown !== hash) {
      this.conflictShown = hash;
      this.session.notice(
        'warn',
        `${what}. Undo your edits there to keep the file's version, or Save twice to keep ` +
          'yours (changes on other lines are merged either way).',
      );
    }
    return undefined;
  }

  private announce(taken: DiskChange): void {
    this.armed = undefined;
    this.conflictShown = undefined;
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

function hashOf(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
