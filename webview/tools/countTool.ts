/**
 * The count tool (issue 15, `counting` answers): click each instance on one frame; the count
 * is the number of clicks, and the points are kept as the answer's grounding (so a reviewer
 * sees what was counted). Each click is one op, one undo step; handles move a point and
 * right-click or Alt+click deletes one, as with the point tools. Each point shows its number.
 */
import Konva from 'konva';
import { PointHandles, activePoints } from './pointHandles';
import type { Tool, ToolContext } from './tool';
import { clampToFrame, onBackground } from './tool';

/** The count points are stored as points (`area` is the point tag the grammar allows 1..n of). */
const COUNT_TAG = 'area';
/** More clicks than anyone counts in one frame; keeps a stuck mouse harmless. */
const MAX_COUNT = 500;

/** Click-to-count on the current frame. */
export class CountTool implements Tool {
  readonly id = 'count' as const;
  private ctx: ToolContext | undefined;
  private handles: PointHandles | undefined;
  private readonly labels = new Konva.Group({ listening: false });

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    this.handles = new PointHandles(ctx, [COUNT_TAG]);
    ctx.view.editLayer.add(this.labels);
    ctx.view.container.style.cursor = 'cell';
    ctx.view.stage.on('click.count', (event) => {
      if (event.evt.button !== 0 || ctx.view.panning) return;
      if (!onBackground(event.target, ctx.view.stage)) return;
      this.click(ctx);
    });
    this.refresh();
  }

  deactivate(): void {
    this.handles?.destroy();
    this.labels.remove();
    if (this.ctx) {
      this.ctx.view.stage.off('.count');
      this.ctx.view.container.style.cursor = '';
    }
    this.ctx = this.handles = undefined;
  }

  cancel(): boolean {
    return false;
  }

  refresh(): void {
    this.handles?.refresh();
    this.drawNumbers();
  }

  private click(ctx: ToolContext): void {
    const active = ctx.active();
    if (!active) {
      ctx.notify('select an entity first (Tab)');
      return;
    }
    const pointer = ctx.view.pointer();
    if (!pointer) return;
    const counted = active.entity.grounding;
    // One frame holds the count: clicks on another frame would start a new count silently.
    if (counted && counted.frame !== ctx.frame()) {
      ctx.notify(
        `the count is on frame ${counted.frame}: count there, or delete its points to count on this frame`,
      );
      return;
    }
    const stored = activePoints(ctx, [COUNT_TAG])?.points ?? [];
    if (stored.length >= MAX_COUNT) {
      ctx.notify(`at most ${MAX_COUNT} instances per frame`);
      return;
    }
    const point = clampToFrame(pointer, ctx.frameSize());
    ctx.commit(COUNT_TAG, [...stored, point], `count instance ${stored.length + 1}`);
  }

  /** The running number beside each counted point. */
  private drawNumbers(): void {
    this.labels.destroyChildren();
    const ctx = this.ctx;
    if (!ctx) return;
    const points = activePoints(ctx, [COUNT_TAG])?.points ?? [];
    const scale = ctx.view.scale || 1;
    points.forEach(([x, y], index) =>
      this.labels.add(
        new Konva.Text({
          x: x + 8 / scale,
          y: y - 18 / scale,
          text: String(index + 1),
          fontSize: 14 / scale,
          fontStyle: 'bold',
          fill: '#ffffff',
          stroke: 'black',
          strokeWidth: 0.6 / scale,
          name: 'count-label',
        }),
      ),
    );
    ctx.view.editLayer.batchDraw();
  }
}
