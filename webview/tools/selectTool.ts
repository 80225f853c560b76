/**
 * Select / move / resize: the active entity's box gets a Konva Transformer, its points get
 * drag handles. The model changes once per gesture, on dragend or transformend, where the
 * Transformer's scale is folded back into width and height (Konva scales, we store pixels).
 */
import Konva from 'konva';
import { displayPoints, shownGrounding } from '../state/verification';
import { HALO, LINE } from '../stage/palette';
import { PointHandles } from './pointHandles';
import type { Tool, ToolContext } from './tool';
import { clampToFrame } from './tool';

/** The select tool. */
export class SelectTool implements Tool {
  readonly id = 'select' as const;
  private ctx: ToolContext | undefined;
  private group: Konva.Group | undefined;
  private handles: PointHandles | undefined;

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    this.group = new Konva.Group();
    ctx.view.editLayer.add(this.group);
    this.handles = new PointHandles(ctx, ['area', 'affordance', 'trajectory', 'grasp_pose']);
    this.refresh();
  }

  deactivate(): void {
    this.handles?.destroy();
    this.group?.destroy();
    this.ctx?.own(undefined);
    this.ctx?.view.editLayer.batchDraw();
    this.ctx = this.group = this.handles = undefined;
  }

  cancel(): boolean {
    return false;
  }

  refresh(): void {
    const ctx = this.ctx;
    const group = this.group;
    if (!ctx || !group) return;
    group.destroyChildren();
    this.handles?.refresh();
    const active = ctx.active();
    const shown = active && shownGrounding(active.entity);
    if (
      !active ||
      !shown ||
      shown.g.frame !== ctx.frame() ||
      shown.g.tag !== 'object' ||
      shown.g.points.length !== 2
    ) {
      ctx.view.editLayer.batchDraw();
      return;
    }
    ctx.own(active.index);
    const [topLeft, bottomRight] = displayPoints(shown.g, ctx.frameSize()) as [
      readonly [number, number],
      readonly [number, number],
    ];
    const scale = ctx.view.scale || 1;
    const box = {
      x: Math.min(topLeft[0], bottomRight[0]),
      y: Math.min(topLeft[1], bottomRight[1]),
      width: Math.abs(bottomRight[0] - topLeft[0]),
      height: Math.abs(bottomRight[1] - topLeft[1]),
    };
    const halo = new Konva.Rect({
      ...box,
      stroke: HALO,
      strokeWidth: LINE.halo,
      strokeScaleEnabled: false,
      listening: false,
    });
    const rect = new Konva.Rect({
      ...box,
      stroke: active.color,
      strokeWidth: LINE.activeOutline,
      strokeScaleEnabled: false,
      dash: active.entity.grounding ? [] : [7 / scale, 5 / scale],
      draggable: true,
      fill: 'rgba(0,0,0,0.001)',
      name: 'active-box',
    });
    const follow = (): void => {
      halo.setAttrs({
        x: rect.x(),
        y: rect.y(),
        width: rect.width() * rect.scaleX(),
        height: rect.height() * rect.scaleY(),
      });
    };
    rect.on('dragmove transform', follow);
    const tr = new Konva.Transformer({
      nodes: [rect],
      rotateEnabled: false,
      keepRatio: false,
      ignoreStroke: true,
      anchorSize: 9,
      borderEnabled: false,
      anchorStroke: active.color,
      anchorFill: '#fff',
      flipEnabled: false,
    });
    const commit = (label: string): void => {
      // Fold the scale into the size: stored geometry is in pixels, never a transform.
      const width = rect.width() * rect.scaleX();
      const height = rect.height() * rect.scaleY();
      rect.setAttrs({ width: width, height: height, scaleX: 1, scaleY: 1 });
      const size = ctx.frameSize();
      const tl = clampToFrame([rect.x(), rect.y()], size);
      const br = clampToFrame([rect.x() + width, rect.y() + height], size);
      ctx.commit('object', [tl, br], label);
    };
    rect.on('dragend', () => commit('move box'));
    rect.on('transformend', () => commit('resize box'));
    group.add(halo, rect, tr);
    ctx.view.editLayer.batchDraw();
  }
}
