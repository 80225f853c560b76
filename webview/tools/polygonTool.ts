/**
 * Polygon tool: each click adds a vertex; clicking the first vertex again (or double-clicking
 * the last) closes the outline and adds its inside to the active entity's mask on this frame,
 * as one op. With Shift or Alt held on any click the polygon subtracts instead (drawn red).
 * Esc drops the outline in progress.
 */
import Konva from 'konva';
import type { Point } from '../../src/core/model';
import { HALO } from '../stage/palette';
import type { Tool, ToolContext } from './tool';
import { clampToFrame } from './tool';

/** Screen pixels within which a click on the first vertex closes the polygon. */
const CLOSE_RADIUS = 8;
/** Screen pixels within which a press on the last vertex is a double click that closes. */
const SAME_SPOT = 4;
/** The colour of a subtracting outline. */
const SUBTRACT = '#ff4d4d';

/** The polygon tool. */
export class PolygonTool implements Tool {
  readonly id = 'polygon' as const;
  private ctx: ToolContext | undefined;
  private vertices: Point[] = [];
  private subtract = false;
  private readonly group = new Konva.Group({ listening: false });

  activate(ctx: ToolContext): void {
    this.ctx = ctx;
    const stage = ctx.view.stage;
    ctx.view.container.style.cursor = 'crosshair';
    ctx.view.editLayer.add(this.group);
    stage.on('mousedown.polygon', (event) => {
      if (event.evt.button !== 0 || ctx.view.panning) return;
      if (!ctx.active()) {
        ctx.notify('select an entity first (Tab)');
        return;
      }
      const pointer = ctx.view.pointer();
      if (!pointer) return;
      const point = clampToFrame(pointer, ctx.frameSize());
      if (event.evt.shiftKey || event.evt.altKey) this.subtract = true;
      const first = this.vertices[0];
      const scale = ctx.view.scale || 1;
      if (
        first &&
        this.vertices.length >= 3 &&
        Math.hypot(point[0] - first[0], point[1] - first[1]) * scale <= CLOSE_RADIUS
      ) {
        this.close();
        return;
      }
      // A second press on the last vertex (a double click) closes too. Konva's own dblclick
      // does not look at the distance, so quick clicks on new vertices would close early.
      const last = this.vertices.at(-1);
      if (
        last &&
        this.vertices.length >= 3 &&
        Math.hypot(point[0] - last[0], point[1] - last[1]) * scale <= SAME_SPOT
      ) {
        this.close();
        return;
      }
      this.vertices.push(point);
      this.draw(point);
    });
    stage.on('mousemove.polygon', () => {
      if (this.vertices.length === 0) return;
      const pointer = ctx.view.pointer();
      if (pointer) this.draw(clampToFrame(pointer, ctx.frameSize()));
    });
  }

  private close(): void {
    const ctx = this.ctx;
    const vertices = this.vertices;
    const value = this.subtract ? 0 : 1;
    this.reset();
    if (ctx && vertices.length >= 3) ctx.masks.polygon(vertices, value);
  }

  /** Draws the outline so far, with a rubber band to `pointer`. */
  private draw(pointer?: Point): void {
    const ctx = this.ctx;
    if (!ctx) return;
    this.group.destroyChildren();
    ctx.view.container.dataset.polygonVertices = String(this.vertices.length);
    if (this.vertices.length > 0) {
      const scale = ctx.view.scale || 1;
      const color = this.subtract ? SUBTRACT : (ctx.active()?.color ?? '#fff');
      const flat = [...this.vertices, ...(pointer ? [pointer] : [])].flatMap((p) => [p[0], p[1]]);
      for (const [stroke, width] of [
        [HALO, 4],
        [color, 2],
      ] as const)
        this.group.add(
          new Konva.Line({
            points: flat,
            stroke,
            strokeWidth: width / scale,
            dash: this.subtract ? [6 / scale, 4 / scale] : [],
            closed: false,
            lineJoin: 'round',
          }),
        );
      this.vertices.forEach((vertex, index) =>
        this.group.add(
          new Konva.Circle({
            x: vertex[0],
            y: vertex[1],
            radius: (index === 0 ? CLOSE_RADIUS : 3.5) / scale,
            fill: index === 0 ? 'rgba(255, 255, 255, 0.25)' : color,
            stroke: color,
            strokeWidth: 1.5 / scale,
          }),
        ),
      );
    }
    ctx.view.editLayer.batchDraw();
  }

  private reset(): void {
    this.vertices = [];
    this.subtract = false;
    this.draw();
  }

  deactivate(): void {
    this.reset();
    this.group.remove();
    if (this.ctx) {
      this.ctx.view.stage.off('.polygon');
      this.ctx.view.container.style.cursor = '';
      delete this.ctx.view.container.dataset.polygonVertices;
    }
    this.ctx = undefined;
  }

  cancel(): boolean {
    const had = this.vertices.length > 0;
    this.reset();
    return had;
  }

  refresh(): void {
    /* The outline belongs to the frame it was started on: another entity or frame drops it. */
    if (this.vertices.length > 0 && this.ctx) this.draw();
  }
}
