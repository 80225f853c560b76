/**
 * The wire envelope shared by the extension host, the webview and the serve mode, after
 * vscode-hexeditor: every message has an id, replies name the message they answer.
 */

/** One message on the wire: `body` is a typed message, `inReplyTo` marks a reply. */
export interface Envelope<B = unknown> {
  readonly messageId: number;
  readonly inReplyTo?: number;
  readonly body: B;
}

/** A successful reply to a request. */
export interface ReplyOk<R = unknown> {
  readonly type: 'reply/ok';
  readonly result: R;
}

/** Error codes a reply can carry; the webview shows `message`, tests match `code`. */
export type ErrorCode =
  | 'invalid'
  | 'stale'
  | 'not-found'
  | 'refused'
  | 'cancelled'
  | 'timeout'
  | 'failed'
  | 'unsupported'
  | 'crashed';

/** A failed request: what went wrong, in words a person can act on. */
export interface ReplyError {
  readonly type: 'reply/error';
  readonly code: ErrorCode;
  readonly message: string;
}

/** Either reply. */
export type Reply<R = unknown> = ReplyOk<R> | ReplyError;

/** Cancels the request with message id `requestId`, in either direction (its reply is `cancelled`). */
export interface CancelRequest {
  readonly type: 'request/cancel';
  readonly requestId: number;
}

/** The part of an AbortSignal the protocol needs (it compiles without DOM and Node types). */
export interface CancelToken {
  readonly aborted: boolean;
  /** Why it was cancelled, when a string (an AbortSignal's reason may be anything). */
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A request that ended with a reply error, a timeout or a cancellation. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** True for a reply body. */
export function isReply(body: unknown): body is Reply {
  const t = (body as { type?: unknown } | null)?.type;
  return t === 'reply/ok' || t === 'reply/error';
}
