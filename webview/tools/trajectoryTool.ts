/**
 * Trajectory tool: each click appends a point to the active entity's path on this frame
 * (2 to 10 points, DESIGN.md section 1); the polyline is drawn through the handles, which
 * move and delete points like the other point tools.
 */
import { PointHandles, activePoints } from './pointHandles';
import type { Tool, ToolContext } from './tool';
import { clampToFrame, onBackground } from './tool';

/** The grammar's limit for a trajectory. */
const MAX_TRAJECTORY_POINTS = 10;

/** The trajectory tool. */
export class TrajectoryTool implements Tool {
  readonly id = 'trajectory' as const;
  private ctx: ToolContext | undefined;
  private handles: PointHandles | undefined;

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    this.handles = new PointHandles(ctx, ['trajectory'], { line: true });
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.stage.on('click.trajectory', (e) => {
      if (e.evt.button !== 0 || ctx.view.panning || !onBackground(e.target, ctx.view.stage)) return;
      if (!ctx.active()) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const p = ctx.view.pointer();
      if (!p) return;
      const pts = activePoints(ctx, ['trajectory'])?.pts ?? [];
      if (pts.length >= MAX_TRAJECTORY_POINTS) {
        ctx.notify(`a trajectory has at most ${MAX_TRAJECTORY_POINTS} points`);
        return;
      }
      ctx.commit('trajectory', [...pts, clampToFrame(p, ctx.frameSize())], 'add trajectory point');
    });
    this.refresh();
  }

  deactivate(): void {
    this.handles?.destroy();
    if (this.ctx) {
      this.ctx.view.stage.off('.trajectory');
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
