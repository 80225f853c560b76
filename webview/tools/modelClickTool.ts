/**
 * Model click tool: positive (left click) and negative (Shift+left or right click) points
 * for SAM. Every click sends all clicks so far on this frame to the host; SAM refines the
 * entity's last mask there (its low-resolution mask fed back), and the host stores the mask
 * as the proposal (with its tight box or 5 area points) or, where the entity already holds a
 * person's grounding or track, as its corrected mask on that frame; the newest click wins.
 * The clicks are drawn as green / red dots until the entity, the frame or Esc resets them.
 */
import Konva from 'konva';
import type { ModelClick } from '../../src/protocol/suggestion';
import type { Tool, ToolContext } from './tool';
import { clampToFrame } from './tool';

/** Clicks one mask may take before the tool asks for a fresh start (SAM gains little after a few). */
const MAX_CLICKS = 16;

/** The model click tool. */
export class ModelClickTool implements Tool {
  readonly id = 'modelClick' as const;
  private ctx: ToolContext | undefined;
  private clicks: ModelClick[] = [];
  private owner = '';
  private readonly group = new Konva.Group({ listening: false });
  private readonly onContext = (e: Event): void => e.preventDefault();

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    ctx.view.editLayer.add(this.group);
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.container.dataset.modelClicks = '0';
    ctx.view.container.addEventListener('contextmenu', this.onContext);
    ctx.view.stage.on('mousedown.modelclick', (event) => {
      const mouseButton = event.evt.button;
      if ((mouseButton !== 0 && mouseButton !== 2) || ctx.view.panning) return;
      const active = ctx.active();
      if (!active) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      this.resetIfMoved();
      if (this.clicks.length >= MAX_CLICKS) {
        ctx.notify(`at most ${MAX_CLICKS} clicks per mask; Esc starts again`);
        return;
      }
      const [x, y] = clampToFrame(pointer, ctx.frameSize());
      this.clicks.push({
        x: Math.round(x * 100) / 100,
        y: Math.round(y * 100) / 100,
        positive: mouseButton === 0 && !event.evt.shiftKey,
      });
      this.draw();
      ctx.segment(this.clicks.slice());
    });
    this.refresh();
  }

  deactivate(): void {
    const ctx = this.ctx;
    if (ctx) {
      ctx.view.stage.off('.modelclick');
      ctx.view.container.removeEventListener('contextmenu', this.onContext);
      ctx.view.container.style.cursor = '';
      delete ctx.view.container.dataset.modelClicks;
    }
    this.group.destroyChildren();
    this.group.remove();
    this.clicks = [];
    this.ctx = undefined;
  }

  cancel(): boolean {
    if (this.clicks.length === 0) return false;
    this.clicks = [];
    this.draw();
    return true;
  }

  refresh(): void {
    this.resetIfMoved();
    this.draw();
  }

  /** Clicks belong to one entity on one frame: another one starts a new mask. */
  private resetIfMoved(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const owner = `${ctx.active()?.index ?? -1}@${ctx.frame()}`;
    if (owner !== this.owner) {
      this.owner = owner;
      this.clicks = [];
    }
  }

  private draw(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    this.group.destroyChildren();
    const scale = ctx.view.scale || 1;
    for (const click of this.clicks) {
      this.group.add(
        new Konva.Circle({
          x: click.x,
          y: click.y,
          radius: 6 / scale,
          fill: click.positive ? '#2ecc71' : '#e74c3c',
          stroke: '#000',
          strokeWidth: 1.5 / scale,
        }),
      );
    }
    ctx.view.container.dataset.modelClicks = String(this.clicks.length);
    ctx.view.editLayer.batchDraw();
  }
}
