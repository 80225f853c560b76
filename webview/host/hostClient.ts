/**
 * The UI's typed client of the host: requests with replies, timeouts and cancellation over
 * the shared MessageChannel, and dispatch of host notifications to the app.
 */
import { MessageChannel } from '../../src/protocol/channel';
import type { RequestOptions } from '../../src/protocol/channel';
import type {
  HostMessage,
  ViewCommand,
  ViewMessage,
  ViewRequest,
  ViewRequestResults,
} from '../../src/protocol/messages';
import type { HostContext } from './hostContext';

/** Typed access to the host. */
export class HostClient {
  private readonly channel: MessageChannel<ViewMessage, HostMessage>;
  private readonly handlers: ((m: HostMessage) => void)[] = [];

  constructor(readonly context: HostContext) {
    this.channel = new MessageChannel<ViewMessage, HostMessage>((e) => context.post(e), {
      timeoutMs: 20000,
    });
    context.onMessage((e) => {
      if (this.channel.receiveReply(e)) return;
      const body = e.body as HostMessage;
      for (const h of this.handlers) h(body);
    });
  }

  /** Sends a request and resolves with its typed result. */
  request<T extends ViewRequest['type']>(
    body: Extract<ViewRequest, { type: T }>,
    opts?: RequestOptions,
  ): Promise<ViewRequestResults[T]> {
    return this.channel.request<ViewRequestResults[T]>(body, opts);
  }

  /** Sends a command (no reply). */
  command(body: ViewCommand): void {
    this.channel.notify(body);
  }

  /** Registers a receiver of host notifications. */
  onHostMessage(handler: (m: HostMessage) => void): void {
    this.handlers.push(handler);
  }
}
