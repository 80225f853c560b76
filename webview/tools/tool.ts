/**
 * The contract between the editor and its tools (after CVAT's canvas: one handler file per
 * interaction mode, and the canvas never owns annotations). A tool turns pointer gestures
 * into one `commit` per gesture; the model changes only there (on dragend/transformend).
 */
import type { EntityState, GroundingTag, Point } from '../../src/core/model';
import type { ModelClick } from '../../src/protocol/suggestion';
import type { FrameStage } from '../stage/frameStage';
import type { ToolId } from '../state/store';

/** The active entity as a tool sees it. */
export interface ActiveEntity {
  readonly index: number;
  readonly entity: EntityState;
  readonly color: string;
}

/** What the editor gives a tool. */
export interface ToolContext {
  readonly view: FrameStage;
  active(): ActiveEntity | undefined;
  frame(): number;
  /** Displayed size of the current frame in source pixels ([0, 0] until known). */
  frameSize(): readonly [number, number];
  /** Replaces the active entity's geometry (one gesture = one op = one undo step). */
  commit(tag: GroundingTag, points: readonly Point[], label: string): void;
  /** Shows a short message in the banner. */
  notify(text: string): void;
  /** Tells the display layer which entity this tool draws itself (undefined: none). */
  own(index: number | undefined): void;
  /** Asks the host's SAM for a mask from these clicks on the current frame (the newest call wins). */
  segment(clicks: readonly ModelClick[]): void;
  /** The mask edits of the active entity on the current frame (webview/maskActions.ts). */
  readonly masks: MaskToolHost;
}

/** What the mask tools may do: each call is one op, one undo step. */
export interface MaskToolHost {
  /** Brush (`value` 1) or eraser (0) stroke through `path`, `radius` source pixels wide each side. */
  stroke(path: readonly Point[], radius: number, value: 0 | 1): void;
  /** Adds (1) or subtracts (0) a closed polygon. */
  polygon(vertices: readonly Point[], value: 0 | 1): void;
  /** Asks SAM for the mask inside `box` ([x1, y1, x2, y2] in source pixels). */
  boxPrompt(box: readonly [number, number, number, number]): void;
  /** The brush and eraser radius in source pixels. */
  brushRadius(): number;
  /** Calls `listener` when the brush radius changes; returns the unsubscribe. */
  watchBrush(listener: () => void): () => void;
}

/** One interaction mode of the stage. */
export interface Tool {
  readonly id: ToolId;
  /** Attaches handlers and nodes. */
  activate(ctx: ToolContext): void;
  /** Detaches everything it attached. */
  deactivate(): void;
  /** The model, the frame or the zoom changed: rebuild interactive nodes. */
  refresh(): void;
  /** Escape: drops a gesture in progress; true when there was one. */
  cancel(): boolean;
}

/** True when the event's target is the bare stage (not a handle). */
export function onBackground(target: unknown, stage: unknown): boolean {
  return target === stage;
}

/** Keeps a point inside the frame. */
export function clampToFrame(point: Point, size: readonly [number, number]): Point {
  if (!(size[0] > 0 && size[1] > 0)) return point;
  return [Math.min(size[0], Math.max(0, point[0])), Math.min(size[1], Math.max(0, point[1]))];
}
