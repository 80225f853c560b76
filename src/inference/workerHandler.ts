/** The worker's side of the channel: a serial queue over the engine, typed answers, cancellation. */
import { MessageChannel } from '../protocol/channel';
import { RequestError } from '../protocol/envelope';
import type { CancelRequest, CancelToken, Envelope, Reply } from '../protocol/envelope';
import { traceClick } from './clickTrace';
import { inferenceDoctor } from './doctor';
import type { EncoderThreadScript } from './encoderThread';
import { InferenceEngine } from './engine';
import type { FromWorker, ToWorker, WorkerRequest, WorkerRequestResults } from './messages';
import { PriorityLanes } from './priorityLanes';
import type { Lane } from './priorityLanes';

/** Sends one envelope to the host. */
export type Send = (envelope: Envelope<FromWorker | Reply | CancelRequest>) => void;

/** The request body of type `T`. */
type RequestOf<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

/** One answer per request type, each returning that type's result (checked by the compiler). */
type Handlers = {
  [T in WorkerRequest['type']]: (
    body: RequestOf<T>,
    signal: CancelToken,
  ) => Promise<WorkerRequestResults[T]>;
};

/**
 * The requests nobody waits for: the detector pass of the automatic suggestions and the
 * embedding of a frame just shown. Everything else (a click, a load, the doctor) goes first.
 */
const BACKGROUND: ReadonlySet<WorkerRequest['type']> = new Set(['frame/detect', 'frame/embed']);

/** The lane a request waits in. */
export function laneOf(type: WorkerRequest['type']): Lane {
  return BACKGROUND.has(type) ? 'background' : 'interactive';
}

/**
 * Answers host requests in two lanes (priorityLanes.ts), each one at a time in arrival
 * order: interactive requests (a model click) never wait for background ones (detector
 * passes, embeddings of shown frames), and start beside a background run already under way
 * rather than behind it; background work holds off while clicks come. A request cancelled
 * while queued is skipped when its turn comes; a running one stops at its next stage.
 */
export class WorkerHandler {
  private engine?: InferenceEngine;
  private readonly lanes = new PriorityLanes();
  private readonly channel: MessageChannel<FromWorker, ToWorker>;

  private readonly handlers: Handlers = {
    'worker/init': async (body) => {
      this.engine = new InferenceEngine(body.config, this.threadScript);
      return { pid: process.pid };
    },
    'model/load': (body) => this.requireEngine().loadInfo(body.modelId),
    'frame/detect': (body, signal) =>
      this.requireEngine().detect(body.modelId, body.image, body.options, signal),
    'frame/segment': (body, signal) =>
      this.requireEngine().segment(
        body.modelId,
        body.frameKey,
        body.image,
        body.frameSize,
        body.prompt,
        body.pointCount,
        signal,
        body.feature,
      ),
    'frame/embed': (body, signal) =>
      this.requireEngine().embed(body.modelId, body.frameKey, body.image, signal),
    'embeddings/clear': async () => ({ dropped: this.requireEngine().clearEmbeddings() }),
    'worker/doctor': async () => {
      const config = this.requireEngine().config;
      return inferenceDoctor({
        device: config.device,
        modelsDir: config.modelsDir,
        manifestsDir: config.manifestsDir,
      });
    },
  };

  /** `threadScript`: where the engine starts SAM encoder threads (none: encode in place). */
  constructor(
    send: Send,
    private readonly exit: () => void = () => process.exit(0),
    private readonly threadScript?: EncoderThreadScript,
  ) {
    this.channel = new MessageChannel<FromWorker, ToWorker>(send);
  }

  /** Tells the host the worker is up. */
  announce(pid: number): void {
    this.channel.notify({ type: 'worker/ready', pid });
  }

  /** Entry point for every envelope from the host. */
  receive(envelope: Envelope<ToWorker | Reply | CancelRequest>): void {
    this.channel.receive(envelope, (request) => {
      const body = request.body;
      if (body.type === 'worker/shutdown') {
        void this.lanes.idle().then(this.exit);
        return;
      }
      if (!(body.type in this.handlers)) {
        this.channel.replyError(request.messageId, 'invalid', `unknown request "${body.type}"`);
        return;
      }
      if (body.type === 'frame/segment') traceClick('worker in');
      void this.channel.answer(request.messageId, body, (b, signal) =>
        this.lanes.run(laneOf(b.type), () => this.dispatch(b, signal), signal),
      );
    });
  }

  private dispatch<T extends WorkerRequest['type']>(
    body: RequestOf<T>,
    signal: CancelToken,
  ): Promise<WorkerRequestResults[T]> {
    const handler: Handlers[T] = this.handlers[body.type];
    return handler(body, signal);
  }

  private requireEngine(): InferenceEngine {
    if (!this.engine)
      throw new RequestError('invalid', 'the worker was not initialised (send worker/init first)');
    return this.engine;
  }
}
