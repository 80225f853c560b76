/**
 * Display-only geometry of every entity on the current frame, drawn by one Konva shape (one
 * scene function, no hit graph) so that hundreds of shapes redraw within a frame. Proposals
 * are dashed, final groundings solid; each outline sits on a dark halo. The entity a tool
 * is editing is left to that tool's interactive nodes.
 */
import Konva from 'konva';
import type { EntityState, Grounding, Point } from '../../src/core/model';
import { displayPoints, shownGrounding } from '../state/verification';
import type { FrameStage } from './frameStage';
import { DASH, HALO, LINE, entityColor } from './palette';

/** What the layer draws. */
export interface GroundingScene {
  readonly entities: readonly EntityState[];
  readonly frame: number;
  readonly frameSize: readonly [number, number];
  readonly active?: number;
  /** Entity drawn by the active tool instead (skipped here). */
  readonly exclude?: number;
}

type Ctx = Konva.Context;

/** The geometry layer. */
export class GroundingLayer {
  private readonly shape: Konva.Shape;
  private scene: GroundingScene = { entities: [], frame: 0, frameSize: [0, 0] };

  constructor(private readonly view: FrameStage) {
    this.shape = new Konva.Shape({
      listening: false,
      perfectDrawEnabled: false,
      sceneFunc: (ctx) => this.draw(ctx),
    });
    view.shapesLayer.add(this.shape);
    view.onViewChange(() => view.shapesLayer.batchDraw());
  }

  /** Replaces the scene and redraws. */
  set(scene: GroundingScene): void {
    this.scene = scene;
    this.view.shapesLayer.batchDraw();
  }

  private draw(ctx: Ctx): void {
    const { entities, frame, frameSize, active, exclude } = this.scene;
    const s = this.view.scale || 1;
    // Draw the active entity last so it is on top.
    const order = entities.map((_, i) => i).filter((i) => i !== active);
    if (active !== undefined) order.push(active);
    const dashed: number[] = [];
    for (const i of order) {
      const e = entities[i] as EntityState;
      const shown = shownGrounding(e);
      if (!shown || shown.g.frame !== frame) continue;
      // The entity a tool owns is drawn by that tool, dashed too while it is a proposal.
      if (shown.proposal) dashed.push(i);
      if (i === exclude) continue;
      this.drawGrounding(
        ctx,
        shown.g,
        displayPoints(shown.g, frameSize),
        entityColor(i),
        shown.proposal,
        i === active,
        s,
        i,
      );
    }
    // For tests outside the canvas: which entities are drawn dashed (proposals) on this frame.
    this.view.container.dataset.dashed = dashed.join(',');
  }

  private drawGrounding(
    ctx: Ctx,
    g: Grounding,
    pts: readonly Point[],
    color: string,
    dashed: boolean,
    active: boolean,
    s: number,
    index: number,
  ): void {
    const lw = (active ? LINE.activeOutline : LINE.outline) / s;
    const halo = LINE.halo / s + (active ? 1 / s : 0);
    const dash = dashed ? DASH.map((d) => d / s) : [];
    const r = (active ? LINE.activePoint : LINE.point) / s;
    const path = (): void => {
      ctx.beginPath();
      if ((g.tag === 'object' || g.tag === 'grasp_pose') && pts.length === 2) {
        const [a, b] = pts as [Point, Point];
        ctx.rect(
          Math.min(a[0], b[0]),
          Math.min(a[1], b[1]),
          Math.abs(b[0] - a[0]),
          Math.abs(b[1] - a[1]),
        );
      } else if (g.tag === 'grasp_pose' && pts.length === 4) {
        pts.forEach((p, k) => (k === 0 ? ctx.moveTo(p[0], p[1]) : ctx.lineTo(p[0], p[1])));
        ctx.closePath();
      } else if (g.tag === 'trajectory') {
        pts.forEach((p, k) => (k === 0 ? ctx.moveTo(p[0], p[1]) : ctx.lineTo(p[0], p[1])));
      }
    };
    const stroke = (style: string, width: number, d: number[]): void => {
      ctx.setAttr('strokeStyle', style);
      ctx.setAttr('lineWidth', width);
      ctx.setLineDash(d);
      ctx.stroke();
    };
    ctx.setAttr('lineJoin', 'round');
    if (g.tag === 'object' || g.tag === 'grasp_pose' || g.tag === 'trajectory') {
      path();
      stroke(HALO, halo, []);
      stroke(color, lw, dash);
    }
    if (g.tag !== 'object' && g.tag !== 'grasp_pose') {
      for (const p of pts) {
        ctx.beginPath();
        ctx.arc(p[0], p[1], r, 0, Math.PI * 2);
        ctx.setAttr('fillStyle', dashed ? 'rgba(0,0,0,0.35)' : color);
        ctx.fill();
        stroke(HALO, 2 / s, []);
        ctx.beginPath();
        ctx.arc(p[0], p[1], r, 0, Math.PI * 2);
        stroke(color, 1.5 / s, dash);
        if (g.tag === 'affordance') {
          ctx.beginPath();
          ctx.arc(p[0], p[1], r * 2.2, 0, Math.PI * 2);
          stroke(HALO, halo, []);
          stroke(color, lw, dash);
        }
      }
    }
    const first = pts[0];
    if (first) {
      const x = (g.tag === 'object' && pts[1] ? Math.min(first[0], pts[1][0]) : first[0]) + 3 / s;
      const y =
        (g.tag === 'object' && pts[1] ? Math.min(first[1], pts[1][1]) : first[1] - 2 * r) - 4 / s;
      ctx.setAttr('font', `bold ${12 / s}px sans-serif`);
      ctx.setAttr('lineWidth', 3 / s);
      ctx.setAttr('strokeStyle', HALO);
      ctx.setLineDash([]);
      ctx.strokeText(String(index), x, y);
      ctx.setAttr('fillStyle', color);
      ctx.fillText(String(index), x, y);
    }
  }
}
