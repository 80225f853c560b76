/**
 * The inference worker's messages, carried by the same MessageChannel and envelope as the
 * webview's (src/protocol/channel.ts) over child_process IPC with structured-clone
 * serialisation, so frames travel as Uint8Array without a detour through JSON.
 */
import type { Box } from '../core/mask';
import type { Point, Rle } from '../core/model';
import type { Detection } from '../core/suggest/boxMatch';
import type { SegmentPrompt } from './families/samPrompt';
import type { RgbImage } from './image';
import type { Device, Provider } from './providers';
import type { YoloxOptions } from './families/yolox';

/** Worker settings, sent once after the worker starts. */
export interface WorkerConfig {
  readonly manifestsDir: string;
  readonly modelsDir?: string;
  readonly device: Device;
  /** How many frames' embeddings to keep (SAM 2 tiny: about 17 MB each). */
  readonly embeddingCacheSize: number;
  /** Upper bound on the cached embeddings' bytes (default 512 MiB), whichever limit comes first. */
  readonly embeddingCacheBytes?: number;
  readonly threads?: number;
}

/** Configures the worker. */
export interface WorkerInitRequest {
  readonly type: 'worker/init';
  readonly config: WorkerConfig;
}
/** Loads a model's sessions ahead of use. */
export interface ModelLoadRequest {
  readonly type: 'model/load';
  readonly modelId: string;
}
/** Runs a detector on one frame. */
export interface FrameDetectRequest {
  readonly type: 'frame/detect';
  readonly modelId: string;
  readonly image: RgbImage;
  readonly options?: YoloxOptions;
}
/**
 * Segments with a SAM-family model. `frameKey` names the frame for the embedding cache;
 * `image` may be left out when the worker already holds that frame's embedding, and the
 * worker replies `not-found` when it does not.
 */
export interface FrameSegmentRequest {
  readonly type: 'frame/segment';
  readonly modelId: string;
  readonly frameKey: string;
  readonly image?: RgbImage;
  readonly frameSize: { readonly width: number; readonly height: number };
  readonly prompt: SegmentPrompt;
  /** Also return this many representative points inside the mask (for areas). */
  readonly pointCount?: number;
  /**
   * `false` skips the reply's drift feature: a click needs none, and averaging the 256
   * embedding channels under the mask is a few milliseconds of the click's budget.
   */
  readonly feature?: boolean;
}
/** Computes and caches a frame's embedding before the first click. */
export interface FrameEmbedRequest {
  readonly type: 'frame/embed';
  readonly modelId: string;
  readonly frameKey: string;
  readonly image: RgbImage;
}
/** Drops every cached embedding. */
export interface EmbeddingsClearRequest {
  readonly type: 'embeddings/clear';
}
/** Asks for the provider and model report. */
export interface WorkerDoctorRequest {
  readonly type: 'worker/doctor';
}
/** Asks the worker to exit cleanly once its queue is done (no reply). */
export interface WorkerShutdownCommand {
  readonly type: 'worker/shutdown';
}
/** The worker is up (sent once, before any reply). */
export interface WorkerReadyNotification {
  readonly type: 'worker/ready';
  readonly pid: number;
}

/** Every request the host sends the worker. */
export type WorkerRequest =
  | WorkerInitRequest
  | ModelLoadRequest
  | FrameDetectRequest
  | FrameSegmentRequest
  | FrameEmbedRequest
  | EmbeddingsClearRequest
  | WorkerDoctorRequest;
/** Every body the host sends the worker. */
export type ToWorker = WorkerRequest | WorkerShutdownCommand;
/** Every body the worker sends on its own (replies travel as `reply/ok` / `reply/error`). */
export type FromWorker = WorkerReadyNotification;

/**
 * The error code of a `frame/segment` whose frame has no cached embedding and that
 * brought no image: the client sends the request again with the image.
 */
export const NEEDS_IMAGE = 'not-found';

/** The result type of each worker request, by its `type`. */
export interface WorkerRequestResults {
  'worker/init': { readonly pid: number };
  'model/load': ModelLoadedReply;
  'frame/detect': DetectionsReply;
  'frame/segment': SegmentedReply;
  'frame/embed': EmbeddedReply;
  'embeddings/clear': { readonly dropped: number };
  'worker/doctor': InferenceDoctorReport;
}

/** Milliseconds spent in each stage, for the status bar and the bench. */
export interface StageTimings {
  readonly preMs: number;
  readonly runMs: number;
  readonly postMs: number;
}

/** A model is ready: which provider it runs on and whether its files were verified. */
export interface ModelLoadedReply {
  readonly modelId: string;
  readonly provider: Provider;
  /** Set when `auto` fell back to CPU, or the files are unverified. */
  readonly notice?: string;
  readonly integrity: 'verified' | 'unverified';
  /** SAM decoders: which graph runs (the rewrite of samDecoderGraph.ts, or the file as exported and why). */
  readonly graph?: string;
}
/** Detector output in source pixels, best first. */
export interface DetectionsReply {
  readonly detections: readonly Detection[];
  readonly timings: StageTimings;
}
/** A mask in source pixels as COCO RLE, its tight box and the decoder's score. */
export interface SegmentedReply {
  readonly mask: Rle;
  readonly box?: Box;
  readonly score: number;
  readonly points?: readonly Point[];
  /** Whether the frame's embedding came from the cache (no encoder run). */
  readonly cached: boolean;
  readonly timings: StageTimings;
  /** The decoder's low-resolution logits (1x1x256x256), to send back as `prompt.maskInput`. */
  readonly lowResMask?: Float32Array;
  /** The mean image embedding under the mask, unit length (SAM: 256 floats), for drift checks. */
  readonly feature?: Float32Array;
}
/** A frame's embedding is cached: whether it already was, and the encoder's time. */
export interface EmbeddedReply {
  readonly cached: boolean;
  readonly encodeMs: number;
}

/** One model's status in the doctor report. */
export interface ModelReport {
  readonly id: string;
  readonly family: string;
  readonly task: string;
  readonly files: readonly {
    readonly name: string;
    readonly path?: string;
    readonly status: 'verified' | 'unverified' | 'missing' | 'corrupt';
    readonly message?: string;
  }[];
  readonly ready: boolean;
}

/** What `groundwork doctor --json` shows for inference. */
export interface InferenceDoctorReport {
  readonly device: Device;
  /** The provider a session would run on with this device setting (undefined: `cuda` forced but unusable). */
  readonly provider?: Provider;
  readonly availableProviders: readonly string[];
  readonly cuda: { readonly ok: boolean; readonly message: string };
  readonly modelsDir: string;
  readonly models: readonly ModelReport[];
}
