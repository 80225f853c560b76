/**
 * The reviewer's keys (DESIGN.md section 4): `A` approves an annotated sample, `R` opens
 * an inline comment prompt and rejects it with that comment. Both are one op each; the
 * host's `apply` decides (the hints here read core's rule, they do not restate it).
 */
import type { ViewOp } from '../src/core/ops';
import { canTransition } from '../src/core/rules/sampleStatus';
import type { HostClient } from './host/hostClient';
import type { Store } from './state/store';

/** Approve and reject, with the prompt state in the store. */
export class ReviewActions {
  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly notice: (level: 'info' | 'warn' | 'error', text: string) => void,
  ) {}

  /** A: annotated -> approved. */
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
    if (
      await this.send(
        { type: 'sample/status', line: s.line, id: s.id, status: 'approved' },
        'approve sample',
      )
    )
      this.notice('info', `${s.id} approved`);
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

  /** annotated -> rejected with the reviewer's comment. */
  async reject(comment: string): Promise<void> {
    const s = this.store.state.sample;
    this.cancelReject();
    if (!s) return;
    const text = comment.trim();
    if (!text) {
      this.notice('warn', 'a rejection needs a comment for the annotator');
      return;
    }
    if (
      await this.send(
        { type: 'sample/status', line: s.line, id: s.id, status: 'rejected', comment: text },
        'reject sample',
      )
    )
      this.notice('info', `${s.id} rejected: ${text}`);
  }

  private async send(op: ViewOp, label: string): Promise<boolean> {
    try {
      await this.client.request({ type: 'document/op/apply', op, label });
      return true;
    } catch (e) {
      this.notice('error', `${label}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }
}
