/**
 * The top bar: which sample (dropdown and id), its status, and the document commands
 * (next todo, annotated, undo, redo, save, export, dirty marker in serve mode, help).
 */
import type { SampleSummary } from '../../src/protocol/snapshot';
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { button, setEnabled } from './controls';

/** What the bar's controls do. */
export interface HeaderActions {
  openSample(line: number): void;
  nextTodo(): void;
  annotatedNext(): void;
  undo(): void;
  redo(): void;
  save(): void;
  exportDataset(): void;
  toggleHelp(): void;
}

function optionText(summary: SampleSummary): string {
  return summary.problem
    ? `line ${summary.line + 1}: ${summary.problem}`
    : `${summary.id ?? '?'} — ${(summary.status ?? 'todo').replace('_', ' ')}`;
}

/** The header bar. */
export class HeaderBar {
  readonly el: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly label: HTMLElement;
  private readonly status: HTMLElement;
  private readonly dirty: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly undo: HTMLElement;
  private readonly redo: HTMLElement;
  private readonly exportBtn: HTMLElement;

  constructor(
    private readonly store: Store,
    actions: HeaderActions,
  ) {
    this.select = h('select', {
      'data-testid': 'sample-select',
      'aria-label': 'sample',
      class: 'sample-select',
    });
    this.select.addEventListener('change', () => {
      actions.openSample(Number(this.select.value));
      // A focused select takes the letter keys (type-ahead): give them back to the editor.
      this.select.blur();
    });
    this.label = h('span', { 'data-testid': 'sample-label', class: 'sample-label' });
    this.status = h('span', { 'data-testid': 'sample-status', class: 'status-badge' });
    this.counts = h('span', { 'data-testid': 'sample-counts', class: 'counts' });
    this.dirty = h('span', {
      'data-testid': 'dirty-indicator',
      class: 'dirty',
      title: 'unsaved changes',
      'data-dirty': 'false',
    });
    this.undo = button('btn-undo', 'Undo', 'Undo (Ctrl+Z)', actions.undo);
    this.redo = button('btn-redo', 'Redo', 'Redo (Ctrl+Shift+Z)', actions.redo);
    this.exportBtn = button(
      'btn-export',
      'Export',
      'Export the saved dataset (rynnbrain-raw)',
      actions.exportDataset,
    );
    this.el = h(
      'header',
      { class: 'header', 'data-testid': 'header' },
      this.select,
      this.label,
      this.status,
      this.counts,
      h('span', { class: 'spacer' }),
      button('btn-next-todo', 'Next todo', 'Next todo sample (N)', actions.nextTodo),
      button(
        'btn-annotated',
        'Annotated ▸ next',
        'Mark the sample annotated and open the next todo (Ctrl+Enter)',
        actions.annotatedNext,
        { secondary: false },
      ),
      this.undo,
      this.redo,
      button('btn-save', 'Save', 'Save (Ctrl+S)', actions.save),
      this.dirty,
      this.exportBtn,
      button('btn-help', '?', 'Keyboard shortcuts (?)', actions.toggleHelp),
    );
    store.subscribe((c) => this.render(c));
  }

  private render(changes: ReadonlySet<Change>): void {
    const state = this.store.state;
    if (changes.has('samples')) {
      const frag = document.createDocumentFragment();
      for (const summary of state.samples)
        frag.append(
          h(
            'option',
            { value: String(summary.line), disabled: summary.problem !== undefined },
            optionText(summary),
          ),
        );
      this.select.replaceChildren(frag);
      const counts: Record<string, number> = {};
      for (const summary of state.samples) {
        const status = summary.problem ? 'problem' : (summary.status ?? 'todo');
        counts[status] = (counts[status] ?? 0) + 1;
      }
      this.counts.textContent = Object.entries(counts)
        .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
        .join(' · ');
    }
    if (changes.has('sample') || changes.has('samples')) {
      if (state.sample) this.select.value = String(state.sample.line);
      this.label.textContent = state.sample?.id ?? '(no sample)';
      const st = state.sample?.state.status ?? '';
      this.status.textContent = st.replace('_', ' ');
      this.status.dataset.status = st;
    }
    if (changes.has('document') || changes.has('ui')) {
      this.dirty.dataset.dirty = String(state.document.dirty);
      this.dirty.textContent = state.document.dirty ? '● unsaved' : 'saved';
      this.dirty.hidden = state.mode !== 'serve';
      setEnabled(this.undo, state.mode === 'vscode' || state.document.canUndo);
      setEnabled(this.redo, state.mode === 'vscode' || state.document.canRedo);
      setEnabled(this.exportBtn, state.canExport);
    }
  }
}
