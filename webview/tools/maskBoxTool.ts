/**
 * Box prompt tool: press, drag, release asks SAM for the mask inside the box on this frame
 * (the model's mask then arrives as the entity's proposal, or refines its mask). The box is
 * only a prompt: it never becomes the entity's box by itself.
 */
import Konva from 'konva';
import type { Point } from '../../src/core/model';
import { HALO, LINE } from '../stage/palette';
import type { Tool, ToolContext } from './tool';
import { clampToFrame } from './tool';

/** Smallest box, in screen pixels, that counts as a prompt (smaller is a click). */
const MIN_DRAG = 4;

/** The box prompt tool. */
export class MaskBoxTool implements Tool {
  readonly id = 'maskBox' as const;
  private ctx: ToolContext | undefined;
  private start: Point | undefined;
  private readonly rect = new Konva.Rect({
    listening: false,
    visible: false,
    stroke: '#2ecc71',
    strokeWidth: LINE.activeOutline,
    strokeScaleEnabled: false,
    dash: [6, 4],
    shadowColor: HALO,
    shadowBlur: 3,
  });

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    const stage = ctx.view.stage;
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.editLayer.add(this.rect);
    stage.on('mousedown.maskbox', (event) => {
      if (event.evt.button !== 0 || ctx.view.panning) return;
      if (!ctx.active()) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      this.start = clampToFrame(pointer, ctx.frameSize());
      this.rect.setAttrs({ x: this.start[0], y: this.start[1], width: 0, height: 0 });
      this.rect.visible(true);
    });
    stage.on('mousemove.maskbox', () => {
      if (!this.start) return;
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      const [x, y] = clampToFrame(pointer, ctx.frameSize());
      this.rect.setAttrs({
        x: Math.min(this.start[0], x),
        y: Math.min(this.start[1], y),
        width: Math.abs(x - this.start[0]),
        height: Math.abs(y - this.start[1]),
      });
      ctx.view.editLayer.batchDraw();
    });
    stage.on('mouseup.maskbox', () => this.finish());
  }

  private finish(): void {
    const ctx = this.ctx;
    if (!ctx || !this.start) return;
    const { x, y, width, height } = this.rect.getAttrs() as Record<string, number>;
    this.clear();
    const scale = ctx.view.scale || 1;
    if ((width ?? 0) * scale < MIN_DRAG || (height ?? 0) * scale < MIN_DRAG) return;
    const round = (v: number): number => Math.round(v * 100) / 100;
    ctx.masks.boxPrompt([
      round(x ?? 0),
      round(y ?? 0),
      round((x ?? 0) + (width ?? 0)),
      round((y ?? 0) + (height ?? 0)),
    ]);
  }

  private clear(): void {
    this.start = undefined;
    this.rect.visible(false);
    this.ctx?.view.editLayer.batchDraw();
  }

  deactivate(): void {
    this.clear();
    this.rect.remove();
    if (this.ctx) {
      this.ctx.view.stage.off('.maskbox');
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
    /* No nodes between gestures. */
  }
}
