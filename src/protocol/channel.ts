/**
 * The request/response class every conversation uses (webview, serve socket, inference
 * worker), after hexeditor's MessageHandler plus what it lacked: error replies, a timeout
 * on every request, and cancellation that tells the other side, in both directions.
 * Transport-agnostic: `send` posts an envelope, `receive` routes one.
 */
import { RequestError, isReply } from './envelope';
import type { CancelRequest, CancelToken, Envelope, ErrorCode, Reply } from './envelope';

/** Timer functions, injected because the protocol compiles without DOM or Node types. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const globalTimers: Timers = {
  set: (fn, ms) =>
    (globalThis as unknown as { setTimeout(f: () => void, m: number): unknown }).setTimeout(fn, ms),
  clear: (h) => (globalThis as unknown as { clearTimeout(x: unknown): void }).clearTimeout(h),
};

function isCancel<B extends { type: string }>(body: B | CancelRequest): body is CancelRequest {
  return body.type === 'request/cancel';
}

/** Options of one request. */
export interface RequestOptions {
  /** Milliseconds before the request fails with `timeout` (default: the channel's). */
  readonly timeoutMs?: number;
  readonly signal?: CancelToken;
}

/** A cancellation source (the token aborts when the peer or a newer request cancels). */
export class CancelSource implements CancelToken {
  private listeners: (() => void)[] = [];
  aborted = false;
  reason?: string;
  /** Aborts once, with an optional reason for the message; listeners run in order. */
  cancel(reason?: string): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    for (const l of this.listeners.splice(0)) l();
  }
  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }
  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
}

/** Handles an incoming request; throw RequestError for a typed error reply. */
export type RequestHandler<B> = (body: B, signal: CancelToken) => Promise<unknown>;

/** The request types of `Out` that have a result type in `Results`. */
export type RequestType<Out extends { type: string }, Results> = Out['type'] & keyof Results;

function cancelMessage(type: string, signal: CancelToken | undefined): string {
  return typeof signal?.reason === 'string'
    ? `${type} was cancelled: ${signal.reason}`
    : `${type} was cancelled`;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  timer: unknown;
  cleanup(): void;
}

/**
 * One end of a conversation: sends requests and notifications, answers requests.
 * `Results` maps each request type of `Out` to its result type, for `call`.
 */
export class MessageChannel<
  Out extends { type: string },
  In extends { type: string },
  Results = Record<never, never>,
> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly incoming = new Map<number, CancelSource>();
  private disposed = false;

  constructor(
    private readonly send: (e: Envelope<Out | Reply | CancelRequest>) => void,
    private readonly options: { readonly timeoutMs?: number; readonly timers?: Timers } = {},
  ) {}

  /** Sends a command or notification (no reply expected). */
  notify(body: Out): void {
    if (this.disposed) return;
    this.send({ messageId: this.nextId++, body });
  }

  /** Sends a request typed by `Results`: the result type follows from the body's `type`. */
  call<T extends RequestType<Out, Results>>(
    body: Extract<Out, { type: T }>,
    opts: RequestOptions = {},
  ): Promise<Results[T]> {
    return this.request<Results[T]>(body, opts);
  }

  /** Sends a request and resolves with the reply's result; rejects with RequestError. */
  request<R>(body: Out, opts: RequestOptions = {}): Promise<R> {
    if (this.disposed)
      return Promise.reject(new RequestError('cancelled', 'the connection is closed'));
    const id = this.nextId++;
    const timers = this.options.timers ?? globalTimers;
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? 15000;
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => {
        this.settle(id, new RequestError('cancelled', cancelMessage(body.type, opts.signal)));
        this.send({ messageId: this.nextId++, body: { type: 'request/cancel', requestId: id } });
      };
      if (opts.signal?.aborted) {
        reject(new RequestError('cancelled', cancelMessage(body.type, opts.signal)));
        return;
      }
      const timer = timers.set(() => {
        this.settle(
          id,
          new RequestError('timeout', `${body.type} timed out after ${timeoutMs} ms (no reply)`),
        );
        this.send({ messageId: this.nextId++, body: { type: 'request/cancel', requestId: id } });
      }, timeoutMs);
      opts.signal?.addEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
        cleanup: () => opts.signal?.removeEventListener('abort', onAbort),
      });
      this.send({ messageId: id, body });
    });
  }

  /** Answers request `to` by running `handler`; errors become `reply/error`, never a throw. */
  async answer<B extends In>(to: number, body: B, handler: RequestHandler<B>): Promise<void> {
    const cancel = new CancelSource();
    this.incoming.set(to, cancel);
    let reply: Reply;
    try {
      const result = await handler(body, cancel);
      reply = cancel.aborted
        ? { type: 'reply/error', code: 'cancelled', message: 'cancelled' }
        : { type: 'reply/ok', result };
    } catch (e) {
      const code: ErrorCode =
        e instanceof RequestError ? e.code : cancel.aborted ? 'cancelled' : 'failed';
      reply = { type: 'reply/error', code, message: e instanceof Error ? e.message : String(e) };
    } finally {
      this.incoming.delete(to);
    }
    if (!this.disposed) this.send({ messageId: this.nextId++, inReplyTo: to, body: reply });
  }

  /** Replies directly (for a request rejected before any handler ran). */
  replyError(to: number, code: ErrorCode, message: string): void {
    if (!this.disposed)
      this.send({
        messageId: this.nextId++,
        inReplyTo: to,
        body: { type: 'reply/error', code, message },
      });
  }

  /** Cancels the handler running for request `requestId`, if any. */
  cancelIncoming(requestId: number): void {
    this.incoming.get(requestId)?.cancel();
  }

  /**
   * Routes an envelope: a reply settles its request, a `request/cancel` cancels the
   * handler it names, anything else goes to `dispatch` (a request or a notification).
   */
  receive(env: Envelope<In | Reply | CancelRequest>, dispatch: (env: Envelope<In>) => void): void {
    if (this.receiveReply(env)) return;
    const body = env.body;
    if (isReply(body)) return; // a reply without `inReplyTo`: nothing to settle
    if (isCancel(body)) {
      this.cancelIncoming(body.requestId);
      return;
    }
    dispatch({ ...env, body });
  }

  /**
   * Settles a request when the envelope is a reply and returns true; anything else
   * returns false for the caller's dispatcher.
   */
  receiveReply(env: Envelope): boolean {
    if (env.inReplyTo === undefined || !isReply(env.body)) return false;
    const body = env.body;
    if (body.type === 'reply/ok') this.settle(env.inReplyTo, undefined, body.result);
    else this.settle(env.inReplyTo, new RequestError(body.code, body.message));
    return true;
  }

  /** Requests still waiting for a reply. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Rejects every pending request with `error` and cancels every running handler. */
  dispose(error = new RequestError('cancelled', 'the connection is closed')): void {
    this.disposed = true;
    for (const id of [...this.pending.keys()]) this.settle(id, error);
    for (const c of this.incoming.values()) c.cancel();
  }

  private settle(id: number, error: unknown, result?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    (this.options.timers ?? globalTimers).clear(p.timer);
    p.cleanup();
    if (error) p.reject(error);
    else p.resolve(result);
  }
}
