/**
 * The point tools (areas, affordance, trajectory, grasp pose): one class, parameterised by
 * the grounding tag and its point rule (DESIGN.md section 1). A click adds a point to the
 * active entity's grounding of that tag on this frame (one click, one undo step); handles
 * move and delete points. A click on another frame, or over another tag, starts afresh.
 */
import Konva from 'konva';
import { pointCountOk } from '../../src/core/chainOfPoint';
import type { GroundingTag, Point } from '../../src/core/model';
import { HALO, LINE } from '../stage/palette';
import { PointHandles, activePoints } from './pointHandles';
import type { Tool, ToolContext } from './tool';
import { clampToFrame, onBackground } from './tool';

/** The ids of the point tools (a subset of the store's ToolId). */
export type PointToolId = 'points' | 'affordance' | 'trajectory' | 'graspPose';

/** What makes one point tool differ from the others. */
export interface PointToolSpec {
  readonly id: PointToolId;
  readonly tag: GroundingTag;
  /** The most points a click may bring the grounding to. */
  readonly maxPoints: number;
  /** The refusal shown when a click would pass `maxPoints` (a one-point tag is replaced). */
  readonly fullText: string;
  /** The undo label of a click. */
  readonly label: string;
  /**
   * Point counts a click may store. A click that makes any other count is held as a pending
   * point until the next one makes a storable count (the third corner of a grasp pose).
   */
  storable(count: number): boolean;
}

/** The point tools, by id (counts from DESIGN.md section 1). */
export const POINT_TOOLS: Readonly<Record<PointToolId, PointToolSpec>> = {
  // DESIGN.md targets 5 points per area; 50 is plenty and keeps a stuck mouse harmless.
  points: {
    id: 'points',
    tag: 'area',
    maxPoints: 50,
    fullText: 'an area holds at most 50 points here',
    label: 'add point',
    storable: (count) => pointCountOk('area', count),
  },
  affordance: {
    id: 'affordance',
    tag: 'affordance',
    maxPoints: 1,
    fullText: 'an affordance is one contact point',
    label: 'set contact point',
    storable: (count) => pointCountOk('affordance', count),
  },
  // A path is stored from its first point, so it shows and undoes click by click; the
  // validator reports a one-point path that is left that way.
  trajectory: {
    id: 'trajectory',
    tag: 'trajectory',
    maxPoints: 10,
    fullText: 'a trajectory has at most 10 points',
    label: 'add trajectory point',
    storable: (count) => count >= 1 && count <= 10,
  },
  graspPose: {
    id: 'graspPose',
    tag: 'grasp_pose',
    maxPoints: 4,
    fullText: 'a grasp pose has 2 or 4 corners',
    label: 'add grasp corner',
    storable: (count) => pointCountOk('grasp_pose', count),
  },
};

/** One point tool; `new PointTool(POINT_TOOLS.trajectory)` is the trajectory tool. */
export class PointTool implements Tool {
  readonly id: PointToolId;
  private ctx: ToolContext | undefined;
  private handles: PointHandles | undefined;
  /** Clicks not stored yet (they would make a count the grammar refuses), in display pixels. */
  private pending: Point[] = [];
  /** The entity and frame the pending clicks belong to ("index:frame"). */
  private pendingFor = '';
  private readonly pendingGroup = new Konva.Group({ listening: false });

  constructor(private readonly spec: PointToolSpec) {
    this.id = spec.id;
  }

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    this.handles = new PointHandles(ctx, [this.spec.tag]);
    ctx.view.editLayer.add(this.pendingGroup);
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.stage.on(`click.${this.id}`, (event) => {
      if (event.evt.button !== 0 || ctx.view.panning) return;
      if (!onBackground(event.target, ctx.view.stage)) return;
      this.click(ctx);
    });
    this.refresh();
  }

  deactivate(): void {
    this.handles?.destroy();
    this.pendingGroup.remove();
    if (this.ctx) {
      this.ctx.view.stage.off(`.${this.id}`);
      this.ctx.view.container.style.cursor = '';
    }
    this.ctx = this.handles = undefined;
    this.pending = [];
  }

  cancel(): boolean {
    if (this.pending.length === 0) return false;
    this.pending = [];
    this.drawPending();
    return true;
  }

  refresh(): void {
    this.handles?.refresh();
    if (this.ctx && this.pendingFor !== this.placeOf(this.ctx)) this.pending = [];
    this.drawPending();
  }

  private placeOf(ctx: ToolContext): string {
    return `${ctx.active()?.index ?? ''}:${ctx.frame()}`;
  }

  private click(ctx: ToolContext): void {
    if (!ctx.active()) {
      ctx.notify('select an entity first (Tab)');
      return;
    }
    const pointer = ctx.view.pointer();
    if (!pointer) return;
    const point = clampToFrame(pointer, ctx.frameSize());
    const { spec } = this;
    if (spec.maxPoints === 1) {
      ctx.commit(spec.tag, [point], spec.label);
      return;
    }
    const stored = activePoints(ctx, [spec.tag])?.points ?? [];
    const next = [...stored, ...this.pending, point];
    if (next.length > spec.maxPoints) {
      ctx.notify(spec.fullText);
      return;
    }
    if (!spec.storable(next.length)) {
      this.pending = next.slice(stored.length);
      this.pendingFor = this.placeOf(ctx);
      this.drawPending();
      ctx.notify(`${next.length} points: one more to store (${spec.fullText}; Esc drops it)`);
      return;
    }
    this.pending = [];
    this.drawPending();
    ctx.commit(spec.tag, next, spec.label);
  }

  /** Pending clicks are drawn hollow: they are not in the document yet. */
  private drawPending(): void {
    this.pendingGroup.destroyChildren();
    const ctx = this.ctx;
    if (!ctx) return;
    const scale = ctx.view.scale || 1;
    for (const [x, y] of this.pending)
      this.pendingGroup.add(
        new Konva.Circle({
          x,
          y,
          radius: LINE.activePoint / scale,
          stroke: HALO,
          strokeWidth: 2,
          strokeScaleEnabled: false,
          dash: [3, 3],
          name: 'pending-point',
        }),
      );
    ctx.view.editLayer.batchDraw();
  }
}
