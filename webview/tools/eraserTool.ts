/**
 * Eraser tool: the brush's gesture (press, drag, release) clearing the stroke's pixels from
 * the active entity's mask on this frame; `[` and `]` size it like the brush.
 */
import { BrushTool } from './brushTool';

/** The eraser: a brush that paints 0. */
export class EraserTool extends BrushTool {
  constructor() {
    super(0);
  }
}
