/**
 * What the host tells a view about the dataset: summaries of every sample, and a full
 * snapshot of the sample a view shows. Views are projections; the host owns the truth.
 */
import type { CopIssue } from '../core/chainOfPoint';
import type { SampleState, SampleStatus, TaskType } from '../core/model';
import type { TaskOrigin } from '../core/task';
import type { InferenceStatus } from './suggestion';

/** One line of the dataset, as the navigator and the sample dropdown list it. */
export interface SampleSummary extends PeopleSummary {
  readonly line: number;
  /** Sample id, or undefined for a line that is not a sample. */
  readonly id?: string;
  readonly status?: SampleStatus;
  /** Why the line is not a sample (bad JSON, no id...). */
  readonly problem?: string;
}

/** Samples per status, and lines that are not samples (blank lines are neither). */
export type StatusCounts = Readonly<Record<SampleStatus | 'problem', number>>;

/** Who worked on a sample and its last comment, for lists and tooltips (from the line). */
export interface PeopleSummary {
  readonly annotatedBy?: string;
  /** ISO 8601; the review queue is ordered by it. */
  readonly annotatedAt?: string;
  readonly reviewedBy?: string;
  /** Comments in the sample's thread. */
  readonly commentCount?: number;
  /** The newest comment, its text cut for a tooltip line. */
  readonly lastComment?: { readonly author: string; readonly at: string; readonly text: string };
}

/** One frame of a sample's frame list, addressable by the view. */
export interface FrameRef {
  readonly index: number;
  /** URI the view loads the image from (webview URI or serve URL); absent until extracted. */
  readonly uri?: string;
  /** Smaller image for the filmstrip, when the video layer made one. */
  readonly thumbUri?: string;
  /** Displayed (rotation-applied) size in pixels; [0, 0] when not known yet. */
  readonly width: number;
  readonly height: number;
  /** Seconds from the start of the video (video samples). */
  readonly time?: number;
  /** Frame number in the source video (video samples). */
  readonly sourceFrame?: number;
  /** Sharpness in [0, 1] (variance of the Laplacian, normalised), when known. */
  readonly sharpness?: number;
}

/** The media of a sample: its frame list, or why there is none. */
export interface MediaSnapshot {
  readonly kind: 'frames' | 'video' | 'none';
  readonly frames: readonly FrameRef[];
  /** A problem to show in the banner (missing file, outside the workspace, no video layer). */
  readonly error?: string;
  /** True when frames are extracted lazily and must be requested with `frame/ensure`. */
  readonly lazy?: boolean;
  /** A warning that still shows frames (a truncated video: fewer frames than its header says). */
  readonly warning?: string;
  /** Video samples: where the player streams the clip from (webview URI or serve URL). */
  readonly videoUri?: string;
}

/** One bracketed entity span of the reasoning (offsets into `reasoning`). */
export interface EntitySpan {
  readonly index: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** A grounding tag with no bracketed entity before it (its own item): `start..end` is the tag. */
  readonly standalone?: true;
}

/** Everything a view needs to show one sample. */
export interface SampleSnapshot {
  readonly line: number;
  readonly id: string;
  readonly question?: string;
  readonly reasoning: string;
  readonly answer?: string;
  readonly video?: string;
  readonly fps?: number;
  readonly state: SampleState;
  /** The sample's task (RynnBrain's type), and where it came from (the editor, the line...). */
  readonly task?: TaskType;
  readonly taskOrigin?: TaskOrigin;
  readonly spans: readonly EntitySpan[];
  /** Grammar and bracket issues of the reasoning, with offsets. */
  readonly issues: readonly CopIssue[];
  /** Problems reconciling the stored state with the reasoning. */
  readonly notes: readonly string[];
  readonly media: MediaSnapshot;
  /**
   * Entities whose proposal in `state` is a model suggestion the session holds as an overlay:
   * not in the file, so the sample stays clean until a person accepts or draws.
   */
  readonly suggested?: readonly number[];
}

/** The document-level state a view shows in its toolbar. */
export interface DocumentState {
  readonly version: number;
  readonly dirty: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

/** Where the editor runs: inside VS Code (undo/save are VS Code's) or in `groundwork serve`. */
export type HostMode = 'vscode' | 'serve';

/** The full snapshot a view gets on `ready` and whenever it may have missed something. */
export interface InitSnapshot {
  readonly mode: HostMode;
  readonly datasetName: string;
  readonly samples: readonly SampleSummary[];
  /** A large dataset's list is not here but in the `dataset/didList` that follows at once. */
  readonly samplesFollow?: true;
  /** The counts of `samples` by status; later `dataset/didChange` deltas carry new ones. */
  readonly counts: StatusCounts;
  readonly document: DocumentState;
  /** The sample to show (the restored one, or the first todo), absent for an empty dataset. */
  readonly sample?: SampleSnapshot;
  /** Whether an exporter and a suggester are wired in this host. */
  readonly canExport: boolean;
  readonly canSuggest: boolean;
  /** The models' status for the status field (`off` when they do not run here). */
  readonly inference: InferenceStatus;
  /** Who this view's changes are recorded as (`groundwork.user`, git, OS user, `--user`). */
  readonly user?: string;
}

/**
 * Where a newly opened sample starts: its first undecided entity (else the first) and that
 * entity's grounded or proposed frame. The page opens there, and serve preloads that frame.
 */
export function openingView(sample: SampleSnapshot): { entity?: number; frame: number } {
  const entities = sample.state.entities;
  if (!entities.length) return { frame: 0 };
  const first = entities.findIndex((e) => e.status === 'pending' || e.status === 'proposed');
  const entity = first >= 0 ? first : 0;
  const chosen = entities[entity];
  const frame = chosen?.grounding?.frame ?? chosen?.proposal?.frame ?? 0;
  return { entity, frame: frame < sample.media.frames.length ? frame : 0 };
}

/** The id of the data block that carries a serve page's first `host/init` (src/server/pageInit.ts). */
export const PAGE_INIT_ID = 'groundwork-init';
