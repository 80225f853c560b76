/**
 * Draggable handles for the points of the active entity (area, affordance, trajectory):
 * drag moves a point (committed on dragend), right-click or Alt+click deletes it. Shared
 * by the select, points, affordance and trajectory tools.
 */
import Konva from 'konva';
import type { Grounding, Point } from '../../src/core/model';
import { displayPoints, shownGrounding } from '../state/verification';
import { HALO, LINE } from '../stage/palette';
import type { ToolContext } from './tool';
import { clampToFrame } from './tool';

/** The active entity's point geometry on the current frame, in display pixels. */
export function activePoints(
  ctx: ToolContext,
  tags: readonly Grounding['tag'][],
): { g: Grounding; pts: Point[] } | undefined {
  const a = ctx.active();
  const shown = a && shownGrounding(a.entity);
  if (!shown || shown.g.frame !== ctx.frame() || !tags.includes(shown.g.tag)) return undefined;
  return { g: shown.g, pts: displayPoints(shown.g, ctx.frameSize()) };
}

/** Handle nodes for the active entity's points; rebuilt on every refresh. */
export class PointHandles {
  private readonly group = new Konva.Group();

  constructor(
    private readonly ctx: ToolContext,
    private readonly tags: readonly Grounding['tag'][],
    private readonly opts: { line?: boolean; minPoints?: number } = {},
  ) {
    ctx.view.editLayer.add(this.group);
  }

  /** Rebuilds the handles from the model. */
  refresh(): void {
    this.group.destroyChildren();
    const a = this.ctx.active();
    const cur = activePoints(this.ctx, this.tags);
    this.ctx.own(cur && a ? a.index : undefined);
    if (!a || !cur) {
      this.ctx.view.editLayer.batchDraw();
      return;
    }
    const s = this.ctx.view.scale || 1;
    const dashed = a.entity.grounding ? [] : [6 / s, 4 / s];
    if (this.opts.line && cur.pts.length > 1) {
      const flat = cur.pts.flatMap((p) => [p[0], p[1]]);
      this.group.add(
        new Konva.Line({
          points: flat,
          stroke: HALO,
          strokeWidth: LINE.halo,
          strokeScaleEnabled: false,
          listening: false,
          lineJoin: 'round',
        }),
      );
      this.group.add(
        new Konva.Line({
          points: flat,
          stroke: a.color,
          strokeWidth: LINE.activeOutline,
          strokeScaleEnabled: false,
          dash: dashed,
          listening: false,
          lineJoin: 'round',
        }),
      );
    }
    cur.pts.forEach((p, k) => {
      const c = new Konva.Circle({
        x: p[0],
        y: p[1],
        radius: LINE.activePoint / s,
        fill: a.color,
        stroke: HALO,
        strokeWidth: 2,
        strokeScaleEnabled: false,
        draggable: true,
        name: `point-${k}`,
        hitStrokeWidth: 8,
      });
      c.on('mouseenter', () => {
        this.ctx.view.container.style.cursor = 'move';
      });
      c.on('mouseleave', () => {
        this.ctx.view.container.style.cursor = '';
      });
      c.on('dragmove', () => {
        const q = clampToFrame([c.x(), c.y()], this.ctx.frameSize());
        c.position({ x: q[0], y: q[1] });
      });
      c.on('dragend', () => {
        const pts = cur.pts.slice();
        pts[k] = [c.x(), c.y()];
        this.ctx.commit(cur.g.tag, pts, 'move point');
      });
      const del = (e: Konva.KonvaEventObject<MouseEvent>): void => {
        e.evt.preventDefault();
        e.cancelBubble = true;
        if (cur.pts.length <= (this.opts.minPoints ?? 1)) {
          this.ctx.notify('that is the last point; press Del to mark the entity not groundable');
          return;
        }
        this.ctx.commit(
          cur.g.tag,
          cur.pts.filter((_, j) => j !== k),
          'delete point',
        );
      };
      c.on('contextmenu', del);
      c.on('click', (e) => {
        if (e.evt.altKey) del(e);
        else e.cancelBubble = true;
      });
      this.group.add(c);
    });
    this.ctx.view.editLayer.batchDraw();
  }

  /** Removes the handles. */
  destroy(): void {
    this.group.destroy();
    this.ctx.own(undefined);
    this.ctx.view.editLayer.batchDraw();
  }
}
