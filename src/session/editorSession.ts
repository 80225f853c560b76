/**
 * The editing session of one dataset file, independent of VS Code and of its views: the
 * document, its edit history, serialised saves, backups, changes on disk and the models'
 * suggestions as overlays. It publishes (`onDidChange`, `onDidPost`); view connections
 * subscribe. The VS Code provider and serve mode build it through `createSession`.
 */
import type { DatasetDoc } from '../core/dataset';
import type { ExportFormat } from '../core/export/formats';
import type { CancelSignal, Grounding, TaskType } from '../core/model';
import { apply, touchedLines } from '../core/ops';
import type { ApplyContext, Op } from '../core/ops';
import type { ReadOptions } from '../core/sample';
import { saveDataset } from '../io/datasetFile';
import type { NoticeDidPost, SaveResult, SessionPost } from '../protocol/messages';
import type { DocumentState, HostMode, SampleSnapshot } from '../protocol/snapshot';
import type { InferenceStatus } from '../protocol/suggestion';
import { mergeDiskChange } from './diskMerge';
import type { DiskChange } from './diskMerge';
import { EditHistory } from './editHistory';
import type { HistoryEntry } from './editHistory';
import { Emitter } from './emitter';
import type { Event } from './emitter';
import { changedLines } from './sampleIndex';
import type { MediaSource } from './sampleMedia';
import { MediaCache } from './mediaCache';
import { mediaKey, mediaOf, sampleViewAt, snapshotOf } from './sampleSnapshot';
import { SampleStatusIndex } from './sampleStatusIndex';
import { SaveQueue } from './saveQueue';
import { SuggestionOverlays } from './suggestionOverlays';
import type { SuggestionService } from './suggestionService';

/** Log levels of the session's log sink. */
export type LogLevel = 'info' | 'warn' | 'error';

/** VS Code's own Undo, Redo and Save commands, which the view's buttons run inside VS Code. */
export interface HostCommands {
  undo(): Promise<void>;
  redo(): Promise<void>;
  save(): Promise<void>;
}

/** What the session and its connections use of the suggestion service (tests pass a fake). */
export type Suggester = Pick<
  SuggestionService,
  'enabled' | 'status' | 'onStatus' | 'suggest' | 'remember' | 'cycle' | 'segment' | 'dispose'
> &
  // Issue 11's SAM extras (embedding on show, propagation); a fake suggester may leave them out.
  Partial<Pick<SuggestionService, 'embedFrame' | 'segmentPrompt' | 'frameCount'>>;

/** What a session is built from; `createSession` fills it for both fronts. */
export interface SessionParts {
  readonly path: string;
  readonly doc: DatasetDoc;
  readonly mode: HostMode;
  readonly media: MediaSource;
  readonly log: (level: LogLevel, message: string) => void;
  /** VS Code: undo, redo and save are VS Code's; absent, the session keeps its own stack. */
  readonly commands?: HostCommands;
  /** Runs an export of the saved dataset; resolves with a one-line summary. */
  readonly exporter?: (signal: CancelSignal, format?: ExportFormat) => Promise<string>;
  /** The file as last read or saved, when `doc` came from a backup that differs from it. */
  readonly base?: DatasetDoc;
  /** Model suggestions (kind, frame, box, SAM clicks); absent: the views show models off. */
  readonly suggestions?: Suggester;
  /** The person editing (read at each edit: a setting may change); absent, nothing is stamped. */
  readonly user?: () => string | undefined;
  /** The dataset's default task (`groundwork.defaultTask`, serve's `--task`), read at each use. */
  readonly defaultTask?: () => TaskType | undefined;
}

/** What changed: document lines (or all of them), or only the overlays of some lines. */
export interface SessionChange {
  readonly lines: readonly number[] | 'all';
  /** `overlay`: a model suggestion shown or retired; the document itself is unchanged. */
  readonly kind: 'document' | 'overlay';
}

/** One open dataset: it publishes changes and knows no views. */
export class EditorSession {
  private docValue: DatasetDoc;
  private base: DatasetDoc;
  private version = 0;
  private readonly history = new EditHistory();
  private readonly saves = new SaveQueue<SaveResult>();
  private lastSave: SaveResult | undefined;
  /** The models' suggestions shown while browsing (never in the file until accepted). */
  readonly overlays = new SuggestionOverlays();
  private readonly changeEmitter = new Emitter<SessionChange>((e) => this.listenerFailed(e));
  private readonly postEmitter = new Emitter<SessionPost>((e) => this.listenerFailed(e));
  private readonly editEmitter = new Emitter<HistoryEntry>((e) => this.listenerFailed(e));
  /** Fires after every change of the document or of its overlays. */
  readonly onDidChange: Event<SessionChange> = this.changeEmitter.event;
  /** Fires with a message for every view (notices, `sample/show`, model status). */
  readonly onDidPost: Event<SessionPost> = this.postEmitter.event;
  /** Fires with each new undo step (VS Code puts it on its own stack). */
  readonly onDidEdit: Event<HistoryEntry> = this.editEmitter.event;
  private readonly unsubscribeStatus: (() => void) | undefined;
  /** Media of the lines snapshotted last (an edit's snapshot needs no I/O) and frame counts. */
  private readonly mediaCache = new MediaCache();
  /** Counts and next-sample lookups, kept current by each change's lines (issue 14 item 5). */
  private readonly indexValue: SampleStatusIndex;

  constructor(private readonly parts: SessionParts) {
    this.docValue = parts.doc;
    this.base = parts.base ?? parts.doc;
    this.indexValue = new SampleStatusIndex(parts.doc);
    if (parts.base) this.history.markDirty();
    this.unsubscribeStatus = parts.suggestions?.onStatus((status) =>
      this.postEmitter.fire({ type: 'model/status/didChange', status }),
    );
  }

  /** The current document. */
  get doc(): DatasetDoc {
    return this.docValue;
  }
  /** The samples by status, as the document is now (updated before `onDidChange` fires). */
  get index(): SampleStatusIndex {
    return this.indexValue;
  }
  /** The file this session saves to. */
  get path(): string {
    return this.parts.path;
  }
  /** Where the session runs (VS Code or serve). */
  get mode(): HostMode {
    return this.parts.mode;
  }
  /** The media source of this session. */
  get media(): MediaSource {
    return this.parts.media;
  }
  /** The model suggestion service, when models are wired in this build. */
  get suggestions(): Suggester | undefined {
    return this.parts.suggestions;
  }
  /** Whether the Export command is available (it needs the video layer). */
  get canExport(): boolean {
    return this.parts.exporter !== undefined;
  }
  /** The models' status for the status field (`off` when they do not run here). */
  get inference(): InferenceStatus {
    return (
      this.parts.suggestions?.status ?? {
        state: 'off',
        message: 'models: not available in this build',
      }
    );
  }
  /** Who this session's edits are recorded as, when the front knows. */
  get user(): string | undefined {
    return this.parts.user?.();
  }
  /** How samples are read here: with the dataset's default task, as `export --task` reads them. */
  get readOptions(): ReadOptions {
    const task = this.parts.defaultTask?.();
    return task ? { defaultTask: task } : {};
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

  /** Writes a line to the session's log. */
  log(level: LogLevel, message: string): void {
    this.parts.log(level, message);
  }

  /** Applies one edit as one undo step; throws OpError (document unchanged) when it does not fit. */
  edit(op: Op, label: string): DocumentState {
    const ops = this.overlays.materialise(this.docValue, op, this.readOptions);
    const applied = ops.length === 1 && ops[0] === op ? op : { type: 'batch' as const, ops };
    const r = apply(this.docValue, applied, this.applyContext());
    this.docValue = r.doc;
    const entry = this.history.push(label, applied, r.inverse);
    this.editEmitter.fire(entry);
    this.changed(touchedLines(applied));
    for (const note of r.notes) this.notice('info', note);
    return this.state;
  }

  /** Undoes the last step of the session's own history; false when there was none. */
  undo(): boolean {
    return this.step(this.history.popUndo(), 'undo');
  }

  /** Redoes the last undone step; false when there was none. */
  redo(): boolean {
    return this.step(this.history.popRedo(), 'redo');
  }

  /** The view's Undo button: VS Code's Undo command inside VS Code, else the own stack. */
  async requestUndo(): Promise<DocumentState> {
    if (this.parts.commands) await this.parts.commands.undo();
    else this.undo();
    return this.state;
  }

  /** The view's Redo button. */
  async requestRedo(): Promise<DocumentState> {
    if (this.parts.commands) await this.parts.commands.redo();
    else this.redo();
    return this.state;
  }

  /** The view's Save button: VS Code's Save inside VS Code (its dirty marker follows), else ours. */
  async requestSave(): Promise<SaveResult> {
    if (!this.parts.commands) return this.save();
    const wanted = this.version;
    await this.parts.commands.save();
    // VS Code skips a save of a clean document: then say what our own save puts on disk.
    const last = this.lastSave;
    return last && last.version >= wanted ? last : this.save();
  }

  /**
   * Saves to the session's file. Saves run one at a time; requests made while one runs share
   * the next, which writes the newest document, so the last one wins and every reply is true.
   */
  save(): Promise<SaveResult> {
    return this.saves.coalesced(() => this.writeNow());
  }

  /** Save As: writes the current document to `target` (queued behind running saves). */
  async saveAs(target: string): Promise<SaveResult> {
    if (target === this.parts.path) return this.save();
    const doc = this.docValue;
    const version = this.version;
    const bytes = await this.saves.queued(() => saveDataset(target, doc));
    return { bytes, lines: doc.lines.length, version };
  }

  /** Writes the current document to `dest` (a hot-exit backup); the file is untouched. */
  async backup(dest: string): Promise<void> {
    const doc = this.docValue;
    await this.saves.queued(() => saveDataset(dest, doc));
  }

  /** Replaces the document with `doc` read from disk (revert, reload); history is cleared. */
  replace(doc: DatasetDoc): void {
    this.docValue = doc;
    this.base = doc;
    this.history.clear();
    this.overlays.clear();
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

  /** The snapshot of sample `line` as views show it: the document plus its overlays. */
  async snapshot(line: number, signal?: CancelSignal): Promise<SampleSnapshot> {
    const opts = this.readOptions;
    const view = sampleViewAt(this.docValue, line, opts);
    const media = await mediaOf(this.parts.media, view.fields, signal);
    this.mediaCache.set(line, view.fields.id, mediaKey(view.fields), media);
    // The document may have changed during the await: the state is read again, media kept.
    return this.snapshotNow(line) ?? this.finish(snapshotOf(view, line, media, opts));
  }

  /**
   * The snapshot of `line` at once, with the media resolved by the last `snapshot` of the same
   * sample (an edit's push: no I/O, no await); undefined when that media is not known.
   */
  snapshotNow(line: number): SampleSnapshot | undefined {
    const opts = this.readOptions;
    const view = sampleViewAt(this.docValue, line, opts);
    const media = this.mediaCache.get(line, mediaKey(view.fields));
    return media ? this.finish(snapshotOf(view, line, media, opts)) : undefined;
  }

  private finish(snap: SampleSnapshot): SampleSnapshot {
    const { state, suggested } = this.overlays.apply(snap.id, snap.state);
    return suggested.length ? { ...snap, state, suggested } : snap;
  }

  /** Shows `proposal` as the suggestion of an entity, without touching the document. */
  suggest(line: number, id: string, entity: number, text: string, proposal: Grounding): void {
    this.overlays.set(id, entity, text, proposal);
    this.changeEmitter.fire({ lines: [line], kind: 'overlay' });
  }

  /** Runs the export of the saved file (in `format`); throws when this build has no exporter. */
  async export(signal: CancelSignal, format?: ExportFormat): Promise<string> {
    if (!this.parts.exporter) throw new Error('export needs the video layer (ffmpeg)');
    return this.parts.exporter(signal, format);
  }

  /** Asks every view to show sample `line` (the navigator, "next todo"; `review`: the queue). */
  showSample(line: number, review = false): void {
    this.postEmitter.fire({ type: 'sample/show', line, ...(review ? { review } : {}) });
  }

  /** Posts one message to every view (a suggestion, a model status). */
  post(message: SessionPost): void {
    this.postEmitter.fire(message);
  }

  /** Logs and tells every view something (a failed save, a merge). */
  notice(level: NoticeDidPost['level'], message: string): void {
    this.parts.log(level, message);
    this.postEmitter.fire({ type: 'notice/didPost', level, message });
  }

  /** Stops what the session started (the inference worker) and drops every listener. */
  async dispose(): Promise<void> {
    this.unsubscribeStatus?.();
    this.changeEmitter.dispose();
    this.postEmitter.dispose();
    this.editEmitter.dispose();
    await this.parts.suggestions?.dispose();
  }

  private applyContext(): ApplyContext {
    const user = this.user;
    return {
      ...this.readOptions,
      frameCount: (fields, line) => this.mediaCache.frameCount(line, fields.id),
      ...(user ? { actor: { user, now: new Date().toISOString() } } : {}),
    };
  }

  private listenerFailed(e: unknown): void {
    this.parts.log(
      'error',
      `a listener of the session failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }

  private async writeNow(): Promise<SaveResult> {
    const doc = this.docValue;
    const version = this.version;
    const bytes = await saveDataset(this.parts.path, doc);
    this.base = doc;
    if (doc === this.docValue) this.history.markSaved();
    const result: SaveResult = { bytes, lines: doc.lines.length, version };
    this.lastSave = result;
    this.changed([]);
    return result;
  }

  private step(e: HistoryEntry | undefined, what: 'undo' | 'redo'): boolean {
    if (!e) return false;
    try {
      // Undo puts bytes back; a redo is the person's change made again, stamped as now.
      const op = what === 'undo' ? e.inverse : e.op;
      this.docValue = apply(this.docValue, op, what === 'redo' ? this.applyContext() : {}).doc;
    } catch (err) {
      if (what === 'undo') this.history.restoreUndo(e);
      else this.history.restoreRedo(e);
      this.parts.log('error', `${what} "${e.label}" failed: ${String(err)}`);
      return false;
    }
    this.changed(touchedLines(e.op));
    return true;
  }

  /**
   * How samples are read changed (the dataset's default task): the index is rebuilt and every
   * view gets a fresh snapshot. The document itself is unchanged, so nothing becomes dirty.
   */
  readOptionsChanged(): void {
    this.indexValue.update(this.docValue, 'all');
    this.changeEmitter.fire({ lines: 'all', kind: 'overlay' });
  }

  private changed(lines: readonly number[] | 'all'): void {
    this.version++;
    this.indexValue.update(this.docValue, lines);
    this.changeEmitter.fire({ lines, kind: 'document' });
  }
}
