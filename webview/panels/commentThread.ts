/**
 * The sample's comment thread (issue 12 item 3), shown whenever the sample is open: every
 * comment with its author and time (and the entity it is about), and a box to answer. A
 * reviewer's reject comment is the thread's first message, so the annotator sees it on
 * reopening, not only in a banner that is gone after the next key.
 */
import type { SampleComment } from '../../src/core/model';
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { button } from './controls';

/** What the thread panel does. */
export interface CommentThreadActions {
  /** Sends a comment; resolves true when the host took it (the box is then cleared). */
  send(text: string, entity?: number): Promise<boolean>;
  /** Edits comment `index` (new `text`) or deletes it (no `text`); resolves true when taken. */
  change(index: number, text?: string): Promise<boolean>;
}

/** `2026-12-01T10:03:00.000Z` as `2026-12-01 10:03` in the viewer's time zone. */
function when(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime()) || d.getTime() === 0) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The thread panel (right column, under the entities). */
export class CommentThread {
  readonly el: HTMLElement;
  /** The answer box (Shift+C focuses it). */
  readonly input: HTMLTextAreaElement;
  private readonly list: HTMLElement;
  private readonly about: HTMLInputElement;
  private readonly heading: HTMLElement;
  private shown: readonly SampleComment[] | undefined;

  constructor(
    private readonly store: Store,
    private readonly actions: CommentThreadActions,
  ) {
    this.heading = h('div', { class: 'panel-title', 'data-testid': 'comment-heading' });
    this.list = h('ol', { class: 'thread-list', 'data-testid': 'comment-list' });
    this.input = h('textarea', {
      class: 'thread-input',
      'data-testid': 'comment-input',
      rows: '2',
      maxlength: '2000',
      placeholder: 'comment (Enter sends, Shift+Enter: new line)',
      'aria-label': 'comment on this sample',
    });
    this.about = h('input', { type: 'checkbox', 'data-testid': 'comment-about-entity' });
    const send = async (): Promise<void> => {
      const entity = this.about.checked ? this.store.state.entity : undefined;
      if (await actions.send(this.input.value, entity)) this.input.value = '';
    };
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void send();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.input.blur();
      }
      // The editor's single-letter keys must not fire while someone types here.
      event.stopPropagation();
    });
    const sendBtn = button('btn-comment-send', 'Comment', 'Add to the thread (Enter)', () => {
      void send();
    });
    this.el = h(
      'section',
      { class: 'panel comment-thread', 'data-testid': 'comment-thread', 'aria-label': 'comments' },
      this.heading,
      this.list,
      this.input,
      h(
        'div',
        { class: 'thread-send' },
        h('label', { class: 'thread-about' }, this.about, ' about the active entity'),
        sendBtn,
      ),
    );
    store.subscribe((c) => this.render(c));
    this.render(new Set(['sample']));
  }

  private render(changes: ReadonlySet<Change>): void {
    if (changes.has('ui')) {
      const user = this.store.state.user;
      // Who the comment will be signed as: the host's identity, not something typed here.
      this.el.dataset.user = user ?? '';
      this.input.placeholder = `${user ? `comment as ${user}` : 'comment'} (Enter sends, Shift+Enter: new line)`;
    }
    if (!changes.has('sample')) return;
    const state = this.store.state.sample?.state;
    const thread = state?.comments ?? [];
    if (thread === this.shown) return;
    this.shown = thread;
    // Files from before the thread carry only the reviewer's comment: show it as one.
    const legacy: SampleComment[] =
      thread.length === 0 && state?.comment
        ? [
            {
              author: state.reviewedBy ?? 'reviewer',
              at: state.reviewedAt ?? '',
              text: state.comment,
            },
          ]
        : [];
    const all = thread.length ? thread : legacy;
    this.el.dataset.count = String(all.length);
    this.heading.textContent = all.length ? `Comments (${all.length})` : 'Comments: none yet';
    const names = this.store.state.sample?.state.entities ?? [];
    const user = this.store.state.user ?? 'unknown';
    this.list.replaceChildren(
      ...all.map((c, i) => {
        const entity = c.entity !== undefined ? names[c.entity]?.text : undefined;
        const text = h('div', { class: 'thread-text', 'data-testid': 'comment-text' }, c.text);
        const item = h(
          'li',
          { class: 'thread-item', 'data-testid': `comment-item-${i}`, 'data-author': c.author },
          h(
            'div',
            { class: 'thread-meta' },
            h('strong', { 'data-testid': 'comment-author' }, c.author),
            when(c.at) ? ` · ${when(c.at)}` : '',
            entity !== undefined ? ` · on "${entity}"` : '',
            c.editedAt ? h('span', { 'data-testid': 'comment-edited' }, ' · edited') : '',
          ),
          text,
        );
        // Only the author may change a comment (core refuses others too); the legacy
        // reviewer comment is not part of the thread, so it has no index to change.
        if (c.author === user && thread.length) item.append(this.ownActions(i, c.text, text));
        return item;
      }),
    );
    // The newest comment is what the reader came for.
    this.list.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }

  /** Edit and Delete for one of the person's own comments. */
  private ownActions(index: number, old: string, text: HTMLElement): HTMLElement {
    const edit = h(
      'button',
      { class: 'thread-action', 'data-testid': `comment-edit-${index}` },
      'Edit',
    );
    const remove = h(
      'button',
      { class: 'thread-action', 'data-testid': `comment-delete-${index}` },
      'Delete',
    );
    edit.addEventListener('click', () => {
      const box = h('textarea', {
        class: 'thread-input',
        'data-testid': `comment-edit-input-${index}`,
        rows: '2',
        maxlength: '2000',
        'aria-label': 'edit this comment (Enter saves, Esc cancels)',
      });
      box.value = old;
      box.addEventListener('keydown', (event) => {
        event.stopPropagation();
        if (event.key === 'Enter' && !event.shiftKey) {
          event.preventDefault();
          // Unchanged text is no edit: leave the thread as it was.
          if (box.value.trim() === old.trim()) box.replaceWith(text);
          else void this.actions.change(index, box.value);
        } else if (event.key === 'Escape') {
          event.preventDefault();
          box.replaceWith(text);
        }
      });
      text.replaceWith(box);
      box.focus();
    });
    remove.addEventListener('click', () => void this.actions.change(index));
    return h('div', { class: 'thread-actions' }, edit, remove);
  }
}
