/**
 * The dataset dashboard (issue 12 item 7): `groundwork.showDashboard` opens the plots of
 * `groundwork stats --html` for the active dataset in a webview panel, and keeps them live:
 * every document change of the session (edits, undo, a reload from disk) posts fresh
 * figures to the page, which redraws. The page itself is the CLI report's (src/io).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { renderStatsHtml, statsPageData } from '../io/statsReport';
import type { StatsReportData } from '../io/statsReport';
import { makeNonce } from '../session/webviewHtml';
import type { CopDocument } from './copDocument';
import type { CopEditorProvider } from './copEditorProvider';

// Figures are recomputed from every line; a burst of edits (a drag, a paste) costs one run.
const REFRESH_MS = 300;

/** One dashboard panel bound to one open dataset. */
class DashboardPanel {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A hidden webview drops posted messages; it gets a whole new page when shown again. */
  private stale = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly document: CopDocument,
    readonly panel: vscode.WebviewPanel,
    onClosed: () => void,
  ) {
    const session = document.session;
    this.render();
    const changes = session.onDidChange((change) => {
      if (change.kind === 'document') this.schedule();
    });
    this.disposables.push(
      { dispose: () => changes.dispose() },
      document.onDidDispose(() => panel.dispose()),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) this.render();
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onClosed();
      }),
    );
  }

  private data(): StatsReportData {
    return statsPageData(this.document.session.path, this.document.session.doc);
  }

  private render(): void {
    this.stale = false;
    this.panel.webview.html = renderStatsHtml(this.data(), { nonce: makeNonce() });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.panel.visible) this.stale = true;
      else void this.panel.webview.postMessage({ type: 'groundwork/stats', data: this.data() });
    }, REFRESH_MS);
  }

  private dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Registers `groundwork.showDashboard`: one panel per dataset, revealed when open. */
export function registerDashboard(editors: CopEditorProvider): vscode.Disposable {
  const open = new Map<CopDocument, DashboardPanel>();
  return vscode.commands.registerCommand('groundwork.showDashboard', () => {
    const document = editors.active;
    if (!document) {
      void vscode.window.showInformationMessage(
        'Groundwork: open a dataset in the CoP editor first, then show its dashboard.',
      );
      return;
    }
    const existing = open.get(document);
    if (existing) return existing.panel.reveal(vscode.ViewColumn.Beside);
    const panel = vscode.window.createWebviewPanel(
      'groundwork.dashboard',
      `Stats: ${basename(document.uri.fsPath)}`,
      vscode.ViewColumn.Beside,
      // The page inlines everything it runs (Chart.js included): no local resources needed.
      { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
    );
    open.set(document, new DashboardPanel(document, panel, () => open.delete(document)));
  });
}
