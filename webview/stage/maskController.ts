/**
 * Keeps the mask layer in step with the store: the shown frame's masks on every change of
 * sample, frame, entity or mask settings. The layer itself only draws.
 */
import type { Store } from '../state/store';
import type { FrameStage } from './frameStage';
import { MaskLayer } from './maskLayer';

/** The mask layer, driven by the store. */
export class MaskController {
  private readonly layer: MaskLayer;

  constructor(
    private readonly store: Store,
    view: FrameStage,
  ) {
    this.layer = new MaskLayer(view);
    store.subscribe((changes) => {
      if (
        changes.has('sample') ||
        changes.has('frame') ||
        changes.has('frames') ||
        changes.has('entity') ||
        changes.has('ui')
      )
        this.update();
    });
  }

  /** Redraws from the store (the layer decodes only masks that changed). */
  update(): void {
    const state = this.store.state;
    const sample = state.sample;
    this.layer.set({
      sample: sample ? `${sample.line}:${sample.id}` : '',
      entities: sample?.state.entities ?? [],
      frame: state.frame,
      visible: state.masks.visible,
      opacity: state.masks.opacity,
      ...(state.entity !== undefined ? { active: state.entity } : {}),
    });
  }
}
