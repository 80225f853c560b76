/**
 * The ops a view may send and the host's own inverses: the vocabulary of edits. `apply` in
 * ops.ts decides them; kept apart so that the list of intents reads on one page.
 */
import type {
  Grounding,
  GroundingSource,
  GroundingTag,
  Point,
  Rle,
  SampleStatus,
  TaskType,
} from './model';

/** Which entity an entity op is for; `text` (when given) guards against a stale view. */
export interface EntityRef {
  readonly line: number;
  readonly id: string;
  readonly entity: number;
  readonly text?: string;
  /** Milliseconds the annotator spent on the entity since the last op, added to `timeMs`. */
  readonly elapsedMs?: number;
}

/** An edit a view may send. `line` is the 0-based line index; `id` guards against a stale view. */
export type ViewLeafOp =
  /** Accept the entity's proposal; `size` is its frame's pixel size, to convert points to. */
  | (EntityRef & { readonly type: 'entity/accept'; readonly size?: readonly [number, number] })
  /** A person drew the entity's grounding on `frame` (replaces any proposal). */
  | (EntityRef & {
      readonly type: 'entity/draw';
      readonly tag: GroundingTag;
      readonly frame: number;
      readonly points: readonly Point[];
      readonly size: readonly [number, number];
    })
  /** Not groundable; again on a not groundable entity, restores it. */
  | (EntityRef & { readonly type: 'entity/notGroundable' })
  /** The kind the annotator chose. */
  | (EntityRef & { readonly type: 'entity/kind'; readonly kind: GroundingTag })
  /** Moves the entity's grounding to another frame. */
  | (EntityRef & { readonly type: 'entity/frame'; readonly frame: number })
  /** A model proposal; refused where the proposal rule keeps what is there. */
  | (EntityRef & {
      readonly type: 'entity/propose';
      readonly proposal: Grounding;
      readonly click?: boolean;
    })
  /** Sets the entity's mask on `frame` (one brush stroke, polygon, clean-up or propagated frame). */
  | (EntityRef & {
      readonly type: 'mask/set';
      readonly frame: number;
      readonly mask: Rle;
      readonly source: GroundingSource;
      readonly score?: number;
    })
  /** Removes the entity's mask on `frame` (points a person drew stay). */
  | (EntityRef & { readonly type: 'mask/clear'; readonly frame: number })
  /** Moves a sample through its state machine, with an optional reviewer comment. */
  | {
      readonly type: 'sample/status';
      readonly line: number;
      readonly id: string;
      readonly status: SampleStatus;
      readonly comment?: string;
    }
  /** Adds a comment to the sample's thread (`entity`: the item it is about), by the actor. */
  | {
      readonly type: 'sample/comment';
      readonly line: number;
      readonly id: string;
      readonly text: string;
      readonly entity?: number;
    }
  /** Edits (new `text`) or deletes (no `text`) comment `index` of the thread; author only. */
  | {
      readonly type: 'sample/comment-edit';
      readonly line: number;
      readonly id: string;
      readonly index: number;
      readonly text?: string;
    }
  /** Replaces the reasoning text; entities are re-derived and states kept where texts match. */
  | {
      readonly type: 'sample/reasoning';
      readonly line: number;
      readonly id: string;
      readonly reasoning: string;
    }
  /** A person sets the sample's task (`groundwork.task`); the answer item is rebuilt for it. */
  | {
      readonly type: 'sample/task';
      readonly line: number;
      readonly id: string;
      readonly task: TaskType;
    }
  /** Adds (points on `frame`) or removes an acceptable frame of the answer grounding. */
  | {
      readonly type: 'answer/alternate';
      readonly line: number;
      readonly id: string;
      readonly action: 'add' | 'remove';
      readonly frame: number;
      readonly points?: readonly Point[];
      readonly size?: readonly [number, number];
    }
  /** A line's new text from a view: one JSON line, only its `groundwork` value changed, legal. */
  | { readonly type: 'line/raw'; readonly line: number; readonly raw: string };

/** What a view sends: one intent, or several as one undo step (one gesture, no nesting). */
export type ViewOp = ViewLeafOp | { readonly type: 'batch'; readonly ops: readonly ViewLeafOp[] };

/** An edit of the dataset: a view's op, or the host's own inverse. */
export type Op =
  | ViewLeafOp
  /** Puts back a line's earlier text: the inverse of every other op (never sent by a view). */
  | { readonly type: 'line/restore'; readonly line: number; readonly raw: string }
  /** Several ops as one undo step (one gesture). */
  | { readonly type: 'batch'; readonly ops: readonly Op[] };
