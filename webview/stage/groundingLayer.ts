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
    const scale = this.view.scale || 1;
    // Draw the active entity last so it is on top.
    const order = entities.map((_, i) => i).filter((i) => i !== active);
    if (active !== undefined) order.push(active);
    const dashed: number[] = [];
    for (const index of order) {
      const entity = entities[index] as EntityState;
      // An answer's further acceptable frame (issue 15) is drawn on its own frame.
      const also = entity.alternates?.find((g) => g.frame === frame);
      const shown = also ? { g: also, proposal: false } : shownGrounding(entity);
      if (!shown || shown.g.frame !== frame) continue;
      // The entity a tool owns is drawn by that tool, dashed too while it is a proposal.
      if (shown.proposal) dashed.push(index);
      if (index === exclude) continue;
      this.drawGrounding(
        ctx,
        shown.g,
        displayPoints(shown.g, frameSize),
        entityColor(index),
        shown.proposal,
        index === active,
        scale,
        index,
      );
    }
    // For tests outside the canvas: which entities are drawn dashed (proposals) on this frame.
    this.view.container.dataset.dashed = dashed.join(',');
  }

  private drawGrounding(
    ctx: Ctx,
    grounding: Grounding,
    pts: readonly Point[],
    color: string,
    dashed: boolean,
    active: boolean,
    scale: number,
    index: number,
  ): void {
    const lw = (active ? LINE.activeOutline : LINE.outline) / scale;
    const halo = LINE.halo / scale + (active ? 1 / scale : 0);
    const dash = dashed ? DASH.map((d) => d / scale) : [];
    const radius = (active ? LINE.activePoint : LINE.point) / scale;
    const path = (): void => {
      ctx.beginPath();
      if ((grounding.tag === 'object' || grounding.tag === 'grasp_pose') && pts.length === 2) {
        const [corner, opposite] = pts as [Point, Point];
        ctx.rect(
          Math.min(corner[0], opposite[0]),
          Math.min(corner[1], opposite[1]),
          Math.abs(opposite[0] - corner[0]),
          Math.abs(opposite[1] - corner[1]),
        );
      } else if (grounding.tag === 'grasp_pose' && pts.length === 4) {
        pts.forEach((p, k) => (k === 0 ? ctx.moveTo(p[0], p[1]) : ctx.lineTo(p[0], p[1])));
        ctx.closePath();
      } else if (grounding.tag === 'trajectory') {
        pts.forEach((p, k) => (k === 0 ? ctx.moveTo(p[0], p[1]) : ctx.lineTo(p[0], p[1])));
      }
    };
    const stroke = (style: string, width: number, pattern: number[]): void => {
      ctx.setAttr('strokeStyle', style);
      ctx.setAttr('lineWidth', width);
      ctx.setLineDash(pattern);
      ctx.stroke();
    };
    ctx.setAttr('lineJoin', 'round');
    if (
      grounding.tag === 'object' ||
      grounding.tag === 'grasp_pose' ||
      grounding.tag === 'trajectory'
    ) {
      path();
      stroke(HALO, halo, []);
      stroke(color, lw, dash);
    }
    if (grounding.tag !== 'object' && grounding.tag !== 'grasp_pose') {
      for (const point of pts) {
        ctx.beginPath();
        ctx.arc(point[0], point[1], radius, 0, Math.PI * 2);
        ctx.setAttr('fillStyle', dashed ? 'rgba(0,0,0,0.35)' : color);
        ctx.fill();
        stroke(HALO, 2 / scale, []);
        ctx.beginPath();
        ctx.arc(point[0], point[1], radius, 0, Math.PI * 2);
        stroke(color, 1.5 / scale, dash);
        if (grounding.tag === 'affordance') {
          ctx.beginPath();
          ctx.arc(point[0], point[1], radius * 2.2, 0, Math.PI * 2);
          stroke(HALO, halo, []);
          stroke(color, lw, dash);
        }
      }
    }
    const first = pts[0];
    if (first) {
      const labelX =
        (grounding.tag === 'object' && pts[1] ? Math.min(first[0], pts[1][0]) : first[0]) +
        3 / scale;
      const labelY =
        (grounding.tag === 'object' && pts[1]
          ? Math.min(first[1], pts[1][1])
          : first[1] - 2 * radius) -
        4 / scale;
      ctx.setAttr('font', `bold ${12 / scale}px sans-serif`);
      ctx.setAttr('lineWidth', 3 / scale);
      ctx.setAttr('strokeStyle', HALO);
      ctx.setLineDash([]);
      const label = this.label(index);
      ctx.strokeText(label, labelX, labelY);
      ctx.setAttr('fillStyle', color);
      ctx.fillText(label, labelX, labelY);
    }
  }

  /** The entity's name beside its number (a bare number had to be looked up in the list). */
  private label(index: number): string {
    const text = this.scene.entities[index]?.text ?? '';
    const short = text.length > 28 ? `${text.slice(0, 27)}…` : text;
    return short ? `${index} ${short}` : String(index);
  }
}
