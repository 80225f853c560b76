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

function optionText(s: SampleSummary): string {
  return s.problem ? `line ${s.line + 1}: ${s.problem}` : `${s.id ?? '?'} — ${s.status ?? 'todo'}`;
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
    a: HeaderActions,
  ) {
    this.select = h('select', {
      'data-testid': 'sample-select',
      'aria-label': 'sample',
      class: 'sample-select',
    });
    this.select.addEventListener('change', () => a.openSample(Number(this.select.value)));
    this.label = h('span', { 'data-testid': 'sample-label', class: 'sample-label' });
    this.status = h('span', { 'data-testid': 'sample-status', class: 'status-badge' });
    this.counts = h('span', { 'data-testid': 'sample-counts', class: 'counts' });
    this.dirty = h('span', {
      'data-testid': 'dirty-indicator',
      class: 'dirty',
      title: 'unsaved changes',
      'data-dirty': 'false',
    });
    this.undo = button('btn-undo', 'Undo', 'Undo (Ctrl+Z)', a.undo);
    this.redo = button('btn-redo', 'Redo', 'Redo (Ctrl+Shift+Z)', a.redo);
    this.exportBtn = button(
      'btn-export',
      'Export',
      'Export the saved dataset (rynnbrain-raw)',
      a.exportDataset,
    );
    this.el = h(
      'header',
      { class: 'header', 'data-testid': 'header' },
      this.select,
      this.label,
      this.status,
      this.counts,
      h('span', { class: 'spacer' }),
      button('btn-next-todo', 'Next todo', 'Next todo sample (N)', a.nextTodo),
      button(
        'btn-annotated',
        'Annotated ▸ next',
        'Mark the sample annotated and open the next todo (Ctrl+Enter)',
        a.annotatedNext,
        { secondary: false },
      ),
      this.undo,
      this.redo,
      button('btn-save', 'Save', 'Save (Ctrl+S)', a.save),
      this.dirty,
      this.exportBtn,
      button('btn-help', '?', 'Keyboard shortcuts (?)', a.toggleHelp),
    );
    store.subscribe((c) => this.render(c));
  }

  private render(c: ReadonlySet<Change>): void {
    const s = this.store.state;
    if (c.has('samples')) {
      const frag = document.createDocumentFragment();
      for (const x of s.samples)
        frag.append(
          h('option', { value: String(x.line), disabled: x.problem !== undefined }, optionText(x)),
        );
      this.select.replaceChildren(frag);
      const counts: Record<string, number> = {};
      for (const x of s.samples) {
        const k = x.problem ? 'problem' : (x.status ?? 'todo');
        counts[k] = (counts[k] ?? 0) + 1;
      }
      this.counts.textContent = Object.entries(counts)
        .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
        .join(' · ');
    }
    if (c.has('sample') || c.has('samples')) {
      if (s.sample) this.select.value = String(s.sample.line);
      this.label.textContent = s.sample?.id ?? '(no sample)';
      const st = s.sample?.state.status ?? '';
      this.status.textContent = st.replace('_', ' ');
      this.status.dataset.status = st;
    }
    if (c.has('document') || c.has('ui')) {
      this.dirty.dataset.dirty = String(s.document.dirty);
      this.dirty.textContent = s.document.dirty ? '● unsaved' : 'saved';
      this.dirty.hidden = s.mode !== 'serve';
      setEnabled(this.undo, s.mode === 'vscode' || s.document.canUndo);
      setEnabled(this.redo, s.mode === 'vscode' || s.document.canRedo);
      setEnabled(this.exportBtn, s.canExport);
    }
  }
}
