/** Box tool: press, drag, release draws the active entity's box (an `object`) on this frame. */
import Konva from 'konva';
import type { Point } from '../../src/core/model';
import { HALO, LINE } from '../stage/palette';
import type { Tool, ToolContext } from './tool';
import { clampToFrame, onBackground } from './tool';

/** Smallest box, in screen pixels, that counts as drawn (smaller is a click). */
const MIN_DRAG = 3;

/** The box tool. */
export class BoxTool implements Tool {
  readonly id = 'box' as const;
  private ctx: ToolContext | undefined;
  private start: Point | undefined;
  private preview: Konva.Rect | undefined;
  private halo: Konva.Rect | undefined;

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    const st = ctx.view.stage;
    ctx.view.container.style.cursor = 'crosshair';
    st.on('mousedown.box', (event) => {
      if (event.evt.button !== 0 || ctx.view.panning || !onBackground(event.target, st)) return;
      if (!ctx.active()) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      this.start = clampToFrame(pointer, ctx.frameSize());
      const color = ctx.active()?.color ?? '#fff';
      this.halo = new Konva.Rect({
        x: this.start[0],
        y: this.start[1],
        width: 0,
        height: 0,
        stroke: HALO,
        strokeWidth: LINE.halo,
        strokeScaleEnabled: false,
        listening: false,
      });
      this.preview = new Konva.Rect({
        x: this.start[0],
        y: this.start[1],
        width: 0,
        height: 0,
        stroke: color,
        strokeWidth: LINE.activeOutline,
        strokeScaleEnabled: false,
        listening: false,
      });
      ctx.view.editLayer.add(this.halo, this.preview);
    });
    st.on('mousemove.box', () => {
      if (!this.start || !this.preview) return;
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      const clamped = clampToFrame(pointer, ctx.frameSize());
      const rect = {
        x: Math.min(this.start[0], clamped[0]),
        y: Math.min(this.start[1], clamped[1]),
        width: Math.abs(clamped[0] - this.start[0]),
        height: Math.abs(clamped[1] - this.start[1]),
      };
      this.preview.setAttrs(rect);
      this.halo?.setAttrs(rect);
      ctx.view.editLayer.batchDraw();
    });
    st.on('mouseup.box', () => this.finish());
  }

  private finish(): void {
    const ctx = this.ctx;
    const start = this.start;
    const rect = this.preview;
    this.clear();
    if (!ctx || !start || !rect) return;
    const scale = ctx.view.scale || 1;
    if (rect.width() * scale < MIN_DRAG || rect.height() * scale < MIN_DRAG) return;
    ctx.commit(
      'object',
      [
        [rect.x(), rect.y()],
        [rect.x() + rect.width(), rect.y() + rect.height()],
      ],
      'draw box',
    );
  }

  private clear(): void {
    this.preview?.destroy();
    this.halo?.destroy();
    this.preview = this.halo = this.start = undefined;
    this.ctx?.view.editLayer.batchDraw();
  }

  deactivate(): void {
    this.clear();
    if (this.ctx) {
      this.ctx.view.stage.off('.box');
      this.ctx.view.container.style.cursor = '';
    }
    this.ctx = undefined;
  }

  cancel(): boolean {
    const had = this.start !== undefined;
    this.clear();
    return had;
  }

  refresh(): void {
    /* The box tool has no nodes between gestures. */
  }
}
