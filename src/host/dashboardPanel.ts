/**
 * The dataset dashboard (issue 12 item 7): `groundwork.showDashboard` opens the plots of
 * `groundwork stats --html` for the active dataset in a webview panel. The page is the CLI
 * report's (src/io/statsReport.ts) with a webview nonce; the StatsFeed (src/session) keeps
 * it live, posting fresh figures on every document change of the session.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { renderStatsHtml } from '../io/statsReport';
import { StatsFeed } from '../session/statsFeed';
import { makeNonce } from '../session/webviewHtml';
import type { CopDocument } from './copDocument';
import type { CopEditorProvider } from './copEditorProvider';

function openPanel(document: CopDocument, onClosed: () => void): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    'groundwork.dashboard',
    `Stats: ${basename(document.uri.fsPath)}`,
    vscode.ViewColumn.Beside,
    // The page inlines everything it runs (Chart.js included): no local resources needed.
    { enableScripts: true, localResourceRoots: [] },
  );
  const feed = new StatsFeed(document.session, {
    get visible() {
      return panel.visible;
    },
    render: (data) => {
      panel.webview.html = renderStatsHtml(data, { nonce: makeNonce() });
    },
    post: (data) => void panel.webview.postMessage({ type: 'groundwork/stats', data }),
  });
  const closing = document.onDidDispose(() => panel.dispose());
  const shown = panel.onDidChangeViewState(() => feed.shown());
  panel.onDidDispose(() => {
    feed.dispose();
    closing.dispose();
    shown.dispose();
    onClosed();
  });
  return panel;
}

/** Registers `groundwork.showDashboard`: one panel per dataset, revealed when already open. */
export function registerDashboard(editors: CopEditorProvider): vscode.Disposable {
  const open = new Map<CopDocument, vscode.WebviewPanel>();
  return vscode.commands.registerCommand('groundwork.showDashboard', () => {
    const document = editors.active;
    if (!document) {
      void vscode.window.showInformationMessage(
        'Groundwork: open a dataset in the CoP editor first, then show its dashboard.',
      );
      return;
    }
    const existing = open.get(document);
    if (existing) return existing.reveal(vscode.ViewColumn.Beside);
    open.set(
      document,
      openPanel(document, () => open.delete(document)),
    );
  });
}
