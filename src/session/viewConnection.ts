/**
 * One attached view (a webview panel or a browser tab in serve mode): validates every
 * incoming message, answers requests through the shared channel, and keeps track of the
 * sample the view shows so that edits push it a fresh snapshot.
 */
import { OpError } from '../core/ops';
import { MessageChannel } from '../protocol/channel';
import { RequestError } from '../protocol/envelope';
import type { CancelToken, Envelope, Reply } from '../protocol/envelope';
import type { HostMessage, ViewMessage, ViewRequest } from '../protocol/messages';
import type { InitSnapshot } from '../protocol/snapshot';
import type { EditorSession, LogLevel } from './editorSession';
import { parseViewMessage } from '../protocol/messageSchema';
import { cycleEntity, segmentEntity, suggestEntity } from './modelProposals';
import { allSummaries, nextTodo } from './sampleIndex';
import { NotASampleError, buildSampleSnapshot, sampleViewAt } from './sampleSnapshot';

/** Where a connection posts envelopes (webview.postMessage, a WebSocket). */
export interface ViewPort {
  post(
    envelope: Envelope<HostMessage | Reply | { type: 'request/cancel'; requestId: number }>,
  ): void;
}

/** The host side of one view. */
export class ViewConnection {
  private readonly channel: MessageChannel<HostMessage, ViewMessage>;
  /** The sample line this view shows. */
  line: number | undefined;
  /** Messages refused so far (for tests and the log). */
  rejected = 0;
  private disposed = false;

  constructor(
    private readonly session: EditorSession,
    port: ViewPort,
    private readonly log: (level: LogLevel, message: string) => void,
  ) {
    this.channel = new MessageChannel<HostMessage, ViewMessage>((e) => {
      if (!this.disposed) port.post(e);
    });
  }

  /** Takes one raw message from the view; invalid ones are logged and refused, never applied. */
  receive(raw: unknown): void {
    const m = parseViewMessage(raw);
    if (!m.ok) {
      this.rejected++;
      this.log('warn', `refused a message from the view: ${m.reason}`);
      if (m.messageId !== undefined) this.channel.replyError(m.messageId, 'invalid', m.reason);
      return;
    }
    const body = m.body;
    switch (body.type) {
      case 'webview/ready':
        void this.sendInit(body.line);
        return;
      case 'request/cancel':
        this.channel.cancelIncoming(body.requestId);
        return;
      case 'log/write':
        this.log(body.level, `view: ${body.message}`);
        return;
      default:
        void this.channel.answer(m.messageId, body, (b, signal) => this.handle(b, signal));
    }
  }

  /** Posts a host message to the view. */
  post(body: HostMessage): void {
    this.channel.notify(body);
  }

  /** Sends the full snapshot; the view shows `line` if it is a sample, else the first todo. */
  async sendInit(line?: number): Promise<void> {
    const s = this.session;
    const samples = allSummaries(s.doc);
    let target =
      line !== undefined && samples.some((x) => x.line === line && !x.problem) ? line : undefined;
    target ??=
      samples.find((x) => !x.problem && x.status === 'todo')?.line ??
      samples.find((x) => !x.problem)?.line;
    let sample;
    if (target !== undefined) {
      try {
        sample = await buildSampleSnapshot(s.doc, target, s.media);
        this.line = target;
        s.focusLine = target;
      } catch (e) {
        this.log('warn', String(e));
      }
    }
    const snapshot: InitSnapshot = {
      mode: s.options.mode,
      datasetName: s.path.split(/[\\/]/).pop() ?? s.path,
      samples,
      document: s.state,
      ...(sample ? { sample } : {}),
      canExport: s.options.exporter !== undefined,
      canSuggest: s.options.suggestions?.enabled ?? false,
      inference: s.options.suggestions?.status ?? {
        state: 'off',
        message: 'models: not available in this build',
      },
    };
    this.post({ type: 'host/init', snapshot });
  }

  /** Pushes a fresh snapshot of the view's sample (after an edit touched it). */
  async pushSample(): Promise<void> {
    if (this.line === undefined) return;
    try {
      this.post({
        type: 'sample/didChange',
        sample: await buildSampleSnapshot(this.session.doc, this.line, this.session.media),
      });
    } catch (e) {
      this.post({
        type: 'notice/didPost',
        level: 'warn',
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }

  /** Stops answering; pending requests are cancelled. */
  dispose(): void {
    this.disposed = true;
    this.channel.dispose();
  }

  private async handle(body: ViewRequest, signal: CancelToken): Promise<unknown> {
    const s = this.session;
    try {
      switch (body.type) {
        case 'sample/open': {
          const snap = await buildSampleSnapshot(s.doc, body.line, s.media, signal);
          this.line = body.line;
          s.focusLine = body.line;
          return snap;
        }
        case 'document/op/apply':
          return s.edit(body.op, body.label);
        case 'document/undo':
          if (s.options.delegate) await s.options.delegate.undo();
          else s.undo();
          return s.state;
        case 'document/redo':
          if (s.options.delegate) await s.options.delegate.redo();
          else s.redo();
          return s.state;
        case 'document/save':
          if (s.options.delegate) {
            await s.options.delegate.save();
            return { bytes: 0 };
          }
          return { bytes: await s.save() };
        case 'dataset/export': {
          if (!s.options.exporter)
            throw new RequestError('unsupported', 'export is not available in this build yet');
          return { summary: await s.options.exporter(signal) };
        }
        case 'sample/nextTodo/find':
          return { line: nextTodo(s.doc, body.after) };
        case 'frame/ensure': {
          const fields = sampleViewAt(s.doc, body.line).fields;
          return await s.media.ensureFrame(fields, body.index, body.priority, signal);
        }
        case 'model/suggest':
          return await suggestEntity(s, body.line, body.entity, signal);
        case 'model/suggest/cycle':
          return cycleEntity(s, body.line, body.entity);
        case 'model/segment':
          return await segmentEntity(s, body.line, body.entity, body.frame, body.clicks, signal);
      }
    } catch (e) {
      if (e instanceof OpError) throw new RequestError('stale', e.message);
      if (e instanceof NotASampleError) throw new RequestError('not-found', e.message);
      throw e;
    }
  }
}
