/** InferenceClient: the host side of the worker protocol, for the CLI and the VS Code extension host alike. */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { YoloxOptions } from './families/yolox';
import type { SegmentPrompt } from './families/samPrompt';
import type { RgbImage } from './image';
import { defaultManifestsDir } from './manifest';
import type {
  DetectionsReply,
  Envelope,
  ErrorCode,
  HostMessage,
  InferenceDoctorReport,
  ModelLoadedReply,
  SegmentedReply,
  WorkerMessage,
} from './messages';
import type { Device } from './providers';

/** A failed request, with the worker's error code (`cancelled`, `crashed`, `timeout`, ...). */
export class InferenceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

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
}

interface Pending {
  resolve(body: WorkerMessage): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The worker script next to this module: bundled `worker.js`, or `worker.ts` run through tsx. */
export function defaultWorker(): { path: string; execArgv: string[] } {
  if (__filename.endsWith('.ts'))
    return { path: join(__dirname, 'worker.ts'), execArgv: ['--import', 'tsx'] };
  return { path: join(__dirname, 'worker.js'), execArgv: [] };
}

/**
 * Talks to one inference worker process. The worker starts on first use and, after a
 * crash, on the next request (the crash rejects what was in flight and says so). A new
 * `segment` call cancels the one still running: only the latest click matters.
 */
export class InferenceClient {
  private child?: ChildProcess;
  private starting?: Promise<ChildProcess>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private segmentInFlight?: number;
  private segmentGeneration = 0;
  private readonly framesSent = new Set<string>();
  private disposed = false;
  /** How many times the worker died unexpectedly. */
  crashes = 0;

  constructor(private readonly options: InferenceClientOptions = {}) {}

  /** The worker's process id, when it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker now (otherwise the first request does). */
  async start(): Promise<void> {
    await this.ensure();
  }

  /** Loads a model's sessions; says which provider runs it and why CPU if it fell back. */
  async loadModel(modelId: string): Promise<ModelLoadedReply> {
    const r = await this.request({ type: 'model/load', modelId }, this.timeout() * 4);
    const loaded = r as ModelLoadedReply;
    if (loaded.notice) this.options.onNotice?.(`${modelId}: ${loaded.notice}`);
    return loaded;
  }

  /** Runs a detector on a frame; boxes in source pixels, best first per class. */
  async detect(modelId: string, image: RgbImage, options?: YoloxOptions): Promise<DetectionsReply> {
    return (await this.request({
      type: 'detect',
      modelId,
      image,
      ...(options ? { options } : {}),
    })) as DetectionsReply;
  }

  /** Segments from clicks and/or a box; cancels the previous segment call if it is still running. */
  async segment(call: SegmentCall): Promise<SegmentedReply> {
    const generation = ++this.segmentGeneration;
    if (this.segmentInFlight !== undefined)
      this.cancel(this.segmentInFlight, 'superseded by a newer click');
    const superseded = (): void => {
      if (generation !== this.segmentGeneration)
        throw new InferenceError('cancelled', 'superseded by a newer click');
    };
    const key = `${call.modelId}\u0000${call.frameKey}`;
    const base = {
      type: 'segment' as const,
      modelId: call.modelId,
      frameKey: call.frameKey,
      frameSize: call.frameSize,
      prompt: call.prompt,
      ...(call.pointCount ? { pointCount: call.pointCount } : {}),
    };
    const imageOf = async (): Promise<RgbImage> =>
      typeof call.image === 'function' ? call.image() : call.image;
    const first = this.framesSent.has(key) ? base : { ...base, image: await imageOf() };
    superseded();
    try {
      return (await this.request(first, this.timeout() * 2, true)) as SegmentedReply;
    } catch (e) {
      if (!(e instanceof InferenceError) || e.code !== 'needs-image') throw e;
      const image = await imageOf();
      superseded();
      return (await this.request({ ...base, image }, this.timeout() * 2, true)) as SegmentedReply;
    } finally {
      this.framesSent.add(key);
    }
  }

  /** Drops the worker's cached embeddings. */
  async clearEmbeddings(): Promise<void> {
    this.framesSent.clear();
    await this.request({ type: 'embeddings/clear' });
  }

  /** The provider and models report, computed in the worker (where onnxruntime lives). */
  async doctor(): Promise<InferenceDoctorReport> {
    return (
      (await this.request({ type: 'doctor' }, this.timeout() * 2)) as {
        report: InferenceDoctorReport;
      }
    ).report;
  }

  /** Stops the worker (asks, then kills after two seconds); the client can start again afterwards. */
  async dispose(): Promise<void> {
    const child = this.child;
    this.disposed = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        child.send({ messageId: this.nextId++, body: { type: 'shutdown' } });
      } catch {
        /* channel already closed */
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    this.disposed = false;
  }

  private timeout(): number {
    return this.options.timeoutMs ?? 60_000;
  }

  /** Rejects a pending request here at once and tells the worker to drop it. */
  private cancel(id: number, why: string, code: ErrorCode = 'cancelled'): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.reject(new InferenceError(code, why));
    if (this.child?.connected)
      this.child.send({ messageId: this.nextId++, body: { type: 'cancel', target: id } });
  }

  private async request(
    body: HostMessage,
    timeoutMs = this.timeout(),
    isSegment = false,
  ): Promise<WorkerMessage> {
    const child = await this.ensure();
    const messageId = this.nextId++;
    if (isSegment) this.segmentInFlight = messageId;
    return new Promise<WorkerMessage>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.cancel(
            messageId,
            `inference request ${body.type} timed out after ${timeoutMs} ms`,
            'timeout',
          ),
        timeoutMs,
      );
      this.pending.set(messageId, {
        resolve: (m) => {
          if (this.segmentInFlight === messageId) this.segmentInFlight = undefined;
          resolve(m);
        },
        reject: (e) => {
          if (this.segmentInFlight === messageId) this.segmentInFlight = undefined;
          reject(e);
        },
        timer,
      });
      if (!child.connected) {
        this.cancel(
          messageId,
          'inference worker stopped before the request was sent; it restarts on the next request',
          'crashed',
        );
        return;
      }
      child.send({ messageId, body } satisfies Envelope<HostMessage>);
    });
  }

  private ensure(): Promise<ChildProcess> {
    if (this.child && this.child.connected) return Promise.resolve(this.child);
    this.starting ??= this.spawn().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async spawn(): Promise<ChildProcess> {
    const def = defaultWorker();
    const path = this.options.workerPath ?? def.path;
    if (!existsSync(path))
      throw new InferenceError(
        'failed',
        `inference worker script not found at ${path} (run "npm run build")`,
      );
    const child = fork(path, [], {
      execArgv: [...(this.options.execArgv ?? def.execArgv)],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: Envelope<WorkerMessage>): void => {
        if (m.body.type === 'ready') {
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null): void =>
        reject(
          new InferenceError('crashed', `inference worker exited during start-up (code ${code})`),
        );
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
    child.on('message', (m: Envelope<WorkerMessage>) => this.onMessage(m));
    // A send racing the worker's death emits 'error' (EPIPE); 'exit' then rejects what was pending.
    child.on('error', (e) =>
      this.options.onNotice?.(`inference worker channel error: ${e.message}`),
    );
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    await ready;
    this.child = child;
    this.framesSent.clear();
    const config = {
      manifestsDir: this.options.manifestsDir ?? defaultManifestsDir(),
      device: this.options.device ?? 'auto',
      embeddingCacheSize: this.options.embeddingCacheSize ?? 8,
      ...(this.options.modelsDir ? { modelsDir: this.options.modelsDir } : {}),
      ...(this.options.threads ? { threads: this.options.threads } : {}),
    };
    const id = this.nextId++;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new InferenceError('timeout', 'inference worker did not answer init')),
        this.timeout(),
      );
      this.pending.set(id, { resolve: () => resolve(), reject, timer });
      child.send({ messageId: id, body: { type: 'init', config } });
    });
    return child;
  }

  private onMessage(m: Envelope<WorkerMessage>): void {
    if (m.inReplyTo === undefined) return;
    const p = this.pending.get(m.inReplyTo);
    if (!p) return; // cancelled or timed out on this side already
    this.pending.delete(m.inReplyTo);
    clearTimeout(p.timer);
    if (m.body.type === 'error') p.reject(new InferenceError(m.body.code, m.body.message));
    else p.resolve(m.body);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) this.child = undefined;
    this.framesSent.clear();
    const expected = this.disposed;
    const message = `inference worker stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); it restarts on the next request`;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new InferenceError('crashed', expected ? 'inference worker was stopped' : message));
      this.pending.delete(id);
    }
    if (!expected) {
      this.crashes++;
      this.options.onNotice?.(message);
    }
  }
}
