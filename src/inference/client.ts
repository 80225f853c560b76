/** InferenceClient: the host side of the worker channel, for the CLI and the VS Code extension host alike. */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CancelSource, MessageChannel } from '../protocol/channel';
import type { RequestOptions, RequestType } from '../protocol/channel';
import { RequestError } from '../protocol/envelope';
import type { CancelRequest, CancelToken, Reply } from '../protocol/envelope';
import type { YoloxOptions } from './families/yolox';
import type { SegmentPrompt } from './families/samPrompt';
import type { RgbImage } from './image';
import { traceClick } from './clickTrace';
import { childTransport } from './ipcTransport';
import { defaultManifestsDir } from './manifest';
import { NEEDS_IMAGE } from './messages';
import type {
  DetectionsReply,
  EmbeddedReply,
  FromWorker,
  InferenceDoctorReport,
  ModelLoadedReply,
  SegmentedReply,
  ToWorker,
  WorkerRequestResults,
} from './messages';
import type { Device } from './providers';

/** How to start and talk to the worker; every field has a default. */
export interface InferenceClientOptions {
  /** The worker script; default: `worker.js` beside the bundle, or `worker.ts` under tsx. */
  readonly workerPath?: string;
  readonly execArgv?: readonly string[];
  readonly manifestsDir?: string;
  /** The `groundwork.models.dir` setting (else GROUNDWORK_MODELS_DIR, else a per-user cache). */
  readonly modelsDir?: string;
  /** The `groundwork.inference.device` setting; default `auto`. */
  readonly device?: Device;
  readonly embeddingCacheSize?: number;
  readonly threads?: number;
  /** Bytes the worker's embedding cache may hold (default 512 MiB). */
  readonly embeddingCacheBytes?: number;
  /** Per-request limit; model loads get four times as long. Default 60 s. */
  readonly timeoutMs?: number;
  /** Called with notices for the user: a CPU fallback, unverified files, a worker restart. */
  readonly onNotice?: (message: string) => void;
}

/** A segment call: `image` may be a function, called only when the worker lacks the frame's embedding. */
export interface SegmentCall {
  readonly modelId: string;
  readonly frameKey: string;
  readonly frameSize: { readonly width: number; readonly height: number };
  readonly prompt: SegmentPrompt;
  readonly image: RgbImage | (() => Promise<RgbImage>);
  readonly pointCount?: number;
  /** `false`: no drift feature in the reply (a click's); propagation needs it. */
  readonly feature?: boolean;
  /** Cancels this call (a newer call cancels it too). */
  readonly signal?: CancelToken;
}

/** The channel to one worker process, typed by the worker's request-result map. */
type WorkerChannel = MessageChannel<ToWorker, FromWorker, WorkerRequestResults>;

/** One running worker: its process and the channel over its IPC. */
interface RunningWorker {
  readonly child: ChildProcess;
  readonly channel: WorkerChannel;
}

/** The worker script next to this module: bundled `worker.js`, or `worker.ts` run through tsx. */
export function defaultWorker(): { path: string; execArgv: string[] } {
  if (__filename.endsWith('.ts'))
    return { path: join(__dirname, 'worker.ts'), execArgv: ['--import', 'tsx'] };
  return { path: join(__dirname, 'worker.js'), execArgv: [] };
}

/**
 * Talks to one inference worker process over the shared MessageChannel. The worker starts
 * on first use and, after a crash, on the next request (the crash rejects what was in
 * flight with `crashed` and says so). A new `segment` call cancels the one still running:
 * only the latest click matters.
 */
export class InferenceClient {
  private worker?: RunningWorker;
  private starting?: Promise<RunningWorker>;
  private segmentInFlight?: CancelSource;
  private readonly framesSent = new Set<string>();
  private disposed = false;
  /** How many times the worker died unexpectedly. */
  crashes = 0;

  constructor(private readonly options: InferenceClientOptions = {}) {}

  /** The worker's process id, when it runs. */
  get pid(): number | undefined {
    return this.worker?.child.pid;
  }

  /** Starts the worker now (otherwise the first request does). */
  async start(): Promise<void> {
    await this.ensure();
  }

  /** Loads a model's sessions; says which provider runs it and why CPU if it fell back. */
  async loadModel(modelId: string): Promise<ModelLoadedReply> {
    const loaded = await this.call(
      { type: 'model/load', modelId },
      { timeoutMs: this.timeout() * 4 },
    );
    if (loaded.notice) this.options.onNotice?.(`${modelId}: ${loaded.notice}`);
    return loaded;
  }

  /** Runs a detector on a frame; boxes in source pixels, best first per class. */
  detect(modelId: string, image: RgbImage, options?: YoloxOptions): Promise<DetectionsReply> {
    return this.call({ type: 'frame/detect', modelId, image, ...(options ? { options } : {}) });
  }

  /** Computes and caches a frame's embedding (when the frame is shown), so clicks only decode. */
  async embed(
    modelId: string,
    frameKey: string,
    image: RgbImage,
    signal?: CancelToken,
  ): Promise<EmbeddedReply> {
    const reply = await this.call(
      { type: 'frame/embed', modelId, frameKey, image },
      { timeoutMs: this.timeout() * 2, ...(signal ? { signal } : {}) },
    );
    this.framesSent.add(`${modelId}\u0000${frameKey}`);
    return reply;
  }

  /** Segments from clicks and/or a box; cancels the previous segment call if it is still running. */
  async segment(call: SegmentCall): Promise<SegmentedReply> {
    this.segmentInFlight?.cancel('superseded by a newer click');
    const source = new CancelSource();
    this.segmentInFlight = source;
    const forward = (): void => source.cancel('cancelled by the caller');
    if (call.signal?.aborted) forward();
    call.signal?.addEventListener('abort', forward);
    const key = `${call.modelId}\u0000${call.frameKey}`;
    const base = {
      type: 'frame/segment' as const,
      modelId: call.modelId,
      frameKey: call.frameKey,
      frameSize: call.frameSize,
      prompt: call.prompt,
      ...(call.pointCount ? { pointCount: call.pointCount } : {}),
      ...(call.feature === false ? { feature: false } : {}),
    };
    const opts: RequestOptions = { timeoutMs: this.timeout() * 2, signal: source };
    const imageOf = async (): Promise<RgbImage> =>
      typeof call.image === 'function' ? call.image() : call.image;
    try {
      if (this.framesSent.has(key)) {
        try {
          traceClick('client send');
          const reply = await this.call(base, opts);
          traceClick('client reply');
          return reply;
        } catch (e) {
          // The worker restarted or evicted the frame: send it once more, with the image.
          if (!(e instanceof RequestError) || e.code !== NEEDS_IMAGE) throw e;
        }
      }
      const image = await imageOf();
      const reply = await this.call({ ...base, image }, opts);
      this.framesSent.add(key);
      return reply;
    } finally {
      call.signal?.removeEventListener('abort', forward);
      if (this.segmentInFlight === source) this.segmentInFlight = undefined;
    }
  }

  /** Drops the worker's cached embeddings. */
  async clearEmbeddings(): Promise<void> {
    this.framesSent.clear();
    await this.call({ type: 'embeddings/clear' });
  }

  /** The provider and models report, computed in the worker (where onnxruntime lives). */
  doctor(): Promise<InferenceDoctorReport> {
    return this.call({ type: 'worker/doctor' }, { timeoutMs: this.timeout() * 2 });
  }

  /** Stops the worker (asks, then kills after two seconds); the client can start again afterwards. */
  async dispose(): Promise<void> {
    const running = this.worker;
    this.disposed = true;
    const child = running?.child;
    if (running && child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      running.channel.notify({ type: 'worker/shutdown' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    this.disposed = false;
  }

  private timeout(): number {
    return this.options.timeoutMs ?? 60_000;
  }

  private async call<T extends RequestType<ToWorker, WorkerRequestResults>>(
    body: Extract<ToWorker, { type: T }>,
    opts: RequestOptions = {},
  ): Promise<WorkerRequestResults[T]> {
    const running = await this.ensure();
    return running.channel.call(body, opts);
  }

  private ensure(): Promise<RunningWorker> {
    if (this.worker && this.worker.child.connected) return Promise.resolve(this.worker);
    this.starting ??= this.spawn().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async spawn(): Promise<RunningWorker> {
    const def = defaultWorker();
    const path = this.options.workerPath ?? def.path;
    if (!existsSync(path))
      throw new RequestError(
        'failed',
        `inference worker script not found at ${path} (run "npm run build")`,
      );
    const child = fork(path, [], {
      execArgv: [...(this.options.execArgv ?? def.execArgv)],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const transport = childTransport<
      ToWorker | Reply | CancelRequest,
      FromWorker | Reply | CancelRequest
    >(child);
    const channel: WorkerChannel = new MessageChannel((envelope) => transport.post(envelope), {
      timeoutMs: this.timeout(),
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(
          new RequestError('crashed', `inference worker exited during start-up (code ${code})`),
        );
      child.once('exit', onExit);
      transport.onReceive((envelope) =>
        channel.receive(envelope, (notification) => {
          if (notification.body.type !== 'worker/ready') return;
          child.off('exit', onExit);
          resolve();
        }),
      );
    });
    // A send racing the worker's death emits 'error' (EPIPE); 'exit' then rejects what was pending.
    child.on('error', (e) =>
      this.options.onNotice?.(`inference worker channel error: ${e.message}`),
    );
    const running: RunningWorker = { child, channel };
    child.on('exit', (code, signal) => this.onExit(running, code, signal));
    await ready;
    this.worker = running;
    this.framesSent.clear();
    const config = {
      manifestsDir: this.options.manifestsDir ?? defaultManifestsDir(),
      device: this.options.device ?? 'auto',
      embeddingCacheSize: this.options.embeddingCacheSize ?? 8,
      ...(this.options.embeddingCacheBytes
        ? { embeddingCacheBytes: this.options.embeddingCacheBytes }
        : {}),
      ...(this.options.modelsDir ? { modelsDir: this.options.modelsDir } : {}),
      ...(this.options.threads ? { threads: this.options.threads } : {}),
    };
    await channel.call({ type: 'worker/init', config });
    return running;
  }

  private onExit(running: RunningWorker, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.worker === running) this.worker = undefined;
    this.framesSent.clear();
    const expected = this.disposed;
    const message = `inference worker stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); it restarts on the next request`;
    running.channel.dispose(
      expected
        ? new RequestError('cancelled', 'inference worker was stopped')
        : new RequestError('crashed', message),
    );
    if (!expected) {
      this.crashes++;
      this.options.onNotice?.(message);
    }
  }
}
