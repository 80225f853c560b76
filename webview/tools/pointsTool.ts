/**
 * Points tool (areas): each click adds one representative point to the active entity's
 * area on this frame (one click, one undo step); handles move and delete points. A click on
 * another frame, or over another kind of geometry, starts a new area.
 */
import { PointHandles, activePoints } from './pointHandles';
import type { Tool, ToolContext } from './tool';
import { clampToFrame, onBackground } from './tool';

/** Points an area may hold before the tool refuses more (DESIGN.md targets 5; 50 is plenty). */
const MAX_AREA_POINTS = 50;

/** The points tool. */
export class PointsTool implements Tool {
  readonly id = 'points' as const;
  private ctx: ToolContext | undefined;
  private handles: PointHandles | undefined;

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    this.handles = new PointHandles(ctx, ['area']);
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.stage.on('click.points', (e) => {
      if (e.evt.button !== 0 || ctx.view.panning || !onBackground(e.target, ctx.view.stage)) return;
      if (!ctx.active()) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const p = ctx.view.pointer();
      if (!p) return;
      const cur = activePoints(ctx, ['area']);
      const pts = cur ? cur.pts : [];
      if (pts.length >= MAX_AREA_POINTS) {
        ctx.notify(`an area holds at most ${MAX_AREA_POINTS} points here`);
        return;
      }
      ctx.commit('area', [...pts, clampToFrame(p, ctx.frameSize())], 'add point');
    });
    this.refresh();
  }

  deactivate(): void {
    this.handles?.destroy();
    if (this.ctx) {
      this.ctx.view.stage.off('.points');
      this.ctx.view.container.style.cursor = '';
    }
    this.ctx = this.handles = undefined;
  }

  cancel(): boolean {
    return false;
  }

  refresh(): void {
    this.handles?.refresh();
  }
}
