/**
 * What the host tells a view about model suggestions: the inference status (provider,
 * whether models run at all) and, per entity, the kind, frame and box candidates the
 * models proposed. Candidates and the proposal shown live in the session (an overlay), never
 * in the dataset file until a person accepts one.
 */
import type { GroundingTag, Rle } from '../core/model';

/** Whether the models run here, and on which provider. */
export interface InferenceStatus {
  /** `off`: disabled (untrusted workspace, `--no-models`); `idle`: not started yet. */
  readonly state: 'off' | 'idle' | 'starting' | 'ready' | 'error';
  /** `cpu` or `cuda` once the worker reported it. */
  readonly provider?: string;
  /** One line for the status field and its tooltip. */
  readonly message: string;
}

/** One detector box proposed for an entity, in source pixels. */
export interface BoxCandidateRef {
  readonly box: readonly [number, number, number, number];
  readonly label: string;
  readonly score: number;
}

/** The models' suggestion for one entity of one sample. */
export interface EntitySuggestion {
  readonly line: number;
  readonly id: string;
  readonly entity: number;
  readonly kind: GroundingTag;
  /** `learned`: from this dataset's earlier choices; `lexicon`: from the head noun. */
  readonly kindReason: 'learned' | 'lexicon';
  readonly frame: number;
  /** Box candidates on `frame`, best first (empty for areas or unmatched texts). */
  readonly candidates: readonly BoxCandidateRef[];
  /** Index into `candidates` of the box proposed now (-1: none). */
  readonly chosen: number;
  /** Whether the chosen box is shown as the entity's proposal (an overlay; false: human work kept). */
  readonly applied: boolean;
  /** Why no box was proposed or stored. */
  readonly reason?: string;
  /** The model that proposed the boxes (`yolox-nano`). */
  readonly modelId: string;
}

/** A model click in source pixels: positive adds to the mask, negative removes. */
export interface ModelClick {
  readonly x: number;
  readonly y: number;
  readonly positive: boolean;
}

/** What a model click produced and stored. */
export interface SegmentOutcome {
  readonly modelId: string;
  readonly tag: GroundingTag;
  readonly score: number;
  readonly applied: boolean;
  readonly reason?: string;
  /** The mask the click produced (COCO RLE at the frame's size), for the mask layer. */
  readonly mask?: Rle;
  /** How it was stored: as the entity's proposal, or as its mask on that frame (`mask/set`). */
  readonly storedAs?: 'proposal' | 'mask';
}

/** Why one direction of a propagation stopped. */
export interface PropagateStop {
  /** The first frame not filled (-1: the run reached the end of the frame list). */
  readonly frame: number;
  readonly reason: string;
}

/** What a propagation produced: the frames filled (with predicted IoU) and where each side stopped. */
export interface PropagateOutcome {
  readonly modelId: string;
  readonly frames: readonly { readonly frame: number; readonly score: number }[];
  readonly forward?: PropagateStop;
  readonly backward?: PropagateStop;
  /** Whether the masks were stored (one undo step); false with `reason` when nothing was. */
  readonly applied: boolean;
  readonly reason?: string;
}
