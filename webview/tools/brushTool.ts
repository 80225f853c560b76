/**
 * Brush tool: press, drag, release paints a round stroke into the active entity's mask on
 * this frame (the eraser, eraserTool.ts, is the same gesture clearing pixels). A circle of
 * the brush's size follows the pointer; the stroke is previewed by a Konva line and sent as
 * one op on release, rasterised by core (src/core/raster/brush.ts) as the tests count it.
 */
import Konva from 'konva';
import type { Point } from '../../src/core/model';
import { HALO } from '../stage/palette';
import type { Tool, ToolContext } from './tool';
import { clampToFrame } from './tool';

/** The brush tool, or with `value` 0 the eraser. */
export class BrushTool implements Tool {
  readonly id: 'brush' | 'eraser';
  private ctx: ToolContext | undefined;
  private path: Point[] | undefined;
  private preview: Konva.Line | undefined;
  private readonly cursor = new Konva.Circle({ listening: false, visible: false });
  private unwatch: (() => void) | undefined;
  private readonly onUp = (): void => this.finish();

  constructor(private readonly value: 0 | 1 = 1) {
    this.id = value ? 'brush' : 'eraser';
  }

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    const stage = ctx.view.stage;
    ctx.view.container.style.cursor = 'none';
    ctx.view.editLayer.add(this.cursor);
    this.unwatch = ctx.masks.watchBrush(() => this.moveCursor());
    ctx.view.container.dataset.brushRadius = String(ctx.masks.brushRadius());
    stage.on(`mousedown.${this.id}`, (event) => {
      if (event.evt.button !== 0 || ctx.view.panning) return;
      const active = ctx.active();
      if (!active) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      this.path = [clampToFrame(pointer, ctx.frameSize())];
      const radius = ctx.masks.brushRadius();
      this.preview = new Konva.Line({
        points: [...(this.path[0] as Point), ...(this.path[0] as Point)],
        stroke: this.value ? active.color : 'rgba(0, 0, 0, 0.55)',
        opacity: this.value ? 0.55 : 1,
        strokeWidth: radius * 2,
        lineCap: 'round',
        lineJoin: 'round',
        listening: false,
      });
      ctx.view.editLayer.add(this.preview);
      this.cursor.moveToTop();
      ctx.view.editLayer.batchDraw();
    });
    stage.on(`mousemove.${this.id}`, () => {
      this.moveCursor();
      if (!this.path || !this.preview) return;
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      this.path.push(clampToFrame(pointer, ctx.frameSize()));
      this.preview.points(this.path.flatMap((p) => [p[0], p[1]]));
      ctx.view.editLayer.batchDraw();
    });
    stage.on(`mouseleave.${this.id}`, () => {
      this.cursor.visible(false);
      ctx.view.editLayer.batchDraw();
    });
    // Released outside the stage still ends the stroke (one gesture, one op).
    window.addEventListener('mouseup', this.onUp);
  }

  private moveCursor(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const pointer = ctx.view.pointer();
    const radius = ctx.masks.brushRadius();
    ctx.view.container.dataset.brushRadius = String(radius);
    if (!pointer) return;
    const scale = ctx.view.scale || 1;
    this.cursor.setAttrs({
      x: pointer[0],
      y: pointer[1],
      radius,
      visible: true,
      stroke: this.value ? (ctx.active()?.color ?? '#fff') : '#fff',
      strokeWidth: 1.5 / scale,
      dash: this.value ? [] : [4 / scale, 3 / scale],
      shadowColor: HALO,
      shadowBlur: 2,
    });
    ctx.view.editLayer.batchDraw();
  }

  private finish(): void {
    const ctx = this.ctx;
    const path = this.path;
    this.clear();
    if (!ctx || !path) return;
    ctx.masks.stroke(path, ctx.masks.brushRadius(), this.value);
  }

  private clear(): void {
    this.preview?.destroy();
    this.preview = undefined;
    this.path = undefined;
    this.ctx?.view.editLayer.batchDraw();
  }

  deactivate(): void {
    this.clear();
    window.removeEventListener('mouseup', this.onUp);
    this.unwatch?.();
    this.unwatch = undefined;
    this.cursor.remove();
    if (this.ctx) {
      this.ctx.view.stage.off(`.${this.id}`);
      this.ctx.view.container.style.cursor = '';
      delete this.ctx.view.container.dataset.brushRadius;
    }
    this.ctx = undefined;
  }

  cancel(): boolean {
    const had = this.path !== undefined;
    this.clear();
    return had;
  }

  refresh(): void {
    /* Nothing between strokes but the cursor, which follows the pointer. */
  }
}
