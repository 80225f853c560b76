/**
 * The reviewer's keys (DESIGN.md section 4): `Shift+N` opens the review queue's next sample
 * (oldest annotated first) in review mode, `A` approves, `R` rejects with a comment (which
 * opens the sample's thread); in review mode both move on to the next sample. `W` draws the
 * model's proposals dashed beside the finals; comments answer in the thread.
 * Each change is one op; the host's `apply` decides (the hints here read core's rule).
 */
import type { ViewOp } from '../src/core/ops';
import { canTransition } from '../src/core/rules/sampleStatus';
import type { HostClient } from './host/hostClient';
import { sendOp } from './sendOp';
import type { Store } from './state/store';

/** Approve, reject, the queue and the thread, with the prompt and mode state in the store. */
export class ReviewActions {
  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly notice: (level: 'info' | 'warn' | 'error', text: string) => void,
    /** Opens a sample (the editor's own open, which resets frame and entity). */
    private readonly openSample: (line: number) => Promise<void> = async () => undefined,
  ) {}

  /** A: annotated -> approved; in review mode, then the next sample to review. */
  async approve(): Promise<void> {
    const s = this.store.state.sample;
    if (!s) return;
    if (!canTransition(s.state.status, 'approved')) {
      this.notice(
        'info',
        `only annotated samples can be approved; this one is ${s.state.status.replace('_', ' ')} (Ctrl+Enter marks it annotated)`,
      );
      return;
    }
    const op: ViewOp = { type: 'sample/status', line: s.line, id: s.id, status: 'approved' };
    if (!(await this.send(op, 'approve sample'))) return;
    this.notice('info', `${s.id} approved`);
    if (this.store.state.reviewing) await this.nextToReview(`${s.id} approved; `);
  }

  /** R: opens the comment prompt (the reject happens on its confirm). */
  askReject(): void {
    const s = this.store.state.sample;
    if (!s) return;
    if (!canTransition(s.state.status, 'rejected')) {
      this.notice(
        'info',
        `only annotated samples can be rejected; this one is ${s.state.status.replace('_', ' ')}`,
      );
      return;
    }
    this.store.update(['ui'], (st) => {
      st.rejecting = true;
    });
  }

  /** Closes the prompt without rejecting. */
  cancelReject(): void {
    this.store.update(['ui'], (st) => {
      st.rejecting = false;
    });
  }

  /** annotated -> rejected with the reviewer's comment; in review mode, then the next one. */
  async reject(comment: string): Promise<void> {
    const s = this.store.state.sample;
    this.cancelReject();
    if (!s) return;
    const text = comment.trim();
    if (!text) {
      this.notice('warn', 'a rejection needs a comment for the annotator');
      return;
    }
    const op: ViewOp = {
      type: 'sample/status',
      line: s.line,
      id: s.id,
      status: 'rejected',
      comment: text,
    };
    if (!(await this.send(op, 'reject sample'))) return;
    this.notice('info', `${s.id} rejected: ${text}`);
    if (this.store.state.reviewing) await this.nextToReview(`${s.id} rejected; `);
  }

  /** Shift+N: the next annotated sample after this one in the queue, in review mode. */
  async nextToReview(said = ''): Promise<void> {
    const after = this.store.state.sample?.line ?? -1;
    try {
      const r = await this.client.request({ type: 'sample/nextReview/find', after });
      if (r.line === null) {
        this.setReviewing(false);
        this.notice('info', `${said}no annotated samples left to review`);
        return;
      }
      await this.openSample(r.line);
      this.setReviewing(true);
    } catch (e) {
      this.notice('error', e instanceof Error ? e.message : String(e));
    }
  }

  /** Review mode on or off (off again when a person leaves the queue's samples). */
  setReviewing(on: boolean): void {
    if (this.store.state.reviewing === on && (on || !this.store.state.showProposal)) return;
    this.store.update(['ui', 'entity'], (st) => {
      st.reviewing = on;
      if (!on) st.showProposal = false;
    });
  }

  /** W: the stage draws the model's proposals (dashed) with the final groundings, or not. */
  toggleProposal(): void {
    this.store.update(['ui', 'entity'], (st) => {
      st.showProposal = !st.showProposal;
    });
    if (this.store.state.showProposal)
      this.notice(
        'info',
        "the model's proposals are drawn dashed beside the finals (W hides them)",
      );
  }

  /** Adds `text` to the sample's thread (about item `entity` when given). */
  async comment(text: string, entity?: number): Promise<boolean> {
    const s = this.store.state.sample;
    const body = text.trim();
    if (!s || !body) return false;
    const op: ViewOp = {
      type: 'sample/comment',
      line: s.line,
      id: s.id,
      text: body,
      ...(entity !== undefined ? { entity } : {}),
    };
    return this.send(op, 'comment');
  }

  /** Edits comment `index` of the thread to `text`, or deletes it when `text` is absent. */
  changeComment(index: number, text?: string): Promise<boolean> {
    const s = this.store.state.sample;
    if (!s) return Promise.resolve(false);
    const op: ViewOp = {
      type: 'sample/comment-edit',
      line: s.line,
      id: s.id,
      index,
      ...(text !== undefined ? { text } : {}),
    };
    return this.send(op, text === undefined ? 'delete comment' : 'edit comment');
  }

  private send(op: ViewOp, label: string): Promise<boolean> {
    return sendOp(this.client, this.notice, op, label);
  }
}
