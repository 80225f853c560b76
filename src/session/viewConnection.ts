/**
 * One attached view (a webview panel or a browser tab in serve mode): it subscribes to the
 * session and unsubscribes on dispose, validates every incoming message, answers requests
 * through the shared channel, and keeps the sample this view shows (focus is per view).
 */
import { OpError } from '../core/ops';
import { MessageChannel } from '../protocol/channel';
import { RequestError } from '../protocol/envelope';
import type { CancelToken, Envelope, Reply } from '../protocol/envelope';
import type { HostMessage, ViewMessage, ViewRequest } from '../protocol/messages';
import { parseViewMessage } from '../protocol/messageSchema';
import type { InitSnapshot, SampleSnapshot, SampleSummary } from '../protocol/snapshot';
import type { EditorSession, SessionChange } from './editorSession';
import { Emitter } from './emitter';
import type { Event, Subscription } from './emitter';
import { propagateMask } from './maskTrack';
import { cycleEntity, segmentEntity, suggestEntity } from './modelProposals';
import { allSummaries, summaryAt } from './sampleIndex';
import { NotASampleError, sampleViewAt } from './sampleSnapshot';

/** Where a connection posts envelopes (webview.postMessage, a WebSocket). */
export interface ViewPort {
  post(
    envelope: Envelope<HostMessage | Reply | { type: 'request/cancel'; requestId: number }>,
  ): void;
}

/**
 * Above this many summaries `host/init` leaves the list to a `dataset/didList` sent right
 * after it (about 65 bytes a sample: 6.5 MB at 100k, which took the page longer to parse
 * than the sample to draw).
 */
export const INLINE_SAMPLES = 5000;

/** The line a new view opens: `line` if it is a sample, else the first todo, else the first sample. */
function initialLine(s: EditorSession, line?: number): number | null {
  const index = s.index;
  const wanted = line !== undefined && index.isSample(line) ? line : null;
  return wanted ?? index.next('todo', -1) ?? index.nextSample(-1);
}

/** The `host/init` snapshot: `samples` inline, or absent when they follow (`dataset/didList`). */
function initOf(
  s: EditorSession,
  samples: SampleSummary[] | undefined,
  sample: SampleSnapshot | undefined,
): InitSnapshot {
  return {
    mode: s.mode,
    datasetName: s.path.split(/[\\/]/).pop() ?? s.path,
    samples: samples ?? [],
    ...(samples ? {} : { samplesFollow: true as const }),
    counts: s.index.counts(),
    document: s.state,
    ...(sample ? { sample } : {}),
    canExport: s.canExport,
    canSuggest: s.suggestions?.enabled ?? false,
    inference: s.inference,
    ...(s.user ? { user: s.user } : {}),
  };
}

/**
 * The snapshot a page can carry in its HTML (serve mode, issue 14 item 5): the first todo
 * shown before the socket opens. Small lists go inline; a large one (O(n) to build and to
 * parse) comes with the socket's own `host/init`, which follows in any case.
 */
export async function pageInitSnapshot(s: EditorSession): Promise<InitSnapshot> {
  const target = initialLine(s);
  let sample: SampleSnapshot | undefined;
  if (target !== null) sample = await s.snapshot(target).catch(() => undefined);
  const small = s.doc.lines.length <= INLINE_SAMPLES;
  return initOf(s, small ? allSummaries(s.doc) : undefined, sample);
}

/** The message of an error, for a log line or a notice. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The host side of one view. */
export class ViewConnection {
  private readonly channel: MessageChannel<HostMessage, ViewMessage>;
  private readonly subscriptions: Subscription[];
  private readonly focusEmitter = new Emitter<number>((e) =>
    this.session.log('error', `a focus listener failed: ${errorText(e)}`),
  );
  /** Save requests running: a save, once asked for, completes and its reply says so. */
  private readonly saving = new Set<number>();
  private lineValue: number | undefined;
  /** Session changes seen so far (a snapshot built across one is built again). */
  private changes = 0;
  /** Fires with the sample line this view now shows (the navigator's "next todo" follows). */
  readonly onDidFocus: Event<number> = this.focusEmitter.event;
  /** Messages refused so far (for tests and the log). */
  rejected = 0;
  private disposed = false;

  constructor(
    private readonly session: EditorSession,
    port: ViewPort,
  ) {
    this.channel = new MessageChannel<HostMessage, ViewMessage>((e) => {
      if (!this.disposed) port.post(e);
    });
    this.subscriptions = [
      session.onDidChange((c) => this.changed(c)),
      session.onDidPost((m) => this.send(m)),
    ];
  }

  /** The sample line this view shows. */
  get line(): number | undefined {
    return this.lineValue;
  }

  /** Takes one raw message from the view; invalid ones are logged and refused, never applied. */
  receive(raw: unknown): void {
    const m = parseViewMessage(raw);
    if (!m.ok) {
      this.rejected++;
      this.session.log('warn', `refused a message from the view: ${m.reason}`);
      if (m.messageId !== undefined) this.channel.replyError(m.messageId, 'invalid', m.reason);
      return;
    }
    const body = m.body;
    switch (body.type) {
      case 'webview/ready':
        void this.sendInit(body.line);
        return;
      case 'request/cancel':
        // A save is not cancelled: it may already be renaming, and a reply must be true.
        if (!this.saving.has(body.requestId)) this.channel.cancelIncoming(body.requestId);
        return;
      case 'log/write':
        this.session.log(body.level, `view: ${body.message}`);
        return;
      default:
        void this.channel.answer(m.messageId, body, (b, signal) =>
          this.handle(m.messageId, b, signal),
        );
    }
  }

  /** Sends the full snapshot; the view shows `line` if it is a sample, else the first todo. */
  async sendInit(line?: number): Promise<void> {
    const s = this.session;
    const target = initialLine(s, line);
    let sample;
    if (target !== null) {
      try {
        sample = await s.snapshot(target);
        this.focus(target);
      } catch (e) {
        s.log('warn', errorText(e));
      }
    }
    // The one O(n) message: a view that may have missed anything gets every summary. Taken
    // after the snapshot's await, with no await until sent: the list, counts and state agree.
    const samples = allSummaries(s.doc);
    // A large list follows in its own message, so the page shows the sample before parsing it.
    const follows = samples.length > INLINE_SAMPLES;
    this.send({ type: 'host/init', snapshot: initOf(s, follows ? undefined : samples, sample) });
    if (follows) this.send({ type: 'dataset/didList', samples, counts: s.index.counts() });
  }

  /** Unsubscribes from the session and stops answering; pending requests are cancelled. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const sub of this.subscriptions) sub.dispose();
    this.focusEmitter.dispose();
    this.channel.dispose();
  }

  /** Sends a host message to this view (the VS Code front's key commands and bindings). */
  notify(body: HostMessage): void {
    if (!this.disposed) this.send(body);
  }

  /** The one way a message reaches the view. */
  private send(body: HostMessage): void {
    this.channel.notify(body);
  }

  private focus(line: number): void {
    this.lineValue = line;
    this.focusEmitter.fire(line);
  }

  /**
   * The snapshot of `line`, which this view shows from now on. A change that lands while it
   * is built (an edit, a suggestion) is not pushed to a view that is not on the line yet, so
   * the snapshot is built again: the reply must not be older than the session.
   */
  private async open(line: number, signal: CancelToken): Promise<SampleSnapshot> {
    let seen = this.changes;
    let snap = await this.session.snapshot(line, signal);
    for (let tries = 0; seen !== this.changes && tries < 3; tries++) {
      seen = this.changes;
      snap = await this.session.snapshot(line, signal);
    }
    this.focus(line);
    return snap;
  }

  private changed(c: SessionChange): void {
    this.changes++;
    const s = this.session;
    if (c.lines === 'all') {
      // Anything a view may have missed is a full snapshot, not a delta.
      void this.sendInit(this.lineValue);
      return;
    }
    // The shown sample first, then the document state (dirty, undo), in the same tick: the
    // page's handling of the list delta took 9 ms before it drew a model click's mask (SAM
    // click bench), and an edit on screen matters more than its row in the sample list.
    if (this.lineValue !== undefined && c.lines.includes(this.lineValue)) this.pushSample();
    if (c.kind === 'document')
      this.send({
        type: 'dataset/didChange',
        changed: c.lines.map((l) => summaryAt(s.doc, l)),
        counts: s.index.counts(),
        document: s.state,
        lineCount: s.doc.lines.length,
      });
  }

  /**
   * Pushes a fresh snapshot of the view's sample (after a change touched it): at once, inside
   * the change, with the media resolved when the view opened it (issue 14 item 5: an edit is
   * on screen without waiting for file checks); built with I/O only when that media is unknown.
   */
  private pushSample(): void {
    const line = this.lineValue;
    if (line === undefined) return;
    try {
      const now = this.session.snapshotNow(line);
      if (now) {
        this.send({ type: 'sample/didChange', sample: now });
        return;
      }
    } catch (e) {
      this.send({ type: 'notice/didPost', level: 'warn', message: errorText(e) });
      return;
    }
    this.session.snapshot(line).then(
      (sample) => this.send({ type: 'sample/didChange', sample }),
      (e: unknown) => this.send({ type: 'notice/didPost', level: 'warn', message: errorText(e) }),
    );
  }

  private async handle(id: number, body: ViewRequest, signal: CancelToken): Promise<unknown> {
    const s = this.session;
    try {
      switch (body.type) {
        case 'sample/open':
          return await this.open(body.line, signal);
        case 'document/op/apply':
          return s.edit(body.op, body.label);
        case 'document/undo':
          return await s.requestUndo();
        case 'document/redo':
          return await s.requestRedo();
        case 'document/save':
          this.saving.add(id);
          try {
            return await s.requestSave();
          } finally {
            this.saving.delete(id);
          }
        case 'document/conflict/resolve':
          // serve's socket answers this before here; VS Code offers its choices in a dialog.
          throw new RequestError('unsupported', 'this editor resolves disk conflicts elsewhere');
        case 'dataset/export':
          if (!s.canExport)
            throw new RequestError('unsupported', 'export is not available in this build yet');
          return { summary: await s.export(signal, body.format) };
        case 'sample/nextTodo/find': {
          const line = s.index.nextTodo(body.after);
          if (line === null || body.open !== true) return { line };
          return { line, sample: await this.open(line, signal) };
        }
        case 'sample/nextReview/find':
          return { line: s.index.nextToReview(body.after) };
        case 'frame/ensure': {
          const sample = sampleViewAt(s.doc, body.line);
          const ref = await s.media.ensureFrame(sample.fields, body.index, body.priority, signal);
          // Issue 11: the frame shown gets its SAM embedding in the background (never awaited).
          if (body.priority === 'now') void s.suggestions?.embedFrame?.(sample, body.index);
          return ref;
        }
        case 'media/proxy/make': {
          // The player's codec fallback (issue 13 item 8): a VP9 copy in the video cache.
          if (!s.media.videoProxy)
            throw new RequestError('unsupported', 'no VP9 copy can be made in this host');
          const sample = sampleViewAt(s.doc, body.line);
          return { uri: await s.media.videoProxy(sample.fields, signal) };
        }
        case 'model/suggest':
          return await suggestEntity(s, body.line, body.entity, signal);
        case 'model/suggest/cycle':
          return cycleEntity(s, body.line, body.entity);
        case 'model/segment':
          return await segmentEntity(
            s,
            body.line,
            body.entity,
            body.frame,
            body.clicks,
            signal,
            body.box,
          );
        case 'mask/propagate':
          return await propagateMask(s, body.line, body.entity, body.frame, body.direction, signal);
      }
    } catch (e) {
      if (e instanceof OpError) throw new RequestError('stale', e.message);
      if (e instanceof NotASampleError) throw new RequestError('not-found', e.message);
      throw e;
    }
  }
}
