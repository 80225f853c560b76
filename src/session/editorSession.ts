/**
 * The editing session of one dataset file, independent of VS Code: the document, its edit
 * history, saving, backups, changes on disk, and the views attached to it. The VS Code
 * provider and the serve mode both drive this class; only thin adapters differ.
 */
import type { DatasetDoc } from '../core/dataset';
import type { CancelSignal } from '../core/model';
import { apply, touchedLines } from '../core/ops';
import type { Op } from '../core/ops';
import { saveDataset } from '../io/datasetFile';
import type { HostMessage } from '../protocol/messages';
import type { DocumentState, HostMode, SampleSummary } from '../protocol/snapshot';
import { mergeDiskChange } from './diskMerge';
import type { DiskChange } from './diskMerge';
import { EditHistory } from './editHistory';
import type { HistoryEntry } from './editHistory';
import { changedLines, summaryAt } from './sampleIndex';
import type { MediaSource } from './sampleMedia';
import type { SuggestionService } from './suggestionService';
import { ViewConnection } from './viewConnection';
import type { ViewPort } from './viewConnection';

/** Log levels of the session's log sink. */
export type LogLevel = 'info' | 'warn' | 'error';

/** What a session is built from; VS Code and serve mode fill it differently. */
export interface SessionOptions {
  readonly path: string;
  readonly doc: DatasetDoc;
  readonly mode: HostMode;
  readonly media: MediaSource;
  readonly log: (level: LogLevel, message: string) => void;
  /** VS Code: each edit goes on VS Code's stack; its undo/redo call `undo()`/`redo()` here. */
  readonly onEdit?: (entry: HistoryEntry) => void;
  /** VS Code: the view's Undo/Redo/Save buttons run VS Code's own commands. */
  readonly delegate?: { undo(): Promise<void>; redo(): Promise<void>; save(): Promise<void> };
  /** Runs an export of the saved dataset; resolves with a one-line summary. */
  readonly exporter?: (signal: CancelSignal) => Promise<string>;
  /** The document was restored from a backup, so it differs from the file. */
  readonly restoredDirty?: boolean;
  /** The file as last read or saved, when `doc` came from a backup. */
  readonly base?: DatasetDoc;
  /** Model suggestions (kind, frame, box, SAM clicks); absent: the views show models off. */
  readonly suggestions?: SuggestionService;
}

/** One open dataset and everything attached to it. */
export class EditorSession {
  private docValue: DatasetDoc;
  private base: DatasetDoc;
  private pathValue: string;
  private version = 0;
  readonly history = new EditHistory();
  /** The sample line a view showed last (the navigator's "next todo" starts after it). */
  focusLine: number | undefined;
  private readonly views = new Set<ViewConnection>();
  private readonly listeners = new Set<(lines: readonly number[] | 'all') => void>();

  constructor(readonly options: SessionOptions) {
    this.docValue = options.doc;
    this.base = options.base ?? options.doc;
    this.pathValue = options.path;
    if (options.restoredDirty) this.history.markDirty();
    options.suggestions?.onStatus((status) =>
      this.broadcast({ type: 'model/status/didChange', status }),
    );
  }

  /** The current document. */
  get doc(): DatasetDoc {
    return this.docValue;
  }
  /** The file this session saves to. */
  get path(): string {
    return this.pathValue;
  }
  /** The media source of this session. */
  get media(): MediaSource {
    return this.options.media;
  }
  /** The document state views show (dirty, undo/redo availability). */
  get state(): DocumentState {
    return {
      version: this.version,
      dirty: this.history.dirty,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
    };
  }

  /** Applies one edit as one undo step; throws OpError (document unchanged) when it does not fit. */
  edit(op: Op, label: string): DocumentState {
    const r = apply(this.docValue, op);
    this.docValue = r.doc;
    const entry = this.history.push(label, op, r.inverse);
    this.options.onEdit?.(entry);
    this.changed(touchedLines(op));
    return this.state;
  }

  /** Undoes the last step of the session's own history; false when there was none. */
  undo(): boolean {
    const e = this.history.popUndo();
    if (!e) return false;
    try {
      this.docValue = apply(this.docValue, e.inverse).doc;
    } catch (err) {
      this.history.restoreUndo(e);
      this.options.log('error', `undo "${e.label}" failed: ${String(err)}`);
      return false;
    }
    this.changed(touchedLines(e.op));
    return true;
  }

  /** Redoes the last undone step; false when there was none. */
  redo(): boolean {
    const e = this.history.popRedo();
    if (!e) return false;
    try {
      this.docValue = apply(this.docValue, e.op).doc;
    } catch (err) {
      this.history.restoreRedo(e);
      this.options.log('error', `redo "${e.label}" failed: ${String(err)}`);
      return false;
    }
    this.changed(touchedLines(e.op));
    return true;
  }

  /** Saves atomically to the session's file (or `target`, for Save As); returns bytes written. */
  async save(target?: string): Promise<number> {
    const doc = this.docValue;
    const bytes = await saveDataset(target ?? this.pathValue, doc);
    if (target === undefined || target === this.pathValue) {
      this.base = doc;
      if (doc === this.docValue) this.history.markSaved();
    }
    this.changed([]);
    return bytes;
  }

  /** Continues under a new path after Save As. */
  rename(path: string): void {
    this.pathValue = path;
  }

  /** Writes the current document to `dest` (a hot-exit backup). */
  async backup(dest: string): Promise<void> {
    await saveDataset(dest, this.docValue);
  }

  /** Replaces the document with `doc` read from disk (revert, reload); history is cleared. */
  replace(doc: DatasetDoc): void {
    this.docValue = doc;
    this.base = doc;
    this.history.clear();
    this.changed('all');
  }

  /** Takes a new version of the file from disk; applies reloads and merges, returns conflicts. */
  diskChanged(disk: DatasetDoc): DiskChange {
    const r = mergeDiskChange(this.base, this.docValue, disk);
    if (r.kind === 'reload') this.replace(r.doc);
    else if (r.kind === 'merged') {
      const before = this.docValue;
      this.docValue = r.doc;
      this.base = disk;
      this.history.markDirty();
      this.changed(changedLines(before, r.doc).length > 0 ? 'all' : []);
    }
    return r;
  }

  /** Attaches a view; the returned connection takes the view's raw messages. */
  connect(port: ViewPort): ViewConnection {
    const v = new ViewConnection(this, port, this.options.log);
    this.views.add(v);
    return v;
  }

  /** Stops what the session started (the inference worker). */
  async dispose(): Promise<void> {
    for (const v of this.views) this.disconnect(v);
    await this.options.suggestions?.dispose();
  }

  /** Detaches a view (its pending requests are cancelled). */
  disconnect(v: ViewConnection): void {
    this.views.delete(v);
    v.dispose();
  }

  /** Asks every view to show sample `line` (the navigator, "next todo"). */
  showSample(line: number): void {
    for (const v of this.views) v.post({ type: 'sample/show', line });
  }

  /** Posts one host message to every attached view. */
  broadcast(m: HostMessage): void {
    for (const v of this.views) v.post(m);
  }

  /** Tells every view something (a failed save, a merge). */
  notice(level: LogLevel, message: string): void {
    this.options.log(level, message);
    for (const v of this.views) v.post({ type: 'notice/didPost', level, message });
  }

  /** Sends every view a full snapshot (after a reload, or a view shown again). */
  resync(): void {
    for (const v of this.views) void v.sendInit(v.line);
  }

  /** Listens to document changes (changed line indices, or 'all'); returns an unsubscribe. */
  onDidChange(listener: (lines: readonly number[] | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of attached views. */
  get viewCount(): number {
    return this.views.size;
  }

  private changed(lines: readonly number[] | 'all'): void {
    this.version++;
    for (const l of this.listeners) l(lines);
    if (lines === 'all') {
      this.resync();
      return;
    }
    const changed: SampleSummary[] = lines.map((l) => summaryAt(this.docValue, l));
    for (const v of this.views) {
      v.post({
        type: 'dataset/didChange',
        changed,
        document: this.state,
        lineCount: this.docValue.lines.length,
      });
      if (v.line !== undefined && lines.includes(v.line)) void v.pushSample();
    }
  }
}
