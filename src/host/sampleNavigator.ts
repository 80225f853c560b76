/**
 * The sample navigator: a tree of the active dataset's samples with status icons, a status
 * filter, counts in the view's description, and "next todo". Selecting a sample shows it
 * in the dataset's editors (the session posts `sample/show`).
 */
import * as vscode from 'vscode';
import type { SampleStatus } from '../core/model';
import type { SampleSummary } from '../protocol/snapshot';
import type { CopDocument } from './copDocument';
import type { CopEditorProvider } from './copEditorProvider';
import type { Subscription } from '../session/emitter';
import { allSummaries, nextToReview, nextTodo, statusCounts } from '../session/sampleIndex';
import { sampleTooltip } from './sampleTooltip';

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
export class SampleNavigator implements vscode.TreeDataProvider<SampleSummary> {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private filter: (SampleStatus | 'problem')[] = [];
  private view: vscode.TreeView<SampleSummary> | undefined;
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

  getTreeItem(s: SampleSummary): vscode.TreeItem {
    const key = s.problem ? 'problem' : (s.status ?? 'todo');
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

  getChildren(parent?: SampleSummary): SampleSummary[] {
    if (parent || !this.doc) return [];
    const all = allSummaries(this.doc.session.doc);
    return this.filter.length
      ? all.filter((s) => this.filter.includes(s.problem ? 'problem' : (s.status ?? 'todo')))
      : all;
  }

  private follow(d: CopDocument | undefined): void {
    if (d === undefined || d === this.doc) return;
    this.subscription?.dispose();
    this.doc = d;
    this.subscription = d.session.onDidChange((c) => {
      if (c.kind === 'document') this.refresh();
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

  private refresh(): void {
    if (this.view) {
      const c = this.doc ? statusCounts(this.doc.session.doc) : undefined;
      this.view.description = c
        ? Object.entries(c)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
            .join(' · ')
        : undefined;
      this.view.message = this.filter.length ? `Filtered: ${this.filter.join(', ')}` : undefined;
    }
    this.changeEmitter.fire();
  }

  private async pickFilter(): Promise<void> {
    const all: (SampleStatus | 'problem')[] = [
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
    const next = nextTodo(d.session.doc, d.focusLine ?? -1);
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
    const next = nextToReview(d.session.doc, d.focusLine ?? -1);
    if (next === null) {
      void vscode.window.showInformationMessage('Groundwork: no annotated samples to review.');
      return;
    }
    d.session.showSample(next, true);
  }
}
