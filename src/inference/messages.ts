/**
 * The protocol between an InferenceClient and its worker process (child_process IPC with
 * structured-clone serialisation, so frames travel as Uint8Array without copies to JSON).
 * Self-contained on purpose: the editor protocol in src/protocol is a different conversation.
 */
import type { Box } from '../core/mask';
import type { Point, Rle } from '../core/model';
import type { Detection } from '../core/suggest/boxMatch';
import type { SegmentPrompt } from './families/samPrompt';
import type { RgbImage } from './image';
import type { Device, Provider } from './providers';
import type { YoloxOptions } from './families/yolox';

/** Every message on the wire: requests carry a fresh id; replies name the request they answer. */
export interface Envelope<B> {
  readonly messageId: number;
  readonly inReplyTo?: number;
  readonly body: B;
}

/** Worker settings, sent once after the worker starts. */
export interface WorkerConfig {
  readonly manifestsDir: string;
  readonly modelsDir?: string;
  readonly device: Device;
  /** How many frames' embeddings to keep (SAM 2 tiny: about 17 MB each). */
  readonly embeddingCacheSize: number;
  readonly threads?: number;
}

/** Configures the worker; answered by `ok`. */
export interface InitRequest {
  readonly type: 'init';
  readonly config: WorkerConfig;
}
/** Loads a model's sessions ahead of use; answered by `model/loaded`. */
export interface LoadModelRequest {
  readonly type: 'model/load';
  readonly modelId: string;
}
/** Runs a detector on one frame; answered by `detections`. */
export interface DetectRequest {
  readonly type: 'detect';
  readonly modelId: string;
  readonly image: RgbImage;
  readonly options?: YoloxOptions;
}
/**
 * Segments with a SAM-family model. `frameKey` names the frame for the embedding cache;
 * `image` may be left out when the worker already holds that frame's embedding, and the
 * worker answers `needs-image` when it does not.
 */
export interface SegmentRequest {
  readonly type: 'segment';
  readonly modelId: string;
  readonly frameKey: string;
  readonly image?: RgbImage;
  readonly frameSize: { readonly width: number; readonly height: number };
  readonly prompt: SegmentPrompt;
  /** Also return this many representative points inside the mask (for areas). */
  readonly pointCount?: number;
}
/** Drops every cached embedding; answered by `ok`. */
export interface ClearEmbeddingsRequest {
  readonly type: 'embeddings/clear';
}
/** Asks for the provider and model report; answered by `doctor`. */
export interface DoctorRequest {
  readonly type: 'doctor';
}
/** Cancels a running or queued request (no reply of its own; the target answers `cancelled`). */
export interface CancelNotification {
  readonly type: 'cancel';
  readonly target: number;
}
/** Asks the worker to exit cleanly. */
export interface ShutdownNotification {
  readonly type: 'shutdown';
}

/** Everything the host sends. */
export type HostMessage =
  | InitRequest
  | LoadModelRequest
  | DetectRequest
  | SegmentRequest
  | ClearEmbeddingsRequest
  | DoctorRequest
  | CancelNotification
  | ShutdownNotification;

/** Milliseconds spent in each stage, for the status bar and the bench. */
export interface StageTimings {
  readonly preMs: number;
  readonly runMs: number;
  readonly postMs: number;
}

/** A plain success. */
export interface OkReply {
  readonly type: 'ok';
}
/** A model is ready: which provider it runs on and whether its files were verified. */
export interface ModelLoadedReply {
  readonly type: 'model/loaded';
  readonly modelId: string;
  readonly provider: Provider;
  /** Set when `auto` fell back to CPU, or the files are unverified. */
  readonly notice?: string;
  readonly integrity: 'verified' | 'unverified';
}
/** Detector output in source pixels, best first. */
export interface DetectionsReply {
  readonly type: 'detections';
  readonly detections: readonly Detection[];
  readonly timings: StageTimings;
}
/** A mask in source pixels as COCO RLE, its tight box and the decoder's score. */
export interface SegmentedReply {
  readonly type: 'segmented';
  readonly mask: Rle;
  readonly box?: Box;
  readonly score: number;
  readonly points?: readonly Point[];
  /** Whether the frame's embedding came from the cache (no encoder run). */
  readonly cached: boolean;
  readonly timings: StageTimings;
}
/** Provider and models report (same shape as `inferenceDoctor()`). */
export interface DoctorReply {
  readonly type: 'doctor';
  readonly report: InferenceDoctorReport;
}

/** Why a request failed: the code lets the client react (resend with the image, restart, ignore). */
export type ErrorCode =
  'cancelled' | 'needs-image' | 'failed' | 'timeout' | 'crashed' | 'bad-request';
/** A failed request. */
export interface ErrorReply {
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
}
/** Unsolicited: the worker is up (sent once, before any reply). */
export interface ReadyNotification {
  readonly type: 'ready';
  readonly pid: number;
}

/** Everything the worker sends. */
export type WorkerMessage =
  | OkReply
  | ModelLoadedReply
  | DetectionsReply
  | SegmentedReply
  | DoctorReply
  | ErrorReply
  | ReadyNotification;

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
