/** The dataset model of DESIGN.md section 2: samples, entities, groundings, statuses, sources. */

/** The five grounding tags of the CoP grammar (DESIGN.md section 1). */
export type GroundingTag = 'object' | 'area' | 'affordance' | 'trajectory' | 'grasp_pose';

/** Every tag, in the order the grammar table lists them. */
export const GROUNDING_TAGS: readonly GroundingTag[] = [
  'object',
  'area',
  'affordance',
  'trajectory',
  'grasp_pose',
];

/** RynnBrain's task types (its `TASK_CONFIGS`); `segment` answers with an object box. */
export type TaskType = 'trajectory' | 'affordance' | 'area' | 'counting' | 'segment' | 'general';

/** Where a grounding came from: a person, a model (`model:<id>`) or imported model text. */
export type GroundingSource = 'human' | 'import' | `model:${string}`;

/** A point in the pixel space of a grounding's `size` (x then y, floats allowed). */
export type Point = readonly [number, number];

/** A COCO run-length encoded mask; `counts` is the compressed string form. */
export interface Rle {
  /** [height, width], COCO order. */
  readonly size: readonly [number, number];
  readonly counts: string;
}

/**
 * A grounding: a tag, a frame index into the sample's frame list, and points in the
 * pixel space of `size` (the displayed, rotation-applied frame size). Imported model text
 * is stored with size [1000, 1000], which makes its points exactly the normalised ones.
 */
export interface Grounding {
  readonly tag: GroundingTag;
  readonly frame: number;
  readonly points: readonly Point[];
  /** [width, height] of the pixel space the points are in. */
  readonly size: readonly [number, number];
  readonly source: GroundingSource;
  readonly mask?: Rle;
  /** Detector or mask confidence, when a model made it. */
  readonly score?: number;
  /** The points were derived from `mask` (tight box, or area points), so they follow it. */
  readonly fromMask?: boolean;
}

/** One mask of an entity's mask track on a sampled frame other than its grounding's. */
export interface TrackMask {
  readonly frame: number;
  readonly mask: Rle;
  readonly source: GroundingSource;
  /** The model's predicted IoU, for propagated masks. */
  readonly score?: number;
}

/**
 * Entity state machine (rules in `rules/entityStatus.ts`): pending (nothing yet) or proposed,
 * then accepted | edited | not_groundable. Older files say `rejected` for not_groundable.
 */
export type EntityStatus = 'pending' | 'proposed' | 'accepted' | 'edited' | 'not_groundable';

/** Sample state machine (rules in `rules/sampleStatus.ts`): todo -> in_progress -> annotated -> approved | rejected; rejected -> in_progress. */
export type SampleStatus = 'todo' | 'in_progress' | 'annotated' | 'approved' | 'rejected';

/** Groundwork's state for one bracketed entity of the reasoning. */
export interface EntityState {
  /** The bracketed text, without brackets; checked against the reasoning on load. */
  readonly text: string;
  readonly status: EntityStatus;
  /** The kind the annotator chose (object or area usually; any tag allowed). */
  readonly kind?: GroundingTag;
  /** The final grounding (accepted, edited or drawn). */
  readonly grounding?: Grounding;
  /** The current proposal (imported or from a model). */
  readonly proposal?: Grounding;
  /** The proposal that `grounding` replaced, kept for review and statistics. */
  readonly replaced?: Grounding;
  /** Milliseconds an annotator spent on this entity. */
  readonly timeMs?: number;
  /** Who made the final grounding or decision (`groundwork.user`, git user.name, OS user). */
  readonly groundedBy?: string;
  /** When `groundedBy` grounded or decided it (ISO 8601). */
  readonly groundedAt?: string;
  /** `answer` marks the sample's answer item (always item 0); absent for reasoning entities. */
  readonly role?: 'answer';
  /** Further acceptable frames of the answer, beyond `grounding` (or `proposal` while unverified). */
  readonly alternates?: readonly Grounding[];
  /** A counting answer: the verified number (the count points, if any, are `grounding`). */
  readonly count?: number;
  /** A counting answer: the number the answer text proposes. */
  readonly proposedCount?: number;
  /** Masks on further sampled frames (a mask track, RynnEC's layout), in frame order. */
  readonly track?: readonly TrackMask[];
}

/** Everything Groundwork keeps on a line, under the single key `groundwork`. */
export interface SampleState {
  readonly status: SampleStatus;
  readonly entities: readonly EntityState[];
  /** Reviewer's comment, set when a sample is rejected. */
  readonly comment?: string;
  /** The task a person chose in the editor; wins over the line's `task` field. */
  readonly task?: TaskType;
  /** Who marked the sample annotated, and when (ISO 8601). */
  readonly annotatedBy?: string;
  readonly annotatedAt?: string;
  /** Who approved or rejected the sample, and when (ISO 8601). */
  readonly reviewedBy?: string;
  readonly reviewedAt?: string;
  /** The sample's status changes, oldest first (kept short by the editor). */
  readonly history?: readonly StatusChange[];
  /** The comment thread of the sample; `entity` is the item index a comment is about. */
  readonly comments?: readonly SampleComment[];
}

/** One status change of a sample: the new status, who made it and when (ISO 8601). */
export interface StatusChange {
  readonly status: SampleStatus;
  readonly by?: string;
  readonly at: string;
  readonly comment?: string;
}

/** One comment of a sample's thread (reviewer or annotator), with author and time. */
export interface SampleComment {
  readonly author: string;
  readonly at: string;
  readonly text: string;
  readonly entity?: number;
  /** When its author last changed the text (absent: never edited). */
  readonly editedAt?: string;
}

/** The key under which Groundwork keeps its state on each line. */
export const STATE_KEY = 'groundwork';

/** The input fields of a sample line that Groundwork reads (all others pass through). */
export interface SampleFields {
  readonly id: string;
  readonly video?: string;
  readonly fps?: number;
  readonly frames?: readonly string[];
  readonly question?: string;
  readonly reasoning: string;
  readonly answer?: string;
  /** RynnBrain's task type (or an alias); see `src/core/task.ts`. */
  readonly task?: string;
  readonly groundwork?: SampleState;
}

/** Default sampling rate for video samples (DESIGN.md section 1). */
export const DEFAULT_FPS = 2;

/** One frame of a sample's frame list, as the video layer or the image reader resolves it. */
export interface FrameInfo {
  /** 0-based index in the frame list. */
  readonly index: number;
  /** Absolute path of the image file for this frame (a cached JPEG for video samples). */
  readonly path: string;
  /** Displayed (rotation-applied) size. */
  readonly width: number;
  readonly height: number;
  /** Presentation time in seconds from the start of the video (video samples only). */
  readonly time?: number;
  /** Frame number in the source video (video samples only). */
  readonly sourceFrame?: number;
}

/**
 * Resolves a sample's frame list. The video layer implements it for video samples; the
 * image reader for frame-list samples. Paths in the sample are relative to `datasetDir`.
 */
export interface FrameProvider {
  /** The frame list, with sizes; for video samples the images are extracted on demand. */
  frames(
    sample: SampleFields,
    datasetDir: string,
    signal?: CancelSignal,
  ): Promise<readonly FrameInfo[]>;
}

/** The part of a DOM/Node `AbortSignal` that core code needs (core has no DOM or Node types). */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
