/**
 * The view's state: a projection of what the host sent (dataset summaries, the sample's
 * snapshot) plus UI state (frame, active entity, tool, zoom). Panels subscribe and
 * re-render; nothing here is the truth about the dataset.
 */
import type {
  DocumentState,
  FrameRef,
  HostMode,
  SampleSnapshot,
  SampleSummary,
  StatusCounts,
} from '../../src/protocol/snapshot';
import type { EntitySuggestion, InferenceStatus } from '../../src/protocol/suggestion';

/** The drawing and editing tools (webview/tools; the point tools share pointTool.ts). */
export type ToolId =
  | 'select'
  | 'box'
  | 'points'
  | 'affordance'
  | 'trajectory'
  | 'graspPose'
  | 'modelClick'
  | 'brush'
  | 'eraser'
  | 'polygon'
  | 'maskBox'
  | 'count';

/** How masks are shown and painted (webview/stage/maskLayer.ts, the brush and eraser). */
export interface MaskView {
  /** Masks drawn at all (a key toggles them). */
  visible: boolean;
  /** Fill opacity of the masks (a key cycles it; the outline stays opaque). */
  opacity: number;
  /** Brush and eraser radius in source pixels. */
  brushRadius: number;
}

/** A running propagation of one entity's mask over the sampled frames. */
export interface PropagationState {
  readonly line: number;
  readonly entity: number;
  /** Frames done and planned so far (the host reports them as it goes). */
  readonly done: number;
  readonly total: number;
  /** Frames done so far with the model's confidence (stored only when the run ends). */
  readonly frames?: readonly { readonly frame: number; readonly score: number }[];
}

/** A message for the banner. */
export interface BannerMessage {
  readonly level: 'info' | 'warn' | 'error';
  readonly text: string;
}

/** Everything the UI shows. */
export interface EditorState {
  mode: HostMode;
  connected: boolean;
  datasetName: string;
  /** Every listed line in line order (binary-searchable: samplePickerSync.ts). */
  samples: SampleSummary[];
  /** Samples per status, as the host counted them (never recounted here: issue 14 item 5). */
  counts: StatusCounts;
  /** What the last `samples` change replaced: these lines' summaries, or `all` (a new list). */
  samplesDelta: readonly number[] | 'all';
  document: DocumentState;
  canExport: boolean;
  sample?: SampleSnapshot;
  /** The sample's frames; refs are replaced as lazily extracted frames arrive. */
  frames: FrameRef[];
  frame: number;
  entity?: number;
  tool: ToolId;
  playing: boolean;
  help: boolean;
  notice?: BannerMessage;
  busy?: string;
  /** Whether the host runs models (false: untrusted workspace, `--no-models`). */
  canSuggest: boolean;
  inference: InferenceStatus;
  /** The models' last suggestion per entity, by `suggestionKey`. */
  suggestions: Map<string, EntitySuggestion>;
  /** The entity whose suggestion is running, by `suggestionKey`. */
  suggesting?: string;
  /** The reject-with-comment prompt is open. */
  rejecting: boolean;
  /** Review mode (Next to review): A and R move on to the next annotated sample. */
  reviewing: boolean;
  /** Review: the stage shows the model's proposal in place of the final grounding. */
  showProposal: boolean;
  /** Who this view's changes are recorded as (from the host). */
  user?: string;
  /** Mask display and brush settings. */
  masks: MaskView;
  /** The propagation in progress, if any. */
  propagating?: PropagationState;
  /** Where the last propagation of an entity stopped, and why (the filmstrip's stop marks). */
  propagationStops?: {
    readonly line: number;
    readonly entity: number;
    readonly stops: readonly { readonly frame: number; readonly reason: string }[];
  };
}

/** The key of an entity's suggestion: sample id and entity index. */
export function suggestionKey(id: string, entity: number): string {
  return `${id}#${entity}`;
}

/** What changed, so panels can skip work (the stage redraws only on frame/geometry changes). */
export type Change =
  'sample' | 'samples' | 'document' | 'frame' | 'frames' | 'entity' | 'tool' | 'ui';

/** The state container with change notification. */
export class Store {
  readonly state: EditorState = {
    mode: 'serve',
    connected: false,
    datasetName: '',
    samples: [],
    counts: { todo: 0, in_progress: 0, annotated: 0, approved: 0, rejected: 0, problem: 0 },
    samplesDelta: 'all',
    document: { version: 0, dirty: false, canUndo: false, canRedo: false },
    canExport: false,
    frames: [],
    frame: 0,
    tool: 'select',
    playing: false,
    help: false,
    canSuggest: false,
    inference: { state: 'off', message: 'models: not connected' },
    suggestions: new Map(),
    rejecting: false,
    reviewing: false,
    showProposal: false,
    masks: { visible: true, opacity: 0.45, brushRadius: 12 },
  };
  private readonly listeners: ((changes: ReadonlySet<Change>) => void)[] = [];
  private pending = new Set<Change>();
  private scheduled = false;

  /** Mutates the state and notifies subscribers (synchronously, batched per call). */
  update(changes: Change[], mutate: (s: EditorState) => void): void {
    mutate(this.state);
    for (const c of changes) this.pending.add(c);
    if (this.scheduled) return;
    this.scheduled = true;
    // Synchronous flush keeps frame stepping within one task (the bench measures it).
    this.flush();
  }

  /**
   * Registers a subscriber; `first` puts it before those already registered (what starts
   * work elsewhere, like asking the host for the frame now on screen, before the panels'
   * own redraws).
   */
  subscribe(listener: (changes: ReadonlySet<Change>) => void, first = false): void {
    if (first) this.listeners.unshift(listener);
    else this.listeners.push(listener);
  }

  /** The active entity's state, if any. */
  activeEntity() {
    const s = this.state;
    return s.entity === undefined ? undefined : s.sample?.state.entities[s.entity];
  }

  /** The displayed size of frame `index` ([0, 0] when unknown). */
  frameSize(index = this.state.frame): readonly [number, number] {
    const f = this.state.frames[index];
    return f ? [f.width, f.height] : [0, 0];
  }

  private flush(): void {
    while (this.pending.size) {
      const c = this.pending;
      this.pending = new Set();
      for (const l of this.listeners) l(c);
    }
    this.scheduled = false;
  }
}
