/**
 * Draggable handles for the points of the active entity (area, affordance, trajectory,
 * grasp pose): drag moves a point (committed on dragend), right-click or Alt+click deletes
 * it. A path is drawn through trajectory points and around grasp-pose corners. Shared by
 * the select tool and the point tools.
 */
import Konva from 'konva';
import { pointCountOk, pointCountRule } from '../../src/core/chainOfPoint';
import type { Grounding, Point } from '../../src/core/model';
import { displayPoints, shownGrounding } from '../state/verification';
import { HALO, LINE } from '../stage/palette';
import type { ToolContext } from './tool';
import { clampToFrame } from './tool';

/** The active entity's point geometry on the current frame, in display pixels. */
export function activePoints(
  ctx: ToolContext,
  tags: readonly Grounding['tag'][],
): { grounding: Grounding; points: Point[] } | undefined {
  const active = ctx.active();
  const shown = active && shownGrounding(active.entity);
  if (!shown || shown.g.frame !== ctx.frame() || !tags.includes(shown.g.tag)) return undefined;
  return { grounding: shown.g, points: displayPoints(shown.g, ctx.frameSize()) };
}

/** Handle nodes for the active entity's points; rebuilt on every refresh. */
export class PointHandles {
  private readonly group = new Konva.Group();

  constructor(
    private readonly ctx: ToolContext,
    private readonly tags: readonly Grounding['tag'][],
  ) {
    ctx.view.editLayer.add(this.group);
  }

  /** Rebuilds the handles from the model. */
  refresh(): void {
    this.group.destroyChildren();
    const active = this.ctx.active();
    const current = activePoints(this.ctx, this.tags);
    this.ctx.own(current && active ? active.index : undefined);
    if (!active || !current) {
      this.ctx.view.editLayer.batchDraw();
      return;
    }
    const scale = this.ctx.view.scale || 1;
    const { grounding, points } = current;
    const pathed = grounding.tag === 'trajectory' || grounding.tag === 'grasp_pose';
    if (pathed && points.length > 1) {
      // A proposal (no grounding yet) is dashed, like every other proposal on the stage.
      const dash = active.entity.grounding ? [] : [6 / scale, 4 / scale];
      this.addPath(points, grounding.tag === 'grasp_pose', active.color, dash);
    }
    points.forEach((point, index) => this.addHandle(grounding, points, index, active.color));
    this.ctx.view.editLayer.batchDraw();
  }

  private addPath(points: readonly Point[], closed: boolean, color: string, dash: number[]): void {
    const flat = points.flatMap(([x, y]) => [x, y]);
    const common = { points: flat, closed, strokeScaleEnabled: false, listening: false };
    this.group.add(
      new Konva.Line({ ...common, stroke: HALO, strokeWidth: LINE.halo, lineJoin: 'round' }),
      new Konva.Line({
        ...common,
        stroke: color,
        strokeWidth: LINE.activeOutline,
        dash,
        lineJoin: 'round',
      }),
    );
  }

  private addHandle(
    grounding: Grounding,
    points: readonly Point[],
    index: number,
    color: string,
  ): void {
    const [x, y] = points[index] ?? [0, 0];
    const handle = new Konva.Circle({
      x,
      y,
      radius: LINE.activePoint / (this.ctx.view.scale || 1),
      fill: color,
      stroke: HALO,
      strokeWidth: 2,
      strokeScaleEnabled: false,
      draggable: true,
      name: `point-${index}`,
      hitStrokeWidth: 8,
    });
    handle.on('mouseenter', () => {
      this.ctx.view.container.style.cursor = 'move';
    });
    handle.on('mouseleave', () => {
      this.ctx.view.container.style.cursor = '';
    });
    handle.on('dragmove', () => {
      const [cx, cy] = clampToFrame([handle.x(), handle.y()], this.ctx.frameSize());
      handle.position({ x: cx, y: cy });
    });
    handle.on('dragend', () => {
      const moved = points.slice();
      moved[index] = [handle.x(), handle.y()];
      this.ctx.commit(grounding.tag, moved, 'move point');
    });
    const remove = (event: Konva.KonvaEventObject<MouseEvent>): void => {
      event.evt.preventDefault();
      event.cancelBubble = true;
      this.removePoint(grounding, points, index);
    };
    handle.on('contextmenu', remove);
    handle.on('click', (event) => {
      if (event.evt.altKey) remove(event);
      else event.cancelBubble = true;
    });
    this.group.add(handle);
  }

  private removePoint(grounding: Grounding, points: readonly Point[], index: number): void {
    const left = points.length - 1;
    if (left < 1) {
      this.ctx.notify('that is the last point; press Del to mark the entity not groundable');
      return;
    }
    // A deletion never turns a grounding the grammar accepts into one it refuses.
    if (pointCountOk(grounding.tag, points.length) && !pointCountOk(grounding.tag, left)) {
      this.ctx.notify(`a ${grounding.tag} has ${pointCountRule(grounding.tag).text} points`);
      return;
    }
    this.ctx.commit(
      grounding.tag,
      points.filter((_, other) => other !== index),
      'delete point',
    );
  }

  /** Removes the handles. */
  destroy(): void {
    this.group.destroy();
    this.ctx.own(undefined);
    this.ctx.view.editLayer.batchDraw();
  }
}
