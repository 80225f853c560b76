/**
 * The one factory of an editing session, for both fronts (the VS Code provider and serve
 * mode): media checked against the roots, video through the video layer, the exporter, the
 * models' suggestion service, and the session that ties them, with no late binding.
 */
import { joinLines } from '../core/dataset';
import type { DatasetDoc } from '../core/dataset';
import type { ExportFormat } from '../core/export/formats';
import type { CancelSignal, TaskType } from '../core/model';
import { decodeDataset } from '../io/datasetFile';
import type { HostMode } from '../protocol/snapshot';
import type { VideoSettings } from '../video/videoSettings';
import { EditorSession } from './editorSession';
import type { HostCommands, LogLevel } from './editorSession';
import { makeEditorExporter } from './editorExport';
import { LocalMedia } from './sampleMedia';
import { SuggestionService } from './suggestionService';
import { createVideoFrames } from './videoFramesAdapter';

/** An export run: resolves with a one-line summary. */
export type ExportRun = (signal: CancelSignal, format?: ExportFormat) => Promise<string>;

/** Inference settings of a session (VS Code's settings, or serve's flags). */
export interface ModelOptions {
  /** False in an untrusted workspace or with `--no-models`: no worker is ever started. */
  readonly enabled: boolean;
  readonly offReason?: string;
  readonly device?: 'auto' | 'cuda' | 'cpu';
  readonly modelsDir?: string;
}

/** What either front knows when it opens a dataset. */
export interface CreateSessionOptions {
  readonly path: string;
  /** The document to edit and, when it came from a hot-exit backup, the file it differs from. */
  readonly opened: OpenedDocument;
  readonly mode: HostMode;
  /** Folders media paths must resolve inside. */
  readonly roots: readonly string[];
  /** Video settings beyond the roots (ffmpeg paths, cache, quality). */
  readonly video?: Omit<VideoSettings, 'mediaRoots'>;
  /** Turns an absolute file path into a URI the views can load. */
  readonly toUri: (absPath: string) => string;
  readonly log: (level: LogLevel, message: string) => void;
  readonly models: ModelOptions;
  /** Export annotated-but-unapproved samples too. */
  readonly exportDrafts?: boolean;
  /** Wraps each export run (VS Code shows a cancellable progress notification). */
  readonly wrapExport?: (run: ExportRun) => ExportRun;
  /** VS Code's Undo, Redo and Save; absent in serve mode, which keeps its own stack. */
  readonly commands?: HostCommands;
  /** Who edits (read at each edit); see src/session/identity.ts. */
  readonly user?: () => string | undefined;
  /** The dataset's default task (read at each use: a setting may change); see src/core/task.ts. */
  readonly defaultTask?: () => TaskType | undefined;
}

/** The document a session starts from. */
export interface OpenedDocument {
  readonly doc: DatasetDoc;
  /** The file on disk, present only when `doc` (a restored backup) differs from it. */
  readonly base?: DatasetDoc;
}

/**
 * Which document to open (issue 10 item 13): the backup when one was read and differs from
 * the file, else the file. A backup that no longer exists (VS Code deletes it after a save)
 * is `undefined` here, so a reload after a save opens the file, clean.
 */
export function chooseOpenedDocument(file: DatasetDoc, backup?: DatasetDoc): OpenedDocument {
  if (!backup || joinLines(backup) === joinLines(file)) return { doc: file };
  return { doc: backup, base: file };
}

/** How a front reads the dataset and, when VS Code names one, its hot-exit backup. */
export interface OpenSources {
  /** The dataset's path, for messages. */
  readonly path: string;
  /** `PromiseLike`: VS Code's file system answers with a Thenable. */
  readonly readFile: () => PromiseLike<Uint8Array>;
  readonly readBackup?: () => PromiseLike<Uint8Array>;
  readonly log: (level: LogLevel, message: string) => void;
}

/**
 * Reads what to open: the file, and the backup when there is one that still exists. VS Code
 * deletes the backup after a save, yet a reload a second later still names it: then the
 * file opens, clean, instead of "The editor could not be opened".
 */
export async function readOpenedDocument(o: OpenSources): Promise<OpenedDocument> {
  const file = decodeDataset(await o.readFile(), o.path);
  if (!o.readBackup) return { doc: file };
  let backup: DatasetDoc | undefined;
  try {
    backup = decodeDataset(await o.readBackup(), o.path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    o.log('info', `the hot-exit backup is gone or unreadable, opening the file (${why})`);
  }
  return chooseOpenedDocument(file, backup);
}

/** Builds the session of one dataset file and everything it needs. */
export function createSession(o: CreateSessionOptions): EditorSession {
  const datasetPath = (): string => o.path;
  const { video, provider, problem } = createVideoFrames({ ...o.video, mediaRoots: o.roots });
  if (problem) o.log('warn', `video samples will show no frames: ${problem}`);
  const media = new LocalMedia({
    datasetPath: o.path,
    roots: o.roots,
    toUri: o.toUri,
    ...(video ? { video } : {}),
  });
  const run = provider
    ? makeEditorExporter({
        datasetPath,
        frames: provider,
        includeUnapproved: o.exportDrafts === true,
        ...(o.defaultTask ? { defaultTask: o.defaultTask } : {}),
      })
    : undefined;
  const exporter = run && o.wrapExport ? o.wrapExport(run) : run;
  const suggestions = new SuggestionService({
    enabled: o.models.enabled,
    ...(o.models.offReason ? { offReason: o.models.offReason } : {}),
    datasetPath,
    ...(provider ? { frames: provider } : {}),
    log: o.log,
    client: {
      ...(o.models.device ? { device: o.models.device } : {}),
      ...(o.models.modelsDir ? { modelsDir: o.models.modelsDir } : {}),
    },
  });
  return new EditorSession({
    path: o.path,
    doc: o.opened.doc,
    ...(o.opened.base ? { base: o.opened.base } : {}),
    mode: o.mode,
    media,
    log: o.log,
    suggestions,
    ...(exporter ? { exporter } : {}),
    ...(o.commands ? { commands: o.commands } : {}),
    ...(o.user ? { user: o.user } : {}),
    ...(o.defaultTask ? { defaultTask: o.defaultTask } : {}),
  });
}
