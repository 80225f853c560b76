/** Affordance tool: a click sets the single contact point of the active entity on this frame. */
import { PointHandles } from './pointHandles';
import type { Tool, ToolContext } from './tool';
import { clampToFrame, onBackground } from './tool';

/** The affordance tool. */
export class AffordanceTool implements Tool {
  readonly id = 'affordance' as const;
  private ctx: ToolContext | undefined;
  private handles: PointHandles | undefined;

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    this.handles = new PointHandles(ctx, ['affordance']);
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.stage.on('click.affordance', (e) => {
      if (e.evt.button !== 0 || ctx.view.panning || !onBackground(e.target, ctx.view.stage)) return;
      if (!ctx.active()) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const p = ctx.view.pointer();
      if (p) ctx.commit('affordance', [clampToFrame(p, ctx.frameSize())], 'set contact point');
    });
    this.refresh();
  }

  deactivate(): void {
    this.handles?.destroy();
    if (this.ctx) {
      this.ctx.view.stage.off('.affordance');
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
