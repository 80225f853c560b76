/**
 * Every message between a view (webview or serve page) and the host, named `scope/noun/verb`
 * after GitLens. Three kinds, kept apart: commands (fire and forget), requests (typed reply,
 * timed out, cancellable) and `did…` notifications (host to view).
 */
import type { ExportFormat } from '../core/export/formats';
import type { ViewOp } from '../core/ops';
import type { CancelRequest } from './envelope';
import type {
  DocumentState,
  FrameRef,
  InitSnapshot,
  SampleSnapshot,
  SampleSummary,
  StatusCounts,
} from './snapshot';
import type {
  EntitySuggestion,
  InferenceStatus,
  ModelClick,
  PropagateOutcome,
  SegmentOutcome,
} from './suggestion';

// ---- view -> host commands ----

/** The view has loaded and wants a full snapshot (`host/init`); `line` is the sample it showed before. */
export interface ReadyCommand {
  readonly type: 'webview/ready';
  readonly line?: number;
}
/** Cancels the request with message id `requestId`: the channel's one cancel message. */
export type CancelCommand = CancelRequest;
/** A line for the host's log (webview errors, timings). */
export interface LogCommand {
  readonly type: 'log/write';
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

// ---- view -> host requests ----

/** Opens sample `line` in this view; replies with its snapshot. */
export interface OpenSampleRequest {
  readonly type: 'sample/open';
  readonly line: number;
}
/** Applies one edit (one gesture = one undo step); replies with the document state. */
export interface ApplyOpRequest {
  readonly type: 'document/op/apply';
  readonly op: ViewOp;
  readonly label: string;
}
/** Undoes the last edit (serve mode; VS Code runs its own Undo command). */
export interface UndoRequest {
  readonly type: 'document/undo';
}
/** Redoes the last undone edit. */
export interface RedoRequest {
  readonly type: 'document/redo';
}
/** Saves the dataset atomically; replies with what is on disk once the save is done. */
export interface SaveRequest {
  readonly type: 'document/save';
}
/** What a save put on disk: a save, once started, completes and says so even if cancelled. */
export interface SaveResult {
  /** Bytes of the file as written. */
  readonly bytes: number;
  /** Dataset lines written. */
  readonly lines: number;
  /** The document version (`DocumentState.version`) the file now holds. */
  readonly version: number;
}
/**
 * Resolves a clash with a change on disk (serve): `reload` drops the unsaved edits and takes
 * the file (undo history cleared), `keep` lets the next save write ours over that change.
 */
export interface ConflictResolveRequest {
  readonly type: 'document/conflict/resolve';
  readonly choice: 'reload' | 'keep';
}
/** Exports the saved dataset beside it (rynnbrain-raw unless `format`); replies with a summary. */
export interface ExportRequest {
  readonly type: 'dataset/export';
  readonly format?: ExportFormat;
}
/** Finds the next `todo` sample after `line` (wrapping); replies with its line or null. */
export interface NextTodoRequest {
  readonly type: 'sample/nextTodo/find';
  readonly after: number;
  /** Also open it: the reply carries its snapshot, one round trip for Next todo (issue 14). */
  readonly open?: boolean;
}
/** Finds the annotated sample to review after line `after` (oldest first); its line or null. */
export interface NextReviewRequest {
  readonly type: 'sample/nextReview/find';
  readonly after: number;
}
/** Makes sure frame `index` of sample `line` is on disk (video samples); replies with its ref. */
export interface EnsureFrameRequest {
  readonly type: 'frame/ensure';
  readonly line: number;
  readonly index: number;
  readonly priority: 'now' | 'soon';
}
/** Makes (or finds cached) the VP9/WebM watching copy of video sample `line`; replies with its URI. */
export interface VideoProxyRequest {
  readonly type: 'media/proxy/make';
  readonly line: number;
}
/** Asks the models for entity `entity` of sample `line` now; a newer one cancels it. Replies with the suggestion. */
export interface SuggestRequest {
  readonly type: 'model/suggest';
  readonly line: number;
  readonly entity: number;
}
/** Proposes the next-best box candidate of the entity's last suggestion (wrapping). */
export interface CycleCandidateRequest {
  readonly type: 'model/suggest/cycle';
  readonly line: number;
  readonly entity: number;
}
/** Segments from model clicks on `frame` (SAM) and proposes the mask's box or points. */
export interface SegmentRequest {
  readonly type: 'model/segment';
  readonly line: number;
  readonly entity: number;
  readonly frame: number;
  readonly clicks: readonly ModelClick[];
  /** A box prompt [x1, y1, x2, y2] in source pixels, with or without clicks. */
  readonly box?: readonly [number, number, number, number];
}
/**
 * Propagates the entity's mask on `frame` over the sampled frames (SAM re-prompted from
 * each previous mask); stores the masks as one undo step; cancel with `request/cancel`.
 */
export interface PropagateRequest {
  readonly type: 'mask/propagate';
  readonly line: number;
  readonly entity: number;
  readonly frame: number;
  readonly direction: 'forward' | 'backward' | 'both';
}

/** Every request a view may send. */
export type ViewRequest =
  | OpenSampleRequest
  | ApplyOpRequest
  | UndoRequest
  | RedoRequest
  | SaveRequest
  | ConflictResolveRequest
  | ExportRequest
  | NextTodoRequest
  | NextReviewRequest
  | EnsureFrameRequest
  | VideoProxyRequest
  | SuggestRequest
  | CycleCandidateRequest
  | SegmentRequest
  | PropagateRequest;
/** Every command a view may send. */
export type ViewCommand = ReadyCommand | CancelCommand | LogCommand;
/** Every body a view may send. */
export type ViewMessage = ViewRequest | ViewCommand;

/** The result type of each request, by its `type`. */
export interface ViewRequestResults {
  'sample/open': SampleSnapshot;
  'document/op/apply': DocumentState;
  'document/undo': DocumentState;
  'document/redo': DocumentState;
  'document/save': SaveResult;
  'document/conflict/resolve': DocumentState;
  'dataset/export': { readonly summary: string };
  'sample/nextTodo/find': { readonly line: number | null; readonly sample?: SampleSnapshot };
  'sample/nextReview/find': { readonly line: number | null };
  'frame/ensure': FrameRef;
  'media/proxy/make': { readonly uri: string };
  'model/suggest': EntitySuggestion;
  'model/suggest/cycle': EntitySuggestion;
  'model/segment': SegmentOutcome;
  'mask/propagate': PropagateOutcome;
}

// ---- host -> view ----

/** The full snapshot, sent after `webview/ready` and whenever a view may have missed updates. */
export interface InitNotification {
  readonly type: 'host/init';
  readonly snapshot: InitSnapshot;
}
/** The sample a view shows changed (edit, undo, reload from disk): its full snapshot. */
export interface SampleDidChange {
  readonly type: 'sample/didChange';
  readonly sample: SampleSnapshot;
}
/** Summaries of changed lines (a delta: never every sample), the counts, the document state. */
export interface DatasetDidChange {
  readonly type: 'dataset/didChange';
  readonly changed: readonly SampleSummary[];
  /** Samples per status after the change (the session's index keeps them; no view recounts). */
  readonly counts: StatusCounts;
  readonly document: DocumentState;
  readonly lineCount: number;
}
/** Every line's summary, right after a `host/init` that says `samplesFollow` (large datasets). */
export interface SampleListDidLoad {
  readonly type: 'dataset/didList';
  readonly samples: readonly SampleSummary[];
  readonly counts: StatusCounts;
}
/** Something to tell the person (save failed, file changed on disk...). */
export interface NoticeDidPost {
  readonly type: 'notice/didPost';
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}
/** A change on disk clashes with unsaved edits: what the page offers until it is resolved. */
export interface DiskConflict {
  readonly message: string;
  /** The clashing lines (0-based). */
  readonly lines: readonly number[];
}
/** The disk clash shown with its choices (serve); `conflict` absent: none, or resolved. */
export interface ConflictDidChange {
  readonly type: 'document/conflict/didChange';
  readonly conflict?: DiskConflict;
}
/** Asks the view to show sample `line` (the navigator, "next todo"). */
export interface ShowSampleCommand {
  readonly type: 'sample/show';
  readonly line: number;
  /** Opened from the review queue: the view shows it in review mode. */
  readonly review?: boolean;
}
/** The models suggested something for an entity (sent to every view of the session). */
export interface SuggestionDidChange {
  readonly type: 'model/suggestion/didChange';
  readonly suggestion: EntitySuggestion;
}
/** The inference status changed (worker started, provider known, failed). */
export interface InferenceDidChange {
  readonly type: 'model/status/didChange';
  readonly status: InferenceStatus;
}

/** One more frame of a running propagation (sent to every view of the session). */
export interface PropagateDidProgress {
  readonly type: 'mask/propagate/didProgress';
  readonly line: number;
  readonly entity: number;
  readonly frame: number;
  /** The predicted IoU of the mask on `frame`. */
  readonly score: number;
  /** Frames done and frames the run may visit at most. */
  readonly done: number;
  readonly total: number;
}

/** What the session itself publishes to every view (the rest is per view). */
export type SessionPost =
  | NoticeDidPost
  | ConflictDidChange
  | ShowSampleCommand
  | SuggestionDidChange
  | InferenceDidChange
  | PropagateDidProgress;

/** VS Code ran an editor key command (a rebound key, or a key pressed outside the view). */
export interface EditorKeyCommand {
  readonly type: 'editor/key';
  /** The contributed command id, `groundwork.editor.<command>[.<argument>]`. */
  readonly command: string;
}
/** The editor keys as bound now in VS Code: keys (VS Code syntax) per command id. */
export interface EditorKeybindings {
  readonly type: 'editor/keybindings';
  readonly bindings: Readonly<Record<string, readonly string[]>>;
}

/** Every body the host may send (besides replies). */
export type HostMessage =
  | EditorKeyCommand
  | EditorKeybindings
  | InitNotification
  | SampleDidChange
  | DatasetDidChange
  | SampleListDidLoad
  | NoticeDidPost
  | ConflictDidChange
  | ShowSampleCommand
  | SuggestionDidChange
  | InferenceDidChange
  | PropagateDidProgress;
