/**
 * The sample navigator: a tree of the active dataset's samples with status icons, a status
 * filter, counts in the view's description, and "next todo". Selecting a sample shows it
 * in the dataset's editors (the session posts `sample/show`). An edit fires a change for the
 * rows it touched only, and counts and "next" come from the session's index (issue 14 item
 * 5): at 100k samples the tree is not rebuilt per edit.
 */
import * as vscode from 'vscode';
import type { SampleStatus } from '../core/model';
import type { SampleSummary } from '../protocol/snapshot';
import type { CopDocument } from './copDocument';
import type { CopEditorProvider } from './copEditorProvider';
import type { SessionChange } from '../session/editorSession';
import type { Subscription } from '../session/emitter';
import { allSummaries, summaryAt } from '../session/sampleIndex';
import { sampleTooltip } from './sampleTooltip';

type Filterable = SampleStatus | 'problem';

/** One row of the tree: the same object while its line is listed, so a change can name it. */
interface NavRow {
  readonly line: number;
  summary: SampleSummary;
}

function rowKey(s: SampleSummary): Filterable {
  return s.problem ? 'problem' : (s.status ?? 'todo');
}

/** Where line `line` is (or would go) in `rows`, sorted by line. */
function placeOf(rows: readonly NavRow[], line: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid] as NavRow).line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The tree's id (package.json `contributes.views`). */
export const NAVIGATOR_VIEW = 'groundwork.samples';

const ICONS: Record<SampleStatus | 'problem', [string, string | undefined]> = {
  todo: ['circle-large-outline', undefined],
  in_progress: ['edit', 'charts.yellow'],
  annotated: ['pass', 'charts.blue'],
  approved: ['verified-filled', 'charts.green'],
  rejected: ['error', 'charts.red'],
  problem: ['warning', 'problemsWarningIcon.foreground'],
};

/** The tree data provider of the navigator. */
export class SampleNavigator implements vscode.TreeDataProvider<NavRow> {
  private readonly changeEmitter = new vscode.EventEmitter<NavRow[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private filter: Filterable[] = [];
  /** Every listed line's row, by line; `shown` the ones the filter lets through, in order. */
  private readonly rows = new Map<number, NavRow>();
  private shown: NavRow[] = [];
  private view: vscode.TreeView<NavRow> | undefined;
  private subscription: Subscription | undefined;
  private doc: CopDocument | undefined;

  constructor(private readonly editors: CopEditorProvider) {}

  /** Creates the tree view and the navigator's commands. */
  register(): vscode.Disposable[] {
    this.view = vscode.window.createTreeView(NAVIGATOR_VIEW, {
      treeDataProvider: this,
      showCollapseAll: false,
    });
    this.follow(this.editors.active);
    return [
      this.view,
      this.editors.onDidChangeActive((d) => this.follow(d)),
      vscode.commands.registerCommand('groundwork.samples.open', (line: number) =>
        this.doc?.session.showSample(line),
      ),
      vscode.commands.registerCommand('groundwork.samples.filter', () => this.pickFilter()),
      vscode.commands.registerCommand('groundwork.nextTodo', () => this.nextTodo()),
      vscode.commands.registerCommand('groundwork.nextToReview', () => this.nextToReview()),
      vscode.commands.registerCommand('groundwork.samples.refresh', () => this.refresh()),
    ];
  }

  getTreeItem(row: NavRow): vscode.TreeItem {
    const s = row.summary;
    const key = rowKey(s);
    const item = new vscode.TreeItem(s.id ?? `line ${s.line + 1}`);
    item.description = s.problem ?? key.replace('_', ' ');
    item.tooltip = sampleTooltip(s);
    const [icon, color] = ICONS[key];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = key;
    if (!s.problem)
      item.command = {
        command: 'groundwork.samples.open',
        title: 'Show sample',
        arguments: [s.line],
      };
    return item;
  }

  getChildren(parent?: NavRow): NavRow[] {
    return parent || !this.doc ? [] : this.shown;
  }

  private follow(d: CopDocument | undefined): void {
    if (d === undefined || d === this.doc) return;
    this.subscription?.dispose();
    this.doc = d;
    this.subscription = d.session.onDidChange((c) => {
      if (c.kind === 'document') this.changed(c);
    });
    d.onDidDispose(() => {
      if (this.doc === d) {
        this.subscription?.dispose();
        this.doc = undefined;
        this.refresh();
      }
    });
    this.refresh();
  }

  /** A document change: only the touched rows change, unless the filter lets rows in or out. */
  private changed(c: SessionChange): void {
    const doc = this.doc?.session.doc;
    if (!doc || c.lines === 'all') {
      this.refresh();
      return;
    }
    const touched: NavRow[] = [];
    let moved = false;
    for (const line of c.lines) {
      const row = this.rows.get(line);
      if (!row) continue;
      const before = this.passes(row.summary);
      row.summary = summaryAt(doc, line);
      touched.push(row);
      const after = this.passes(row.summary);
      if (before === after) continue;
      moved = true;
      const at = placeOf(this.shown, line);
      if (after) this.shown.splice(at, 0, row);
      else if (this.shown[at] === row) this.shown.splice(at, 1);
    }
    this.describe();
    // VS Code's tree takes a list of changed elements; a row leaving or joining the filtered
    // list changes the root's children, which only a refresh of the root can say.
    if (moved) this.changeEmitter.fire(undefined);
    else if (touched.length) this.changeEmitter.fire(touched);
  }

  private passes(s: SampleSummary): boolean {
    return this.filter.length === 0 || this.filter.includes(rowKey(s));
  }

  /** Lists every line again (a new document, a reload, the filter changed): O(lines). */
  private refresh(): void {
    this.rows.clear();
    this.shown = [];
    if (this.doc)
      for (const summary of allSummaries(this.doc.session.doc)) {
        const row = { line: summary.line, summary };
        this.rows.set(summary.line, row);
        if (this.passes(summary)) this.shown.push(row);
      }
    this.describe();
    this.changeEmitter.fire(undefined);
  }

  /** The counts (from the session's index) and the filter, in the view's header. */
  private describe(): void {
    if (this.view) {
      const c = this.doc ? this.doc.session.index.counts() : undefined;
      this.view.description = c
        ? Object.entries(c)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
            .join(' · ')
        : undefined;
      this.view.message = this.filter.length ? `Filtered: ${this.filter.join(', ')}` : undefined;
    }
  }

  private async pickFilter(): Promise<void> {
    const all: Filterable[] = [
      'todo',
      'in_progress',
      'annotated',
      'approved',
      'rejected',
      'problem',
    ];
    const picked = await vscode.window.showQuickPick(
      all.map((s) => ({ label: s, picked: this.filter.includes(s) })),
      { canPickMany: true, title: 'Show samples with status (none: all)' },
    );
    if (!picked) return;
    this.filter = picked.map((p) => p.label);
    this.refresh();
  }

  private nextTodo(): void {
    const d = this.doc;
    if (!d) {
      void vscode.window.showInformationMessage('Groundwork: open a dataset first.');
      return;
    }
    const next = d.session.index.nextTodo(d.focusLine ?? -1);
    if (next === null) {
      void vscode.window.showInformationMessage('Groundwork: no todo or rejected samples left.');
      return;
    }
    d.session.showSample(next);
  }

  private nextToReview(): void {
    const d = this.doc;
    if (!d) {
      void vscode.window.showInformationMessage('Groundwork: open a dataset first.');
      return;
    }
    const next = d.session.index.nextToReview(d.focusLine ?? -1);
    if (next === null) {
      void vscode.window.showInformationMessage('Groundwork: no annotated samples to review.');
      return;
    }
    d.session.showSample(next, true);
  }
}
