/**
 * The question, the reasoning with its entities highlighted (clickable, in their colours,
 * styled by status) and the answer. "Edit text" swaps in a textarea; saving it is one
 * `sample/reasoning` op, which works even when the sample's media is missing.
 */
import type { EntityState } from '../../src/core/model';
import type { EntitySpan } from '../../src/protocol/snapshot';
import { h } from '../dom';
import { entityColor } from '../stage/palette';
import type { Change, Store } from '../state/store';
import { button } from './controls';

/** What the panel's controls do. */
export interface ReasoningActions {
  activate(entity: number): void;
  editReasoning(text: string): void;
}

/** The reasoning panel. */
export class ReasoningPanel {
  readonly el: HTMLElement;
  private readonly question: HTMLElement;
  private readonly text: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly issues: HTMLElement;
  private readonly editor: HTMLTextAreaElement;
  private readonly editBar: HTMLElement;
  private editing = false;
  /** The span element of each entity index (the answer, item 0, has none in the text). */
  private spans = new Map<number, HTMLElement>();
  /** The sample, spans and texts the panel was built for (an edit of a grounding keeps them). */
  private textFor = '';
  private issuesShown = '';
  /** The entity last scrolled into view (undefined: none since the text was built). */
  private scrolledTo: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly actions: ReasoningActions,
  ) {
    this.question = h('div', { class: 'question', 'data-testid': 'question' });
    this.text = h('div', { class: 'reasoning', 'data-testid': 'reasoning' });
    this.answer = h('div', { class: 'answer', 'data-testid': 'answer' });
    // The answer text stands for the answer item (item 0 when the task grounds or counts it).
    this.answer.addEventListener('click', () => {
      if (this.store.state.sample?.state.entities[0]?.role === 'answer') actions.activate(0);
    });
    this.issues = h('ul', { class: 'issues', 'data-testid': 'reasoning-issues' });
    this.editor = h('textarea', {
      class: 'reasoning-editor',
      'data-testid': 'reasoning-editor',
      rows: '8',
      'aria-label': 'reasoning text',
      spellcheck: 'false',
    });
    this.editor.hidden = true;
    this.editor.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.stopEditing();
        event.preventDefault();
      }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        this.commit();
        event.preventDefault();
      }
      event.stopPropagation();
    });
    this.editBar = h(
      'div',
      { class: 'edit-bar' },
      button(
        'btn-save-reasoning',
        'Apply text',
        'Apply the edited reasoning (Ctrl+Enter)',
        () => this.commit(),
        { secondary: false },
      ),
      button('btn-cancel-reasoning', 'Cancel', 'Discard the edit (Esc)', () => this.stopEditing()),
    );
    this.editBar.hidden = true;
    this.el = h(
      'section',
      { class: 'panel reasoning-panel', 'data-testid': 'reasoning-panel' },
      h(
        'div',
        { class: 'panel-title' },
        h('span', {}, 'Reasoning'),
        button('btn-edit-reasoning', 'Edit text', 'Edit the reasoning text', () =>
          this.startEditing(),
        ),
      ),
      this.question,
      this.text,
      this.editor,
      this.editBar,
      this.answer,
      this.issues,
    );
    store.subscribe((c) => this.render(c));
  }

  private startEditing(): void {
    const sample = this.store.state.sample;
    if (!sample) return;
    this.editing = true;
    this.editor.value = sample.reasoning;
    this.editor.hidden = this.editBar.hidden = false;
    this.text.hidden = true;
    this.editor.focus();
  }

  private stopEditing(): void {
    this.editing = false;
    this.editor.hidden = this.editBar.hidden = true;
    this.text.hidden = false;
  }

  private commit(): void {
    const sample = this.store.state.sample;
    const text = this.editor.value;
    this.stopEditing();
    if (sample && text !== sample.reasoning) this.actions.editReasoning(text);
  }

  private render(changes: ReadonlySet<Change>): void {
    const sample = this.store.state.sample;
    if (changes.has('sample')) {
      // The same text (an edit of a grounding): only the entities' statuses change.
      const text = sample
        ? `${sample.line}:${sample.id}:${sample.spans.map((sp) => sp.index).join(',')}:${sample.question ?? ''}:${sample.answer ?? ''}:${sample.reasoning}`
        : '';
      if (text === this.textFor && !this.editing) this.updateSpans();
      else {
        this.textFor = text;
        if (this.editing) this.stopEditing();
        this.question.textContent = sample?.question ? `Q: ${sample.question}` : '';
        this.answer.textContent = sample?.answer ? `A: ${sample.answer}` : '';
        this.buildText();
        this.scrolledTo = undefined;
      }
      const issues = [
        ...(sample?.issues.map((i) => `offset ${i.offset}: ${i.message}`) ?? []),
        ...(sample?.notes ?? []),
      ];
      // With an answer item there is still something to verify: only an empty list is news.
      if (sample && sample.spans.length === 0 && sample.state.entities.length === 0)
        issues.unshift(
          'no [bracketed] entities in this reasoning: nothing to ground; edit the text to add some',
        );
      const joined = issues.join('\n');
      if (joined !== this.issuesShown) {
        this.issuesShown = joined;
        this.issues.replaceChildren(...issues.map((t) => h('li', {}, t)));
      }
    }
    if (changes.has('sample') || changes.has('entity')) {
      const active = this.store.state.entity;
      this.spans.forEach((el, index) => el.classList.toggle('active', index === active));
      // Scrolling lays the page out at once: only for a newly active entity.
      if (active !== undefined && active !== this.scrolledTo) {
        this.scrolledTo = active;
        this.spans.get(active)?.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  /** The entities' statuses and kinds on their spans, the text left as it is. */
  private updateSpans(): void {
    const sample = this.store.state.sample;
    if (!sample) return;
    for (const sp of sample.spans) {
      const el = this.spans.get(sp.index);
      if (!el) continue;
      const entity = sample.state.entities[sp.index];
      const status = entity?.status ?? 'pending';
      if (el.dataset.status !== status) el.dataset.status = status;
      const title = spanTitle(sp, entity);
      if (el.title !== title) el.title = title;
    }
  }

  private buildText(): void {
    const sample = this.store.state.sample;
    this.spans = new Map();
    if (!sample) {
      this.text.replaceChildren();
      return;
    }
    const out: (Node | string)[] = [];
    let at = 0;
    const plain = (from: number, to: number): void => {
      if (to <= from) return;
      // Grounding tags that follow entities are shown dimmed: they are the proposals' source text.
      const chunk = sample.reasoning.slice(from, to);
      const re = /<(object|area|affordance|trajectory|traj|grasp_pose)>[\s\S]*?<\/\1\s*>/g;
      let last = 0;
      for (let match = re.exec(chunk); match; match = re.exec(chunk)) {
        if (match.index > last) out.push(chunk.slice(last, match.index));
        out.push(h('span', { class: 'cop-tag' }, match[0]));
        last = match.index + match[0].length;
      }
      if (last < chunk.length) out.push(chunk.slice(last));
    };
    for (const sp of sample.spans) {
      plain(at, sp.start);
      const entity = sample.state.entities[sp.index];
      // A standalone tag is its own item: shown as the tag it is, not as a [bracketed] span.
      const shown = sp.standalone ? sample.reasoning.slice(sp.start, sp.end) : sp.text;
      const el = h(
        'span',
        {
          class: sp.standalone ? 'entity standalone cop-tag' : 'entity',
          'data-standalone': sp.standalone ? 'true' : undefined,
          'data-testid': `entity-${sp.index}`,
          'data-index': String(sp.index),
          'data-status': entity?.status ?? 'pending',
          role: 'button',
          title: spanTitle(sp, entity),
        },
        shown,
      );
      el.style.setProperty('--entity-color', entityColor(sp.index));
      el.addEventListener('click', () => this.actions.activate(sp.index));
      this.spans.set(sp.index, el);
      out.push(el);
      at = sp.end;
    }
    plain(at, sample.reasoning.length);
    this.text.replaceChildren(...out);
  }
}

/** A span's tooltip: its text (or its tag), the entity's status and kind. */
function spanTitle(sp: EntitySpan, entity: EntityState | undefined): string {
  const what = sp.standalone ? `standalone tag (${sp.text})` : sp.text;
  const status = (entity?.status ?? 'pending').replace('_', ' ');
  return `${what}: ${status}${entity?.kind ? `, ${entity.kind}` : ''}`;
}
