/**
 * The Konva stage: one frame image in source pixels, with the view transform (zoom with the
 * wheel, pan with space-drag or the middle button, fit) applied by the stage itself. Shapes
 * on its layers use source-pixel coordinates; nothing here knows about entities.
 */
import Konva from 'konva';
import type { Point } from '../../src/core/model';
import { h } from '../dom';

const MIN_SCALE = 0.02;
const MAX_SCALE = 40;

/** The frame canvas with its view transform. */
export class FrameStage {
  readonly container: HTMLDivElement;
  readonly stage: Konva.Stage;
  readonly imageLayer = new Konva.Layer({ listening: false });
  /** Display-only geometry of every entity. */
  readonly shapesLayer = new Konva.Layer({ listening: false });
  /** Interactive nodes of the active tool. */
  readonly editLayer = new Konva.Layer();
  private readonly image = new Konva.Image({ x: 0, y: 0, image: undefined, listening: false });
  private size: [number, number] = [0, 0];
  private fitted = true;
  private pan: { x: number; y: number; ox: number; oy: number } | undefined;
  /** True while Space is held (space-drag pans). */
  spaceHeld = false;
  /** True once the current space press moved the view (so its keyup does not toggle play). */
  spacePanned = false;
  private readonly viewListeners: (() => void)[] = [];

  constructor(parent: HTMLElement) {
    this.container = h('div', {
      class: 'stage',
      'data-testid': 'stage',
      tabindex: '0',
      'data-frame': '0',
      'aria-label': 'frame',
    });
    parent.append(this.container);
    this.stage = new Konva.Stage({
      container: this.container,
      width: Math.max(1, this.container.clientWidth),
      height: Math.max(1, this.container.clientHeight),
    });
    this.imageLayer.add(this.image);
    this.stage.add(this.imageLayer, this.shapesLayer, this.editLayer);
    new ResizeObserver(() => this.resize()).observe(this.container);
    this.container.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    // Capture phase: a pan gesture never reaches the tools' Konva handlers.
    this.container.addEventListener('pointerdown', (e) => this.onPointerDown(e), true);
    this.container.addEventListener(
      'mousedown',
      (e) => {
        if (this.pan || e.button === 1) e.stopPropagation();
      },
      true,
    );
    window.addEventListener('pointermove', (e) => this.onPointerMove(e));
    window.addEventListener('pointerup', () => this.endPan());
    this.container.addEventListener('auxclick', (e) => e.preventDefault());
  }

  /** Shows a frame image (or none) of `size` source pixels; `index` goes to `data-frame`. */
  showFrame(
    index: number,
    img: CanvasImageSource | undefined,
    size: readonly [number, number],
    sample?: string,
  ): void {
    this.container.dataset.frame = String(index);
    if (sample !== undefined) this.container.dataset.sample = sample;
    const changed = size[0] !== this.size[0] || size[1] !== this.size[1];
    this.size = [size[0], size[1]];
    this.image.image(img);
    this.image.width(size[0]);
    this.image.height(size[1]);
    if (changed && this.fitted) this.fit();
    this.imageLayer.batchDraw();
    if (img) this.container.dataset.ready = 'true';
    else delete this.container.dataset.ready;
  }

  /**
   * Marks the frame as not drawn yet (loading). The old image stays while stepping within a
   * sample (no flicker), but never across samples: another video's frame would mislead.
   */
  markLoading(index: number, sample?: string): void {
    if (
      sample !== undefined &&
      this.container.dataset.sample !== undefined &&
      sample !== this.container.dataset.sample
    ) {
      this.image.image(undefined);
      this.imageLayer.batchDraw();
    }
    this.container.dataset.frame = String(index);
    if (sample !== undefined) this.container.dataset.sample = sample;
    delete this.container.dataset.ready;
  }

  /** Zooms so the whole frame is visible and centred. */
  fit(): void {
    const [width, height] = this.size;
    const cw = this.stage.width();
    const ch = this.stage.height();
    if (!(width > 0 && height > 0)) return;
    const scale = Math.min(cw / width, ch / height) * 0.98;
    this.setView(scale, (cw - width * scale) / 2, (ch - height * scale) / 2);
    this.fitted = true;
  }

  /** Zooms by `factor` around a point in container pixels (default: the centre). */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const s0 = this.scale;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, s0 * factor));
    const anchor = at ?? { x: this.stage.width() / 2, y: this.stage.height() / 2 };
    const pos = this.stage.position();
    const sx = (anchor.x - pos.x) / s0;
    const sy = (anchor.y - pos.y) / s0;
    this.setView(scale, anchor.x - sx * scale, anchor.y - sy * scale);
    this.fitted = false;
  }

  /** Screen pixels per source pixel. */
  get scale(): number {
    return this.stage.scaleX();
  }

  /** The pointer in source pixels, or undefined when it is off the stage. */
  pointer(): Point | undefined {
    const pointer = this.stage.getRelativePointerPosition();
    return pointer ? [pointer.x, pointer.y] : undefined;
  }

  /** True while a pan gesture is in progress. */
  get panning(): boolean {
    return this.pan !== undefined;
  }

  /** Registers a callback for zoom and pan (handle sizes depend on the scale). */
  onViewChange(cb: () => void): void {
    this.viewListeners.push(cb);
  }

  /** The displayed frame size in source pixels. */
  get frameSize(): readonly [number, number] {
    return this.size;
  }

  private setView(scale: number, x: number, y: number): void {
    this.stage.scale({ x: scale, y: scale });
    this.stage.position({ x, y });
    // The view transform, for tests that aim the mouse at source pixels.
    this.container.dataset.view = `${scale.toFixed(6)},${x.toFixed(2)},${y.toFixed(2)}`;
    this.stage.batchDraw();
    for (const listener of this.viewListeners) listener();
  }

  private resize(): void {
    const width = Math.max(1, this.container.clientWidth);
    const hh = Math.max(1, this.container.clientHeight);
    if (width === this.stage.width() && hh === this.stage.height()) return;
    this.stage.size({ width: width, height: hh });
    if (this.fitted) this.fit();
    else this.stage.batchDraw();
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const rect = this.container.getBoundingClientRect();
    this.zoomBy(Math.exp(-event.deltaY * 0.0015), {
      x: event.clientX - rect.left,
      y: event.clientY - rect.top,
    });
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 1 && !(event.button === 0 && this.spaceHeld)) return;
    event.preventDefault();
    event.stopPropagation();
    const pos = this.stage.position();
    this.pan = { x: event.clientX, y: event.clientY, ox: pos.x, oy: pos.y };
    this.container.classList.add('panning');
    this.container.focus();
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.pan) return;
    if (this.spaceHeld) this.spacePanned = true;
    this.setView(
      this.scale,
      this.pan.ox + event.clientX - this.pan.x,
      this.pan.oy + event.clientY - this.pan.y,
    );
    this.fitted = false;
  }

  private endPan(): void {
    if (!this.pan) return;
    this.pan = undefined;
    this.container.classList.remove('panning');
  }
}
