/**
 * The top bar: which sample (dropdown and id), its status, and the document commands
 * (next todo, annotated, undo, redo, save, export, dirty marker in serve mode, help).
 */
import type { ExportFormat } from '../../src/core/export/formats';
import { ExportMenu } from './exportMenu';
import type { StatusCounts } from '../../src/protocol/snapshot';
import { h } from '../dom';
import type { Change, Store } from '../state/store';
import { button, setEnabled } from './controls';
import { SamplePicker } from './samplePicker';

/** What the bar's controls do. */
export interface HeaderActions {
  openSample(line: number): void;
  nextTodo(): void;
  annotatedNext(): void;
  undo(): void;
  redo(): void;
  save(): void;
  exportDataset(format: ExportFormat): void;
  toggleHelp(): void;
}

/** The counts as the header shows them: statuses with samples, in the index's order. */
export function countsText(counts: StatusCounts): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
    .join(' · ');
}

/** The header bar. */
export class HeaderBar {
  readonly el: HTMLElement;
  private readonly picker: SamplePicker;
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
    this.picker = new SamplePicker(store, (line) => actions.openSample(line));
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
    const exportMenu = new ExportMenu(actions.exportDataset);
    this.exportBtn = exportMenu.toggle;
    this.el = h(
      'header',
      { class: 'header', 'data-testid': 'header' },
      this.picker.toggle,
      this.picker.popover,
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
      exportMenu.menu,
      button('btn-help', '?', 'Keyboard shortcuts (?)', actions.toggleHelp),
    );
    store.subscribe((c) => this.render(c));
  }

  private render(changes: ReadonlySet<Change>): void {
    const state = this.store.state;
    if (changes.has('samples')) {
      // The host's counts and only the changed lines: nothing here walks every sample.
      this.picker.samplesChanged(state.samplesDelta);
      this.counts.textContent = countsText(state.counts);
    }
    if (changes.has('sample') || changes.has('samples')) {
      this.picker.sampleShown();
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
