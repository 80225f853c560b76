/**
 * The context every tool gets: the stage, the active entity as the tool edits it, and where
 * a finished gesture goes (a geometry op, a mask op, a model click). Built from the editor's
 * parts so app.ts only wires them.
 */
import type { EditorActions } from '../editorActions';
import type { MaskActions } from '../maskActions';
import type { FrameStage } from '../stage/frameStage';
import { entityColor } from '../stage/palette';
import type { Store } from '../state/store';
import type { ToolContext } from './tool';

/** The parts of the editor a tool's context reaches. */
export interface ToolContextParts {
  readonly store: Store;
  readonly view: FrameStage;
  readonly actions: EditorActions;
  readonly masks: MaskActions;
  /** The tool draws entity `index` itself; the geometry layer leaves it out. */
  own(index: number | undefined): void;
  /** Runs a model click (the model actions, with the app's instant mask preview). */
  segment: ToolContext['segment'];
}

/** The tool context of an editor made of `parts`. */
export function toolContextOf(parts: ToolContextParts): ToolContext {
  const { store, view, actions, masks } = parts;
  return {
    view,
    active: () => {
      const index = store.state.entity;
      const shown = store.activeEntity();
      // On an answer's acceptable frame the tools edit that frame's grounding.
      const entity = shown && actions.answer.toolView(shown, store.state.frame);
      return entity && index !== undefined
        ? { index, entity, color: entityColor(index) }
        : undefined;
    },
    frame: () => store.state.frame,
    frameSize: () => store.frameSize(),
    commit: (tag, pts, label) => actions.commitGeometry(tag, pts, label),
    notify: (t) => actions.notice('info', t),
    own: (index) => parts.own(index),
    segment: (clicks) => parts.segment(clicks),
    masks: {
      stroke: (path, radius, value) => masks.stroke(path, radius, value),
      polygon: (vertices, value) => masks.polygon(vertices, value),
      boxPrompt: (box) => masks.boxPrompt(box),
      brushRadius: () => store.state.masks.brushRadius,
      watchBrush: (listener) => masks.watchBrush(listener),
    },
  };
}
