/**
 * Mask corrections of the active entity on the shown frame: the brush, eraser and polygon
 * tools and the clean-ups (fill holes, keep the largest part, clear) each compute the whole
 * new mask with core's raster helpers and send it as one `mask/set` (or `mask/clear` when
 * nothing is left): one gesture, one op, one undo step. The host decides what the mask
 * changes (the box or area points follow it when they were made from it).
 */
import type { Mask } from '../src/core/mask';
import type { Point } from '../src/core/model';
import type { ViewLeafOp } from '../src/core/ops';
import { fillPolygon, paintStroke, emptyMask } from '../src/core/raster/brush';
import { fillHoles, keepLargestComponent } from '../src/core/raster/components';
import { decodeRle, encodeRle } from '../src/core/rle';
import type { HostClient } from './host/hostClient';
import type { MaskCommand } from './keymap';
import { MaskPropagation } from './maskPropagation';
import { RequestError } from '../src/protocol/envelope';
import type { PropagateDidProgress } from '../src/protocol/messages';
import { outcomePreview } from './stage/maskController';
import type { MaskPreview } from './stage/maskController';
import { maskOn } from './stage/maskScene';
import type { Store } from './state/store';
import { errorText } from './errorText';

/** Brush radius bounds in source pixels; `[` and `]` step by a factor. */
const MIN_RADIUS = 1;
const MAX_RADIUS = 200;
const RADIUS_STEP = 1.25;
/** A first prompt may start the worker and compute the frame's embedding on CPU. */
const BOX_TIMEOUT_MS = 300_000;
/** The fill opacities a key cycles through. */
const OPACITIES = [0.45, 0.7, 0.2, 0] as const;

/** The editor's mask actions, shared by the mask tools, the keys and the buttons. */
export class MaskActions {
  private readonly brushListeners = new Set<() => void>();
  private readonly propagator: MaskPropagation;
  private boxRun: AbortController | undefined;

  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly notice: (level: 'info' | 'warn' | 'error', text: string) => void,
    /** The annotator's time on the entity since its last op (reset when read), for `timeMs`. */
    private readonly elapsed: () => number = () => 0,
    /** Draws a box prompt's stored mask as soon as its reply arrives (maskController.ts). */
    private readonly preview: (p: MaskPreview) => void = () => undefined,
  ) {
    this.propagator = new MaskPropagation(store, client, notice);
  }

  /** The active entity's mask on the shown frame, or an empty one of the frame's size. */
  currentMask(): Mask | undefined {
    const state = this.store.state;
    const entity = this.store.activeEntity();
    const [width, height] = this.store.frameSize();
    if (!entity || state.entity === undefined || !(width > 0 && height > 0)) return undefined;
    const shown = maskOn(entity, state.entity, state.frame);
    if (!shown) return emptyMask(width, height);
    if (shown.rle.size[0] === height && shown.rle.size[1] === width) return decodeRle(shown.rle);
    // Painting over a mask of another size would replace it with the stroke alone.
    this.notice(
      'warn',
      `the mask on frame ${state.frame} is ${shown.rle.size[1]}x${shown.rle.size[0]}, the frame ${width}x${height}: clear it before editing`,
    );
    return undefined;
  }

  /** Runs a mask key's or button's command. */
  run(command: MaskCommand): void {
    switch (command) {
      case 'toggle':
        return this.toggleVisible();
      case 'opacity':
        return this.cycleOpacity();
      case 'brushSmaller':
        return this.resizeBrush(false);
      case 'brushBigger':
        return this.resizeBrush(true);
      case 'fillHoles':
        return this.fillHoles();
      case 'keepLargest':
        return this.keepLargest();
      case 'clear':
        return this.clear();
      case 'propagate':
        return this.propagator.start();
    }
  }

  /** Esc and the stop button: stops a running propagation; true when one ran. */
  cancelPropagation(): boolean {
    return this.propagator.cancel();
  }

  /** A frame of a propagation is done. */
  onProgress(message: PropagateDidProgress): void {
    this.propagator.onProgress(message);
  }

  /** The box prompt tool: SAM's mask inside `box` on the shown frame (the newest box wins). */
  boxPrompt(box: readonly [number, number, number, number]): void {
    const state = this.store.state;
    const sample = state.sample;
    const index = state.entity;
    if (!sample || index === undefined) {
      this.notice('info', 'select an entity first (Tab)');
      return;
    }
    if (!state.canSuggest) {
      this.notice('warn', state.inference.message);
      return;
    }
    this.boxRun?.abort();
    const ac = new AbortController();
    this.boxRun = ac;
    const request = {
      type: 'model/segment',
      line: sample.line,
      entity: index,
      frame: state.frame,
      clicks: [],
      box,
    } as const;
    this.client
      .request(request, { signal: ac.signal, timeoutMs: BOX_TIMEOUT_MS })
      .then((outcome) => {
        const shown = outcomePreview(outcome, request);
        if (shown) this.preview(shown);
        if (!outcome.applied)
          this.notice('info', `${outcome.modelId}: ${outcome.reason ?? 'nothing proposed'}`);
      })
      .catch((error: unknown) => {
        if (!(error instanceof RequestError && error.code === 'cancelled'))
          this.notice('error', `box prompt: ${errorText(error)}`);
      })
      .finally(() => {
        if (this.boxRun === ac) this.boxRun = undefined;
      });
  }

  /** A brush (`value` 1) or eraser (0) stroke through `path` of `radius` source pixels. */
  stroke(path: readonly Point[], radius: number, value: 0 | 1): void {
    const mask = this.ready();
    if (mask) this.commit(paintStroke(mask, path, radius, value), value ? 'brush' : 'erase');
  }

  /** A closed polygon: adds its inside (`value` 1) or subtracts it (0). */
  polygon(vertices: readonly Point[], value: 0 | 1): void {
    const mask = this.ready();
    if (mask)
      this.commit(fillPolygon(mask, vertices, value), value ? 'polygon add' : 'polygon subtract');
  }

  /** Fills the holes of the active entity's mask. */
  fillHoles(): void {
    const mask = this.existing('fill holes');
    if (mask) this.commit(fillHoles(mask), 'fill holes');
  }

  /** Keeps the largest connected part of the active entity's mask. */
  keepLargest(): void {
    const mask = this.existing('keep the largest part');
    if (mask) this.commit(keepLargestComponent(mask), 'keep largest part');
  }

  /** Removes the active entity's mask on the shown frame. */
  clear(): void {
    if (this.existing('clear')) this.send('mask/clear', undefined, 'clear mask');
  }

  /** Shows or hides every mask. */
  toggleVisible(): void {
    this.store.update(['ui'], (s) => {
      s.masks = { ...s.masks, visible: !s.masks.visible };
    });
    this.notice('info', this.store.state.masks.visible ? 'masks shown' : 'masks hidden');
  }

  /** Steps the fill opacity through a few useful values (0 leaves the outline only). */
  cycleOpacity(): void {
    const now = this.store.state.masks.opacity;
    const at = OPACITIES.findIndex((o) => Math.abs(o - now) < 1e-6);
    const next = OPACITIES[(at + 1) % OPACITIES.length] as number;
    this.store.update(['ui'], (s) => {
      s.masks = { ...s.masks, opacity: next, visible: true };
    });
    this.notice('info', `mask opacity ${Math.round(next * 100)}%`);
  }

  /** `[` (`grow` false) and `]`: brush and eraser size. */
  resizeBrush(grow: boolean): void {
    const now = this.store.state.masks.brushRadius;
    const raw = grow ? Math.max(now + 1, now * RADIUS_STEP) : Math.min(now - 1, now / RADIUS_STEP);
    const next = Math.round(Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, raw)));
    this.store.update(['ui'], (s) => {
      s.masks = { ...s.masks, brushRadius: next };
    });
    for (const listener of this.brushListeners) listener();
    this.notice('info', `brush radius ${next} px`);
  }

  /** Calls `listener` after every brush size change; returns the unsubscribe. */
  watchBrush(listener: () => void): () => void {
    this.brushListeners.add(listener);
    return () => this.brushListeners.delete(listener);
  }

  /** The mask to edit, or undefined with the reason shown. */
  private ready(): Mask | undefined {
    if (!this.store.activeEntity()) {
      this.notice('info', 'select an entity first (Tab)');
      return undefined;
    }
    const [width, height] = this.store.frameSize();
    if (!(width > 0 && height > 0)) {
      this.notice('warn', 'this frame is not loaded yet; wait for it before painting');
      return undefined;
    }
    return this.currentMask();
  }

  /** The active entity's existing mask on this frame, or undefined with the reason shown. */
  private existing(what: string): Mask | undefined {
    const state = this.store.state;
    const entity = this.store.activeEntity();
    if (!entity || state.entity === undefined) {
      this.notice('info', 'select an entity first (Tab)');
      return undefined;
    }
    if (!maskOn(entity, state.entity, state.frame)) {
      this.notice('info', `${what}: "${entity.text}" has no mask on frame ${state.frame}`);
      return undefined;
    }
    return this.currentMask();
  }

  /** Sends the new mask; an empty one clears the frame's mask (core refuses empty masks). */
  private commit(mask: Mask, label: string): void {
    const state = this.store.state;
    const entity = this.store.activeEntity();
    if (!entity || state.entity === undefined) return;
    const had = maskOn(entity, state.entity, state.frame) !== undefined;
    if (mask.data.every((v) => v === 0)) {
      if (had) this.send('mask/clear', undefined, label);
      return;
    }
    this.send('mask/set', mask, label);
  }

  private send(type: 'mask/set' | 'mask/clear', mask: Mask | undefined, label: string): void {
    const state = this.store.state;
    const sample = state.sample;
    const index = state.entity;
    const entity = this.store.activeEntity();
    if (!sample || index === undefined || !entity) return;
    // A mask correction is time spent on the entity, like an accept or a drawn box.
    const ref = {
      line: sample.line,
      id: sample.id,
      entity: index,
      text: entity.text,
      elapsedMs: this.elapsed(),
    };
    const op: ViewLeafOp =
      type === 'mask/set' && mask
        ? { ...ref, type, frame: state.frame, mask: encodeRle(mask), source: 'human' }
        : { ...ref, type: 'mask/clear', frame: state.frame };
    void this.client
      .request({ type: 'document/op/apply', op, label })
      .catch((error: unknown) => this.notice('error', `${label}: ${errorText(error)}`));
  }
}
