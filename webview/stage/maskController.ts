/**
 * Keeps the mask layer in step with the store: the shown frame's masks on every change of
 * sample, frame, entity or mask settings. The layer itself only draws.
 *
 * A model click's reply carries the mask the host has just stored, before the sample's new
 * snapshot (built after the op, its media resolved) reaches the view: `preview` draws that
 * mask at once, so the click is seen one snapshot earlier. The preview is exactly the RLE the
 * host stored, and it gives way to the document at the first snapshot that shows it (or at
 * the second snapshot, or after PREVIEW_MS, whatever the document then says).
 */
import type { EntityState, GroundingSource, Rle } from '../../src/core/model';
import type { SegmentOutcome } from '../../src/protocol/suggestion';
import type { Store } from '../state/store';
import type { FrameStage } from './frameStage';
import { MaskLayer } from './maskLayer';
import { maskOn } from './maskScene';
import type { ShownMask } from './maskScene';

/** After this long without a snapshot the document's masks are drawn again, preview or not. */
const PREVIEW_MS = 3000;
/** The performance mark set when a preview arrives. */
const PREVIEW_MARK = 'groundwork:mask-preview';

/** Where a stored model mask belongs, as the request named it. */
export interface MaskPreview {
  readonly line: number;
  readonly entity: number;
  readonly frame: number;
  readonly rle: Rle;
  readonly source: GroundingSource;
  /** A proposal (drawn with a broken outline) rather than a person's mask. */
  readonly proposal: boolean;
  readonly score?: number;
}

/** The mask layer, driven by the store. */
export class MaskController {
  private readonly layer: MaskLayer;
  private pending: { preview: MaskPreview; snapshots: number; timer: number } | undefined;

  constructor(
    private readonly store: Store,
    view: FrameStage,
  ) {
    this.layer = new MaskLayer(view);
    store.subscribe((changes) => {
      if (changes.has('sample') && this.pending) this.pending.snapshots++;
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

  /** Draws a mask the host stored (a model click's reply) before its snapshot arrives. */
  preview(preview: MaskPreview): void {
    if (this.pending) window.clearTimeout(this.pending.timer);
    const timer = window.setTimeout(() => {
      if (this.pending?.timer !== timer) return;
      this.pending = undefined;
      this.update();
    }, PREVIEW_MS);
    this.pending = { preview, snapshots: 0, timer };
    // When the reply reached the view, for the on-screen timing test (maskModel.test.ts).
    performance.clearMarks(PREVIEW_MARK);
    performance.mark(PREVIEW_MARK);
    this.update();
  }

  /** Redraws from the store (the layer decodes only masks that changed). */
  update(): void {
    const state = this.store.state;
    const sample = state.sample;
    const entities = sample?.state.entities ?? [];
    const override = this.override(entities, state.frame, sample?.line);
    this.layer.set({
      sample: sample ? `${sample.line}:${sample.id}` : '',
      entities,
      frame: state.frame,
      visible: state.masks.visible,
      opacity: state.masks.opacity,
      ...(state.entity !== undefined ? { active: state.entity } : {}),
      ...(override ? { override } : {}),
    });
  }

  /** The preview to draw over the document's mask, or undefined once the document has it. */
  private override(
    entities: readonly EntityState[],
    frame: number,
    line: number | undefined,
  ): ShownMask | undefined {
    const pending = this.pending;
    if (!pending) return undefined;
    const { preview } = pending;
    const entity = entities[preview.entity];
    const stored = entity ? maskOn(entity, preview.entity, preview.frame) : undefined;
    const confirmed = stored?.rle.counts === preview.rle.counts;
    if (confirmed || pending.snapshots >= 2 || line !== preview.line || !entity) {
      window.clearTimeout(pending.timer);
      this.pending = undefined;
      return undefined;
    }
    if (frame !== preview.frame) return undefined;
    return {
      entity: preview.entity,
      frame: preview.frame,
      rle: preview.rle,
      source: preview.source,
      ...(preview.score !== undefined ? { score: preview.score } : {}),
      proposal: preview.proposal,
    };
  }
}

/** The preview of a model click's or box prompt's reply, or undefined when nothing was stored. */
export function outcomePreview(
  outcome: SegmentOutcome,
  at: { readonly line: number; readonly entity: number; readonly frame: number },
): MaskPreview | undefined {
  if (!outcome.applied || !outcome.mask || !outcome.storedAs) return undefined;
  // As modelProposals.ts stores it: a proposal is the model's (with its score), a mask a person's.
  const proposal = outcome.storedAs === 'proposal';
  return {
    ...at,
    rle: outcome.mask,
    proposal,
    source: proposal ? `model:${outcome.modelId}` : 'human',
    ...(proposal ? { score: Math.min(1, Math.max(0, outcome.score)) } : {}),
  };
}
