/**
 * The SAM encoder on a thread of its own, inside the worker process. onnxruntime-node's
 * `session.run` runs on the calling thread (backend.js calls the binding in a setImmediate):
 * while an encoder run (1-2.5 s on two cores) held the worker's only thread, a click sent to
 * the worker was not even read until it ended (measured: a click 200 ms into an encoder run
 * waited 5.5 s at load 9). With the encoder here, the worker's thread stays free for the
 * decoder: a click starts beside the encoder run (priorityLanes.ts) and shares the cores for
 * what is left of it. A thread that cannot start (an environment without worker threads, a
 * script that cannot load) is reported once and the encoder runs on the worker's thread.
 */
import { setPriority } from 'node:os';
import { Worker, parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { Device } from './providers';
import { createSession } from './providers';

/** What an encoder thread is started with (its `workerData`). */
export interface EncoderThreadData {
  readonly encoderThread: {
    readonly path: string;
    readonly device: Device;
    readonly threads?: number;
  };
}

/** One encoder run asked of the thread. */
interface ThreadRequest {
  readonly id: number;
  readonly inputName: string;
  readonly input: Float32Array;
  readonly dims: readonly number[];
}

/** A float32 output as it crosses the thread boundary. */
interface ThreadTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** The thread's answer: the outputs by name, or why not. */
interface ThreadReply {
  readonly id: number;
  readonly outputs?: Record<string, ThreadTensor>;
  readonly error?: string;
}

/** Whether `data` is an encoder thread's workerData. */
export function isEncoderThreadData(data: unknown): data is EncoderThreadData {
  return typeof data === 'object' && data !== null && 'encoderThread' in data;
}

/** Runs inside the thread: one session, one run at a time, outputs copied back. */
export function serveEncoderThread(data: EncoderThreadData): void {
  const port = parentPort;
  if (!port) throw new Error('serveEncoderThread runs inside a worker thread');
  const { path, device, threads } = data.encoderThread;
  lowerThisThread();
  const session = createSession(path, device, `encoder thread (${path})`, threads);
  port.on('message', (m: ThreadRequest) => {
    void (async (): Promise<void> => {
      try {
        const s = (await session).session;
        const out = await s.run({ [m.inputName]: new ort.Tensor('float32', m.input, m.dims) });
        const outputs: Record<string, ThreadTensor> = {};
        for (const [name, tensor] of Object.entries(out))
          // A copy: onnxruntime may own the output's memory, which cannot be transferred.
          outputs[name] = { data: (tensor.data as Float32Array).slice(), dims: [...tensor.dims] };
        const reply: ThreadReply = { id: m.id, outputs };
        port.postMessage(
          reply,
          Object.values(outputs).map((t) => t.data.buffer as ArrayBuffer),
        );
      } catch (e) {
        const reply: ThreadReply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
        port.postMessage(reply);
      }
    })();
  });
}

/**
 * Nice 10 for the calling thread. The encoder is the editor's background work (the shown
 * frame's embedding, propagation); at normal priority its 1.5-2.7 s runs on both cores made
 * the frame on screen and the page's image decode wait (seek bench). On Linux the nice value
 * belongs to the thread, and the session's pool threads, created after, inherit it; the
 * decoder, on the worker's own thread, keeps normal priority. Elsewhere it may not apply.
 */
function lowerThisThread(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 10);
  } catch {
    /* not allowed here: the encoder keeps normal priority */
  }
}

/** How the worker starts an encoder thread: its script and the node options it needs. */
export interface EncoderThreadScript {
  readonly script: string;
  readonly execArgv?: readonly string[];
}

/** The worker's side of one encoder thread; `run` rejects once the thread is gone. */
export class EncoderThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (out: Record<string, ort.Tensor>) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  /** Why the thread stopped, once it has. */
  failure: string | undefined;

  constructor(start: EncoderThreadScript, data: EncoderThreadData) {
    // Under tsx (tests, benches) a thread does not inherit its loader: register it first.
    this.worker = start.script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(start.script)});`, {
          eval: true,
          workerData: data,
        })
      : new Worker(start.script, {
          workerData: data,
          ...(start.execArgv ? { execArgv: [...start.execArgv] } : {}),
        });
    // The worker process stays free to exit: a waiting thread must not hold it up.
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined || !reply.outputs) {
        waiting.reject(new Error(reply.error ?? 'the encoder thread gave no outputs'));
        return;
      }
      const out: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(reply.outputs))
        out[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      waiting.resolve(out);
    });
    const stop = (why: string): void => {
      this.failure ??= why;
      for (const waiting of this.pending.values()) waiting.reject(new Error(why));
      this.pending.clear();
    };
    this.worker.on('error', (e) => stop(`the encoder thread failed: ${e.message}`));
    this.worker.on('exit', (code) => stop(`the encoder thread exited (code ${code})`));
  }

  /** Runs the encoder on `input` (its buffer moves to the thread: do not reuse it). */
  run(inputName: string, input: ort.Tensor): Promise<Record<string, ort.Tensor>> {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    const data = input.data as Float32Array;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: ThreadRequest = { id, inputName, input: data, dims: [...input.dims] };
      this.worker.postMessage(request, [data.buffer as ArrayBuffer]);
    });
  }

  /** Stops the thread. */
  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
