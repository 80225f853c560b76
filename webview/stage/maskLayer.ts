/**
 * Every entity's mask on the shown frame, over the frame image and under the geometry: a
 * semi-transparent fill in the entity's colour and an opaque outline (broken for proposals),
 * drawn by one Konva shape from bitmaps cached per entity and frame. Display only.
 */
import Konva from 'konva';
import type { EntityState } from '../../src/core/model';
import type { FrameStage } from './frameStage';
import { maskBitmap } from './maskRaster';
import type { MaskBitmap } from './maskRaster';
import { masksOnFrame } from './maskScene';
import type { ShownMask } from './maskScene';
import { HALO, entityColor } from './palette';

/** What the layer draws. */
export interface MaskSceneInput {
  /** Sample key (line:id): the cache is for one sample at a time. */
  readonly sample: string;
  readonly entities: readonly EntityState[];
  readonly frame: number;
  readonly visible: boolean;
  readonly opacity: number;
  readonly active?: number;
  /** Drawn instead of that entity's mask on this frame (a model click's stored mask, early). */
  readonly override?: ShownMask;
}

/** Bitmaps kept beyond the shown frame, so stepping back and forth does not decode again. */
const CACHE_LIMIT = 48;

/** The mask layer. */
export class MaskLayer {
  private readonly layer = new Konva.Layer({ listening: false });
  private readonly cache = new Map<string, MaskBitmap>();
  private shown: { mask: ShownMask; bitmap: MaskBitmap }[] = [];
  private input: MaskSceneInput = {
    sample: '',
    entities: [],
    frame: 0,
    visible: true,
    opacity: 0.45,
  };

  constructor(private readonly view: FrameStage) {
    this.layer.add(
      new Konva.Shape({
        listening: false,
        perfectDrawEnabled: false,
        sceneFunc: (ctx) => this.draw(ctx),
      }),
    );
    view.stage.add(this.layer);
    // Right above the frame image: geometry and the tools' nodes stay on top of masks.
    this.layer.zIndex(1);
    view.onViewChange(() => this.layer.batchDraw());
  }

  /** Replaces the scene and redraws (decoding only masks that changed). */
  set(input: MaskSceneInput): void {
    if (input.sample !== this.input.sample) this.cache.clear();
    this.input = input;
    const override = input.override;
    const masks = masksOnFrame(input.entities, input.frame).filter(
      (mask) => mask.entity !== override?.entity,
    );
    if (override) masks.push(override);
    masks.sort((a, b) => a.entity - b.entity);
    this.shown = masks.map((mask) => ({
      mask,
      bitmap: this.bitmap(mask),
    }));
    const data = this.view.container.dataset;
    // For tests outside the canvas: entity:area of every mask on this frame, and the settings.
    data.masks = this.shown.map((s) => `${s.mask.entity}:${s.bitmap.area}`).join(',');
    data.maskVisible = String(input.visible);
    data.maskOpacity = input.opacity.toFixed(2);
    this.layer.visible(input.visible);
    this.layer.batchDraw();
  }

  private bitmap(mask: ShownMask): MaskBitmap {
    const key = `${mask.entity}@${mask.frame}`;
    const color = entityColor(mask.entity);
    const known = this.cache.get(key);
    if (
      known &&
      known.counts === mask.rle.counts &&
      known.color === color &&
      known.dashed === mask.proposal &&
      known.height === mask.rle.size[0] &&
      known.width === mask.rle.size[1]
    ) {
      // Refresh its place in the insertion order: the oldest entries go first.
      this.cache.delete(key);
      this.cache.set(key, known);
      return known;
    }
    const made = maskBitmap(mask.rle, color, mask.proposal);
    this.cache.delete(key);
    this.cache.set(key, made);
    while (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return made;
  }

  private draw(ctx: Konva.Context): void {
    const scale = this.view.scale || 1;
    const [frameWidth, frameHeight] = this.view.frameSize;
    // One screen pixel in source pixels: the outline is drawn shifted by it, so it stays
    // visible when a large frame is shown small.
    const step = 1 / scale;
    ctx.setAttr('imageSmoothingEnabled', false);
    const order = this.shown.slice().sort((a, b) => {
      const activeA = a.mask.entity === this.input.active ? 1 : 0;
      const activeB = b.mask.entity === this.input.active ? 1 : 0;
      return activeA - activeB;
    });
    for (const { mask, bitmap } of order) {
      // A mask stored at another size than the frame is stretched onto it (masks are kept at
      // the displayed size; this only happens with a stale file).
      const sx = (frameWidth > 0 ? frameWidth : bitmap.width) / bitmap.width;
      const sy = (frameHeight > 0 ? frameHeight : bitmap.height) / bitmap.height;
      // The canvases cover the mask's tight box: place and stretch them like the whole mask.
      const [x, y] = [bitmap.left * sx, bitmap.top * sy];
      const width = bitmap.fill.width * sx;
      const height = bitmap.fill.height * sy;
      const active = mask.entity === this.input.active;
      ctx.setAttr('globalAlpha', active ? this.input.opacity : this.input.opacity * 0.8);
      ctx.drawImage(bitmap.fill, x, y, width, height);
      ctx.setAttr('globalAlpha', 1);
      for (const [dx, dy] of [
        [0, 0],
        [step, 0],
        [-step, 0],
        [0, step],
        [0, -step],
      ] as const)
        ctx.drawImage(bitmap.outline, x + dx, y + dy, width, height);
      if (mask.score !== undefined && bitmap.box) this.label(ctx, mask, bitmap, scale);
    }
    ctx.setAttr('globalAlpha', 1);
  }

  /** The model's confidence beside a model-made mask, so drift is seen on the stage too. */
  private label(ctx: Konva.Context, mask: ShownMask, bitmap: MaskBitmap, scale: number): void {
    const box = bitmap.box;
    if (!box || mask.score === undefined) return;
    const text = `${mask.entity} · ${mask.score.toFixed(2)}`;
    const x = box[0] + 3 / scale;
    const y = box[3] + 14 / scale;
    ctx.setAttr('font', `bold ${12 / scale}px sans-serif`);
    ctx.setAttr('lineWidth', 3 / scale);
    ctx.setAttr('strokeStyle', HALO);
    ctx.strokeText(text, x, y);
    ctx.setAttr('fillStyle', bitmap.color);
    ctx.fillText(text, x, y);
  }
}
