/**
 * What the keys and buttons do: the verification flow (activate, kind, accept, reject,
 * draw), frames (step, play, go to), samples (open, next todo, annotated) and the document
 * (undo, redo, save, export). Every edit is one op sent to the host; nothing is changed
 * locally, the host's `sample/didChange` brings the result back.
 */
import type { ExportFormat } from '../src/core/export/formats';
import { isAnswer } from '../src/core/answer';
import type { GroundingTag, Point } from '../src/core/model';
import type { ViewLeafOp, ViewOp } from '../src/core/ops';
import type { SampleSnapshot } from '../src/protocol/snapshot';
import { AnswerActions, answerTool } from './answerActions';
import { errorText } from './errorText';
import type { HostClient } from './host/hostClient';
import { sendOp } from './sendOp';
import type { Store, ToolId } from './state/store';

/** The editor's actions, shared by the keyboard, the buttons and the tools. */
export class EditorActions {
  /** When the active entity was activated or last edited (for `timeMs`). */
  private since = performance.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The answer item's task, tool and acceptable frames. */
  readonly answer: AnswerActions;

  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly applySample: (s: SampleSnapshot, keep: boolean) => void,
    private readonly focusStage: () => void,
  ) {
    this.answer = new AnswerActions(store, client, (level, text) => this.notice(level, text));
    store.subscribe((changes) => {
      if (changes.has('sample')) this.sampleShown();
    });
  }

  /** The sample shown, by line and id: a new one (opened, or the first from `host/init`). */
  private shownKey = '';

  /** A newly shown sample that starts on its answer gets its task's tool ready. */
  private sampleShown(): void {
    const s = this.store.state.sample;
    const key = s ? `${s.line}:${s.id}` : '';
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.answer.stopAdding();
    const tool = isAnswer(this.store.activeEntity()) ? answerTool(s?.task) : undefined;
    if (tool) this.setTool(tool);
  }

  // ---- entities ----

  /** Makes entity `i` active and shows its proposed or grounded frame. */
  activate(i: number): void {
    const ents = this.store.state.sample?.state.entities ?? [];
    if (!ents.length) return;
    const k = ((i % ents.length) + ents.length) % ents.length;
    const e = ents[k];
    const target = e?.grounding?.frame ?? e?.proposal?.frame;
    this.since = performance.now();
    this.stopPlay();
    if (k !== this.store.state.entity) this.answer.stopAdding();
    // The answer is drawn with its task's tool: a box for segment, points for area...
    const tool = isAnswer(e) ? answerTool(this.store.state.sample?.task) : undefined;
    if (tool) this.setTool(tool);
    this.store.update(['entity', 'frame'], (s) => {
      s.entity = k;
      if (target !== undefined && target < s.frames.length) s.frame = target;
    });
    this.focusStage();
  }

  /** Tab / Shift+Tab. */
  cycle(delta: number): void {
    const cur = this.store.state.entity;
    this.activate(cur === undefined ? (delta > 0 ? 0 : -1) : cur + delta);
  }

  /** 1 / 2: the kind, and the tool that draws it. */
  setKind(kind: 'object' | 'area'): void {
    const e = this.store.activeEntity();
    if (isAnswer(e)) {
      this.notice('info', "the answer's kind is its task's tag; change the task to change it");
      return;
    }
    this.setTool(kind === 'object' ? 'box' : 'points');
    if (!e) return;
    if (e.kind !== kind) this.askEntity({ type: 'entity/kind', kind }, `kind ${kind}`);
  }

  /** Enter: accept the proposal (source kept, points converted to the frame's pixels). */
  accept(): void {
    const e = this.store.activeEntity();
    if (!e) {
      this.notice('info', 'select an entity first (Tab)');
      return;
    }
    // A counting answer proposes a number, which Enter verifies as it is.
    if (!e.proposal && isAnswer(e) && e.proposedCount !== undefined) {
      this.askEntity({ type: 'entity/accept' }, `accept count ${e.proposedCount}`);
      return;
    }
    if (!e.proposal) {
      this.notice('info', `"${e.text}" has no proposal to accept; draw its geometry instead`);
      return;
    }
    // A proposal on a frame the sample does not have (an imported <frame53> of 20) has nothing to show.
    const count = this.store.state.frames.length;
    if (count > 0 && e.proposal.frame >= count) {
      this.notice(
        'warn',
        `"${e.text}": the proposal is on frame ${e.proposal.frame}, but the sample has ${count} frames; draw its geometry instead`,
      );
      return;
    }
    const size = this.store.frameSize(e.proposal.frame);
    this.askEntity(
      size[0] > 0 && size[1] > 0 ? { type: 'entity/accept', size } : { type: 'entity/accept' },
      'accept proposal',
    );
  }

  /** Del: not groundable (again: back to what it was). */
  reject(): void {
    const e = this.store.activeEntity();
    if (e)
      this.askEntity(
        { type: 'entity/notGroundable' },
        e.status === 'not_groundable' ? 'restore entity' : 'not groundable',
      );
  }

  /** A tool drew or changed geometry of the active entity on the current frame. */
  commitGeometry(tag: GroundingTag, points: readonly Point[], label: string): void {
    const e = this.store.activeEntity();
    if (!e) return;
    const size = this.store.frameSize();
    if (!(size[0] > 0 && size[1] > 0)) {
      this.notice('warn', 'this frame is not loaded yet; wait for it before drawing');
      return;
    }
    if (this.answer.commitAlternate(points, size, label)) return;
    this.askEntity(
      { type: 'entity/draw', tag, frame: this.store.state.frame, points, size },
      label,
    );
  }

  /** Replaces the reasoning text (re-derives entities; works without media). */
  editReasoning(text: string): void {
    const s = this.store.state.sample;
    if (s)
      void sendOp(
        this.client,
        this.notify,
        { type: 'sample/reasoning', line: s.line, id: s.id, reasoning: text },
        'edit reasoning',
      );
  }

  /** Asks the host to apply an intent to the active entity; the host decides its state. */
  private askEntity(intent: EntityIntentBody, label: string): void {
    const s = this.store.state.sample;
    const i = this.store.state.entity;
    const e = this.store.activeEntity();
    if (!s || i === undefined || !e) return;
    const elapsedMs = Math.max(0, Math.round(this.elapsed()));
    this.since = performance.now();
    const ref = { line: s.line, id: s.id, entity: i, text: e.text, elapsedMs };
    void sendOp(this.client, this.notify, { ...ref, ...intent }, label);
  }

  private elapsed(): number {
    return performance.now() - this.since;
  }

  /** The time on the active entity since its last op, then restarts the clock (mask ops). */
  takeElapsed(): number {
    const ms = Math.max(0, Math.round(this.elapsed()));
    this.since = performance.now();
    return ms;
  }

  // ---- tools and view ----

  /** Switches the tool. */
  setTool(t: ToolId): void {
    if (this.store.state.tool !== t)
      this.store.update(['tool'], (s) => {
        s.tool = t;
      });
  }

  // ---- frames ----

  /** Steps `delta` frames (clamped). */
  step(delta: number): void {
    this.goTo(this.store.state.frame + delta);
  }

  /** Goes to frame `n` (clamped to the list). */
  goTo(n: number): void {
    const count = this.store.state.frames.length;
    if (!count) return;
    const f = Math.max(0, Math.min(count - 1, Math.trunc(n)));
    if (f !== this.store.state.frame)
      this.store.update(['frame'], (s) => {
        s.frame = f;
      });
  }

  /** Space: plays the sampled frames at the sample's fps (looping), or pauses. */
  togglePlay(): void {
    if (this.timer !== undefined) {
      this.stopPlay();
      return;
    }
    const n = this.store.state.frames.length;
    if (n < 2) return;
    const fps = this.store.state.sample?.fps ?? 2;
    this.timer = setInterval(
      () => {
        const s = this.store.state;
        this.store.update(['frame'], (st) => {
          st.frame = (s.frame + 1) % s.frames.length;
        });
      },
      1000 / Math.max(0.5, Math.min(30, fps)),
    );
    this.store.update(['ui'], (s) => {
      s.playing = true;
    });
  }

  /** Stops playback. */
  stopPlay(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.store.update(['ui'], (s) => {
      s.playing = false;
    });
  }

  // ---- samples ----

  /** Opens sample `line`. */
  async openSample(line: number): Promise<void> {
    this.stopPlay();
    try {
      this.shown(await this.client.request({ type: 'sample/open', line }));
    } catch (e) {
      this.notice('error', `cannot open line ${line + 1}: ${errorText(e)}`);
    }
  }

  /** Shows a sample the host opened for this view; its entity clock starts now. */
  private shown(snap: SampleSnapshot): void {
    this.since = performance.now();
    this.applySample(snap, false);
    this.focusStage();
  }

  /** Opens the next todo sample after the current one. */
  async nextTodo(): Promise<void> {
    const after = this.store.state.sample?.line ?? -1;
    this.stopPlay();
    try {
      // Found and opened in one round trip: the reply carries the sample.
      const r = await this.client.request({ type: 'sample/nextTodo/find', after, open: true });
      if (r.line === null) this.notice('info', 'no todo samples left');
      else if (r.sample) this.shown(r.sample);
      else await this.openSample(r.line);
    } catch (e) {
      this.notice('error', errorText(e));
    }
  }

  /** Ctrl+Enter: the sample is annotated; then the next todo. */
  async annotatedNext(): Promise<void> {
    const s = this.store.state.sample;
    if (!s) return;
    const st = s.state.status;
    if (st !== 'annotated' && st !== 'approved') {
      const status = (to: 'in_progress' | 'annotated'): ViewLeafOp => ({
        type: 'sample/status',
        line: s.line,
        id: s.id,
        status: to,
      });
      // rejected -> in_progress -> annotated: the rework is handed in again, in one step.
      const op: ViewOp =
        st === 'rejected'
          ? { type: 'batch', ops: [status('in_progress'), status('annotated')] }
          : status('annotated');
      if (!(await sendOp(this.client, this.notify, op, 'sample annotated'))) return;
    }
    await this.nextTodo();
  }

  // ---- document ----

  /** Undo (serve: the session's stack; VS Code: its own Undo command). */
  async undo(): Promise<void> {
    await this.doc('document/undo');
  }
  /** Redo. */
  async redo(): Promise<void> {
    await this.doc('document/redo');
  }

  /** Save (atomic on the host). */
  async save(): Promise<void> {
    try {
      await this.client.request({ type: 'document/save' });
      this.notice('info', 'saved');
    } catch (e) {
      this.notice('error', `save failed: ${errorText(e)}`);
    }
  }

  /** Export of the saved dataset, with the host's one-line summary. */
  async exportDataset(format: ExportFormat = 'rynnbrain-raw'): Promise<void> {
    if (this.store.state.document.dirty)
      this.notice('warn', 'exporting the saved file; unsaved changes are not included');
    this.store.update(['ui'], (s) => {
      s.busy = 'export';
    });
    try {
      const r = await this.client.request(
        { type: 'dataset/export', format },
        { timeoutMs: 600000 },
      );
      this.notice('info', r.summary);
    } catch (e) {
      this.notice('error', `export failed: ${errorText(e)}`);
    } finally {
      this.store.update(['ui'], (s) => {
        s.busy = undefined;
      });
    }
  }

  /** `notice` as a value (sendOp and the answer actions call it unbound). */
  private readonly notify = (level: 'info' | 'warn' | 'error', text: string): void =>
    this.notice(level, text);

  /** Shows a message in the banner. */
  notice(level: 'info' | 'warn' | 'error', text: string): void {
    this.store.update(['ui'], (s) => {
      s.notice = { level, text };
    });
  }

  private async doc(type: 'document/undo' | 'document/redo'): Promise<void> {
    try {
      await this.client.request({ type });
    } catch (e) {
      this.notice('error', errorText(e));
    }
  }
}

/** An entity intent without the entity reference (line, id, entity, text, elapsed time). */
type EntityIntentBody =
  | { readonly type: 'entity/accept'; readonly size?: readonly [number, number] }
  | {
      readonly type: 'entity/draw';
      readonly tag: GroundingTag;
      readonly frame: number;
      readonly points: readonly Point[];
      readonly size: readonly [number, number];
    }
  | { readonly type: 'entity/notGroundable' }
  | { readonly type: 'entity/kind'; readonly kind: GroundingTag };
