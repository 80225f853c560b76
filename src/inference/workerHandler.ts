/** The worker's request handling: a serial queue over the engine, cancellation, error replies. */
import { inferenceDoctor } from './doctor';
import { CancelledError, InferenceEngine, NeedsImageError } from './engine';
import type { Envelope, ErrorCode, HostMessage, WorkerMessage } from './messages';

/** Sends one message to the host. */
export type Send = (message: Envelope<WorkerMessage>) => void;

/**
 * Handles host messages in arrival order, one at a time: onnxruntime already uses every
 * core for one run, so running two at once would only make both late. A cancelled
 * request still queued is answered at once; a running one stops at its next stage.
 */
export class WorkerHandler {
  private engine?: InferenceEngine;
  private nextId = 1;
  private queue: Promise<void> = Promise.resolve();
  private readonly tokens = new Map<number, { cancelled: boolean }>();

  constructor(
    private readonly send: Send,
    private readonly exit: () => void = () => process.exit(0),
  ) {}

  /** Entry point for every message from the host. */
  receive(envelope: Envelope<HostMessage>): void {
    const body = envelope.body;
    if (body.type === 'cancel') {
      const t = this.tokens.get(body.target);
      if (t) t.cancelled = true;
      return;
    }
    if (body.type === 'shutdown') {
      this.queue.finally(this.exit);
      return;
    }
    const token = { cancelled: false };
    this.tokens.set(envelope.messageId, token);
    this.queue = this.queue.then(async () => {
      try {
        if (token.cancelled) throw new CancelledError('cancelled before it started');
        this.reply(envelope.messageId, await this.handle(body, token));
      } catch (e) {
        this.reply(envelope.messageId, {
          type: 'error',
          code: codeOf(e),
          message: (e as Error).message ?? String(e),
        });
      } finally {
        this.tokens.delete(envelope.messageId);
      }
    });
  }

  private reply(inReplyTo: number, body: WorkerMessage): void {
    this.send({ messageId: this.nextId++, inReplyTo, body });
  }

  private requireEngine(): InferenceEngine {
    if (!this.engine) throw new Error('the worker was not initialised (send init first)');
    return this.engine;
  }

  private async handle(
    body: Exclude<HostMessage, { type: 'cancel' | 'shutdown' }>,
    token: { cancelled: boolean },
  ): Promise<WorkerMessage> {
    switch (body.type) {
      case 'init':
        this.engine = new InferenceEngine(body.config);
        return { type: 'ok' };
      case 'model/load':
        return this.requireEngine().loadInfo(body.modelId);
      case 'detect':
        return this.requireEngine().detect(body.modelId, body.image, body.options, token);
      case 'segment':
        return this.requireEngine().segment(
          body.modelId,
          body.frameKey,
          body.image,
          body.frameSize,
          body.prompt,
          body.pointCount,
          token,
        );
      case 'embeddings/clear':
        this.requireEngine().clearEmbeddings();
        return { type: 'ok' };
      case 'doctor': {
        const c = this.requireEngine().config;
        return {
          type: 'doctor',
          report: await inferenceDoctor({
            device: c.device,
            modelsDir: c.modelsDir,
            manifestsDir: c.manifestsDir,
          }),
        };
      }
      default:
        throw Object.assign(
          new Error(`unknown request type "${(body as { type?: string }).type}"`),
          { code: 'bad-request' },
        );
    }
  }
}

function codeOf(e: unknown): ErrorCode {
  if (e instanceof CancelledError) return 'cancelled';
  if (e instanceof NeedsImageError) return 'needs-image';
  if (e && typeof e === 'object' && (e as { code?: unknown }).code === 'bad-request')
    return 'bad-request';
  return 'failed';
}
