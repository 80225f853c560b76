/** The in-process inference engine: loads models by manifest, runs families, caches embeddings. */
import type * as ort from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import { RequestError } from '../protocol/envelope';
import type { CancelToken } from '../protocol/envelope';
import { maskToBox, maskToPoints } from '../core/mask';
import { countsToString, encodeRle } from '../core/rle';
import { maskFeature } from '../core/raster/maskFeatures';
import type { Detection } from '../core/suggest/boxMatch';
import {
  SAM_ENCODER_HWC_SPEC,
  isHwcEncoder,
  samDecode,
  samDecoderSpec,
  samEmbeddingOf,
  samEncode,
  samEncoderInput,
  samEncoderSpec,
  samImageStage,
} from './families/sam';
import { EncoderThread } from './encoderThread';
import type { EncoderThreadScript } from './encoderThread';
import { SAM2_DECODER_SPEC, SAM2_ENCODER_SPEC, sam2Decode, sam2Encode } from './families/sam2';
import type { SegmentPrompt } from './families/samPrompt';
import type { YoloxOptions } from './families/yolox';
import { decodeYolox, letterbox } from './families/yolox';
import { yoloxSpec } from './families/yoloxSpec';
import type { RgbImage } from './image';
import { LruCache } from './lru';
import type { ModelManifest } from './manifest';
import { findManifest, loadManifests } from './manifest';
import { NEEDS_IMAGE } from './messages';
import type {
  DetectionsReply,
  EmbeddedReply,
  ModelLoadedReply,
  SegmentedReply,
  WorkerConfig,
} from './messages';
import { locateModel } from './modelFiles';
import { traceClick } from './clickTrace';
import { createSession } from './providers';
import type { ProvidedSession } from './providers';
import { openSamDecoder } from './samDecoderSessions';
import { IMAGE_PE } from './families/samDecoderGraph';
import type { SamDecoderSessions } from './samDecoderSessions';
import { checkSignature } from './signature';

/** A loaded model: its manifest, sessions by role, and how it was loaded. */
interface LoadedModel {
  readonly manifest: ModelManifest;
  readonly sessions: Record<string, ort.InferenceSession>;
  /** The file of each role (the encoder thread opens its own session on it). */
  readonly paths: Record<string, string>;
  readonly info: ModelLoadedReply;
}

/** Stops a long request between stages once the host cancelled it (a newer click, a timeout). */
function checkpoint(token?: CancelToken): void {
  if (token?.aborted) throw new RequestError('cancelled', 'cancelled by the host');
}

/** Session roles of the SAM decoder's two stages (samDecoderGraph.ts), beside the manifest's roles. */
const IMAGE_STAGE = 'decoder image stage';
const PROMPT_STAGE = 'decoder prompt stage';

/** SAM's embedding is 4 MiB (14 MiB with the decoder's per-frame stage tensors) and SAM 2 tiny's about 17 MiB: 512 MiB holds dozens of frames. */
const DEFAULT_EMBEDDING_BYTES = 512 * 1024 * 1024;

/** The bytes an embedding's tensors hold (what bounds the cache); the shared encoding is not the entry's. */
function embeddingBytes(embedding: Record<string, ort.Tensor>): number {
  let bytes = 0;
  for (const [name, tensor] of Object.entries(embedding)) {
    if (name === IMAGE_PE) continue;
    const data = tensor.data;
    bytes += ArrayBuffer.isView(data) ? data.byteLength : 0;
  }
  return bytes;
}

/** The mean embedding under a mask's low-res logits (drift checks of propagation), when shaped as SAM's. */
function embeddingFeature(
  embedding: Record<string, ort.Tensor>,
  lowRes: Float32Array | undefined,
): Float32Array | undefined {
  const tensor = embedding.image_embeddings;
  const dims = tensor?.dims;
  if (!tensor || !lowRes || dims?.length !== 4 || dims[2] !== dims[3]) return undefined;
  const side = Math.round(Math.sqrt(lowRes.length));
  return maskFeature(
    tensor.data as Float32Array,
    dims[1] as number,
    dims[2] as number,
    lowRes,
    side,
  );
}

/** Hosts onnxruntime sessions for every model the manifests describe; one per worker process. */
export class InferenceEngine {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  private readonly embeddings: LruCache<string, Record<string, ort.Tensor>>;
  private manifests?: ModelManifest[];
  private readonly inputBuffers = new Map<string, Float32Array>();
  private readonly encoderThreads = new Map<string, EncoderThread>();
  private readonly imagePe = new Map<string, ort.Tensor>();

  /** `threadScript`: where SAM encoder threads start (the worker gives its own script). */
  constructor(
    readonly config: WorkerConfig,
    private readonly threadScript?: EncoderThreadScript,
  ) {
    this.embeddings = new LruCache(config.embeddingCacheSize, {
      maxBytes: config.embeddingCacheBytes ?? DEFAULT_EMBEDDING_BYTES,
      sizeOf: embeddingBytes,
    });
  }

  private manifest(id: string): ModelManifest {
    this.manifests ??= loadManifests(this.config.manifestsDir);
    return findManifest(this.manifests, id);
  }

  /** Loads (once) and signature-checks a model's sessions. */
  load(modelId: string): Promise<LoadedModel> {
    let p = this.loaded.get(modelId);
    if (!p) {
      p = this.open(modelId);
      this.loaded.set(modelId, p);
      // A failed load is retried on the next request (the user may have fixed the file).
      p.catch(() => this.loaded.delete(modelId));
    }
    return p;
  }

  private async open(modelId: string): Promise<LoadedModel> {
    const manifest = this.manifest(modelId);
    const files = await locateModel(manifest, this.config.modelsDir);
    const sessions: Record<string, ort.InferenceSession> = {};
    const paths: Record<string, string> = {};
    const notices: string[] = [];
    let provider: ModelLoadedReply['provider'] = 'cpu';
    let graph: string | undefined;
    for (const [role, file] of Object.entries(files)) {
      const what = `${modelId} ${role} (${file.path})`;
      const samDecoder = manifest.family === 'sam' && role === 'decoder';
      const s: ProvidedSession & Partial<SamDecoderSessions> = samDecoder
        ? await openSamDecoder(file.path, this.config.device, what, this.config.threads)
        : await createSession(file.path, this.config.device, what, this.config.threads);
      sessions[role] = s.session;
      if (s.graph) graph = s.graph;
      if (s.imageStage && s.promptStage) {
        sessions[IMAGE_STAGE] = s.imageStage;
        sessions[PROMPT_STAGE] = s.promptStage;
      }
      paths[role] = file.path;
      provider = s.provider;
      if (s.notice && !notices.includes(s.notice)) notices.push(s.notice);
      checkSignature(s.session, this.spec(manifest, role, s.session), what);
    }
    const unverified = Object.values(files)
      .filter((f) => f.integrity === 'unverified')
      .map((f) => f.entry.name);
    if (unverified.length)
      notices.push(`${unverified.join(', ')} unverified (the manifest gives no sha256)`);
    const integrity = unverified.length ? 'unverified' : 'verified';
    return {
      manifest,
      sessions,
      paths,
      info: {
        modelId,
        provider,
        integrity,
        ...(graph ? { graph } : {}),
        ...(notices.length ? { notice: notices.join('; ') } : {}),
      },
    };
  }

  private spec(
    m: ModelManifest,
    role: string,
    session: ort.InferenceSession,
  ): ReturnType<typeof yoloxSpec> {
    if (m.family === 'yolox') return yoloxSpec(m.inputSize[0], m.labels.length);
    if (m.family === 'sam')
      return role === 'encoder'
        ? isHwcEncoder(session)
          ? SAM_ENCODER_HWC_SPEC
          : samEncoderSpec(m.tensors)
        : samDecoderSpec(m.tensors);
    return role === 'encoder' ? SAM2_ENCODER_SPEC : SAM2_DECODER_SPEC;
  }

  /** Loads a model and says how. */
  async loadInfo(modelId: string): Promise<ModelLoadedReply> {
    return (await this.load(modelId)).info;
  }

  /** Runs a detector on one frame; boxes in source pixels. */
  async detect(
    modelId: string,
    image: RgbImage,
    options?: YoloxOptions,
    token?: CancelToken,
  ): Promise<DetectionsReply> {
    const m = await this.load(modelId);
    if (m.manifest.family !== 'yolox')
      throw new Error(`model ${modelId} is a ${m.manifest.family} model, not a detector`);
    checkpoint(token);
    const session = m.sessions.model as ort.InferenceSession;
    const size = m.manifest.inputSize[0];
    const t0 = performance.now();
    // One input buffer per model, reused: the worker runs one request at a time, and a fresh
    // 2 MB array per frame costs page faults and GC that showed up as 10-40% in the bench.
    const lb = letterbox(image, size, this.inputBuffers.get(modelId));
    this.inputBuffers.set(modelId, lb.data);
    const t1 = performance.now();
    const out = await session.run({
      [session.inputNames[0] as string]: new Tensor('float32', lb.data, [...lb.dims]),
    });
    const t2 = performance.now();
    const output = out[session.outputNames[0] as string] as ort.Tensor;
    const detections: Detection[] = decodeYolox(
      output.data as Float32Array,
      size,
      lb.ratio,
      image,
      m.manifest.labels,
      options,
    );
    const t3 = performance.now();
    return {
      detections,
      timings: { preMs: t1 - t0, runMs: t2 - t1, postMs: t3 - t2 },
    };
  }

  /** Whether a frame's embedding is cached for a model. */
  hasEmbedding(modelId: string, frameKey: string): boolean {
    return this.embeddings.has(`${modelId}\u0000${frameKey}`);
  }

  /** Drops every cached embedding; returns how many there were. */
  clearEmbeddings(): number {
    const count = this.embeddings.size;
    this.embeddings.clear();
    return count;
  }

  /** Computes a frame's embedding ahead of the first click, unless it is cached already. */
  async embed(
    modelId: string,
    frameKey: string,
    image: RgbImage,
    token?: CancelToken,
  ): Promise<EmbeddedReply> {
    const t0 = performance.now();
    const { cached } = await this.embedding(modelId, frameKey, image, token);
    return { cached, encodeMs: cached ? 0 : performance.now() - t0 };
  }

  /** The frame's embedding from the cache, or from the encoder when `image` is given. */
  private async embedding(
    modelId: string,
    frameKey: string,
    image: RgbImage | undefined,
    token?: CancelToken,
  ): Promise<{ model: LoadedModel; embedding: Record<string, ort.Tensor>; cached: boolean }> {
    const model = await this.load(modelId);
    const family = model.manifest.family;
    if (family === 'yolox') throw new Error(`model ${modelId} is a detector, not a segmenter`);
    const key = `${modelId}\u0000${frameKey}`;
    const hit = this.embeddings.get(key);
    if (hit) return { model, embedding: hit, cached: true };
    if (!image)
      throw new RequestError(
        NEEDS_IMAGE,
        `no cached embedding for frame ${frameKey}; send the image`,
      );
    checkpoint(token);
    const encoder = model.sessions.encoder as ort.InferenceSession;
    const norm = model.manifest.normalization;
    const imageStage = model.sessions[IMAGE_STAGE];
    let embedding =
      family === 'sam'
        ? await this.samEmbedding(modelId, model, image)
        : await sam2Encode(encoder, image, norm);
    // The decoder's per-frame stage runs with the embedding, so a click runs only the rest.
    if (family === 'sam' && imageStage) {
      const staged = await samImageStage(imageStage, embedding);
      // One positional encoding per model, shared by every frame's entry (it is frame-free).
      const pe = this.imagePe.get(modelId) ?? (staged[IMAGE_PE] as ort.Tensor);
      this.imagePe.set(modelId, pe);
      embedding = { ...staged, [IMAGE_PE]: pe };
    }
    this.embeddings.set(key, embedding);
    return { model, embedding, cached: false };
  }

  /**
   * A SAM embedding, computed on the model's encoder thread where the worker has one (the
   * worker's own thread stays free for clicks), else here. A thread that failed is left
   * alone from then on: the encoder runs here and the log says why, once.
   */
  private async samEmbedding(
    modelId: string,
    model: LoadedModel,
    image: RgbImage,
  ): Promise<Record<string, ort.Tensor>> {
    const encoder = model.sessions.encoder as ort.InferenceSession;
    const names = model.manifest.tensors;
    const norm = model.manifest.normalization;
    const path = model.paths.encoder;
    if (!this.threadScript || !path || isHwcEncoder(encoder))
      return samEncode(encoder, image, norm, names);
    let thread = this.encoderThreads.get(modelId);
    if (!thread) {
      const threads = this.config.threads;
      thread = new EncoderThread(this.threadScript, {
        encoderThread: { path, device: this.config.device, ...(threads ? { threads } : {}) },
      });
      this.encoderThreads.set(modelId, thread);
    }
    if (thread.failure) return samEncode(encoder, image, norm, names);
    try {
      const input = names?.encoderInput ?? (encoder.inputNames[0] as string);
      return samEmbeddingOf(await thread.run(input, samEncoderInput(image, norm)), encoder, names);
    } catch (e) {
      process.stderr.write(
        `groundwork inference worker: ${modelId} encoder thread unusable, encoding on the worker's thread: ${e instanceof Error ? e.message : e}\n`,
      );
      return samEncode(encoder, image, norm, names);
    }
  }

  /** Stops the encoder threads. */
  async dispose(): Promise<void> {
    await Promise.all([...this.encoderThreads.values()].map((t) => t.dispose()));
    this.encoderThreads.clear();
  }

  /** Segments with a SAM-family model, running the encoder only for frames not in the cache. */
  async segment(
    modelId: string,
    frameKey: string,
    image: RgbImage | undefined,
    frame: { width: number; height: number },
    prompt: SegmentPrompt,
    pointCount?: number,
    token?: CancelToken,
    withFeature = true,
  ): Promise<SegmentedReply> {
    const t0 = performance.now();
    const {
      model: m,
      embedding: emb,
      cached,
    } = await this.embedding(modelId, frameKey, image, token);
    const family = m.manifest.family;
    checkpoint(token);
    const t1 = performance.now();
    const decoder = m.sessions.decoder as ort.InferenceSession;
    const r =
      family === 'sam'
        ? await samDecode(
            decoder,
            emb,
            prompt,
            frame,
            m.manifest.tensors,
            'lowRes',
            m.sessions[PROMPT_STAGE],
          )
        : await sam2Decode(decoder, emb, prompt, frame);
    const t2 = performance.now();
    // The low-res post-processing already read the run lengths and box off its one pass.
    const box = r.counts ? r.box : maskToBox(r.mask);
    const points = pointCount ? maskToPoints(r.mask, pointCount) : undefined;
    const feature =
      family === 'sam' && withFeature ? embeddingFeature(emb, r.lowResMask) : undefined;
    const mask = r.counts
      ? { size: [r.mask.height, r.mask.width] as const, counts: countsToString(r.counts) }
      : encodeRle(r.mask);
    traceClick('post end');
    const reply: SegmentedReply = {
      mask,
      score: r.score,
      cached,
      timings: { preMs: t1 - t0, runMs: t2 - t1, postMs: performance.now() - t2 },
      ...(box ? { box } : {}),
      ...(points ? { points } : {}),
      ...(r.lowResMask ? { lowResMask: r.lowResMask } : {}),
      ...(feature ? { feature } : {}),
    };
    return reply;
  }
}
