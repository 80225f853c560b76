/**
 * The reviewer's controls in the header: the review queue, approve, reject with an inline
 * comment prompt, the final-vs-proposal comparison of the active entity (IoU, or how far
 * the points moved) with the proposal toggle, and the inference status field.
 */
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { button, setEnabled, setPressed } from './controls';
import { reviewComparison } from './reviewCompare';

/** What the review controls do. */
export interface ReviewBarActions {
  nextToReview(): void;
  toggleProposal(): void;
  approve(): void;
  askReject(): void;
  reject(comment: string): void;
  cancelReject(): void;
}

/** The review bar. */
export class ReviewBar {
  readonly el: HTMLElement;
  private readonly approveBtn: HTMLElement;
  private readonly rejectBtn: HTMLElement;
  private readonly prompt: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly nextBtn: HTMLElement;
  private readonly proposalBtn: HTMLElement;
  private readonly compare: HTMLElement;

  constructor(
    private readonly store: Store,
    actions: ReviewBarActions,
  ) {
    this.nextBtn = button(
      'btn-next-review',
      'Next to review',
      'Review queue: the oldest annotated sample (Shift+N)',
      actions.nextToReview,
    );
    this.proposalBtn = button(
      'btn-show-proposal',
      'Proposal',
      "Show the model's proposal instead of the final grounding (W)",
      actions.toggleProposal,
    );
    this.compare = h('span', { class: 'review-compare', 'data-testid': 'review-compare' });
    this.approveBtn = button(
      'btn-approve',
      'Approve',
      'Review: approve the annotated sample (A)',
      actions.approve,
    );
    this.rejectBtn = button(
      'btn-reject-sample',
      'Reject…',
      'Review: reject the sample with a comment (R)',
      actions.askReject,
    );
    this.input = h('input', {
      type: 'text',
      class: 'reject-comment',
      'data-testid': 'reject-comment',
      placeholder: 'why? (Enter rejects, Esc cancels)',
      'aria-label': 'rejection comment',
      maxlength: '2000',
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        actions.reject(this.input.value);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        actions.cancelReject();
      }
      event.stopPropagation();
    });
    const confirm = button(
      'btn-reject-confirm',
      'Reject',
      'Reject with this comment (Enter)',
      () => actions.reject(this.input.value),
      { secondary: false },
    );
    const cancel = button('btn-reject-cancel', 'Cancel', 'Cancel (Esc)', actions.cancelReject);
    this.prompt = h(
      'span',
      { class: 'reject-prompt', 'data-testid': 'reject-prompt' },
      this.input,
      confirm,
      cancel,
    );
    this.prompt.hidden = true;
    this.status = h('span', {
      class: 'inference-status',
      'data-testid': 'inference-status',
      'data-state': 'off',
    });
    this.el = h(
      'span',
      { class: 'review-bar', 'data-testid': 'review-bar' },
      this.nextBtn,
      this.compare,
      this.proposalBtn,
      this.approveBtn,
      this.rejectBtn,
      this.prompt,
      this.status,
    );
    store.subscribe((c) => this.render(c));
    this.render(new Set(['ui', 'sample']));
  }

  private renderCompare(): void {
    const state = this.store.state;
    this.el.dataset.reviewing = String(state.reviewing);
    setPressed(this.proposalBtn, state.showProposal);
    const entity = this.store.activeEntity();
    const c = entity ? reviewComparison(entity) : undefined;
    this.compare.textContent = c?.text ?? '';
    this.compare.title = c?.title ?? '';
    this.compare.dataset.iou = c?.iou !== undefined ? c.iou.toFixed(3) : '';
    // Outside review, "no model proposal" is noise: the comparison shows when it compares.
    this.compare.hidden = !c || (!c.model && !state.reviewing);
    setEnabled(this.proposalBtn, c?.model !== undefined || state.showProposal);
  }

  private render(changes: ReadonlySet<Change>): void {
    const state = this.store.state;
    if (changes.has('sample') || changes.has('ui')) {
      const annotated = state.sample?.state.status === 'annotated';
      setEnabled(this.approveBtn, annotated);
      setEnabled(this.rejectBtn, annotated);
    }
    if (changes.has('sample') || changes.has('ui') || changes.has('entity')) this.renderCompare();
    if (!changes.has('ui')) return;
    const open = state.rejecting;
    if (open && this.prompt.hidden) {
      this.prompt.hidden = false;
      this.input.value = '';
      this.input.focus();
    } else if (!open) this.prompt.hidden = true;
    const st = state.inference;
    this.status.dataset.state = st.state;
    this.status.dataset.provider = st.provider ?? '';
    this.status.textContent = st.provider
      ? `⚙ ${st.provider}`
      : st.state === 'off'
        ? '⚙ models off'
        : st.state === 'starting'
          ? '⚙ starting…'
          : st.state === 'error'
            ? '⚙ models: error'
            : '⚙ models idle';
    this.status.title = st.message;
  }
}
