/**
 * The custom editor for `*.cop.jsonl` (and any `.jsonl` through Open With). VS Code owns
 * undo/redo, dirty state, save, save as, revert, autosave and hot exit; everything else is
 * the EditorSession, built by the same factory as serve mode's. Also watches the file on
 * disk: a clean editor reloads, edits on other lines are merged, a conflict is offered as a
 * reload.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { decodeDataset } from '../io/datasetFile';
import { CancelSource } from '../protocol/channel';
import { createSession, readOpenedDocument } from '../session/createSession';
import type { ExportRun } from '../session/createSession';
import type { LogLevel } from '../session/editorSession';
import type { Subscription } from '../session/emitter';
import type { HostMessage } from '../protocol/messages';
import { checkLocalDataset, tidyLocalDataset } from '../session/localDataset';
import { ViewConnection } from '../session/viewConnection';
import { renderEditorHtml } from '../session/webviewHtml';
import { CopDocument, WebviewUris } from './copDocument';
import { ViewTypeEditor } from './viewTypeEditor';
import { fallbackUser, userReader } from '../session/identity';
import {
  configuredDefaultTask,
  configuredUser,
  exportDrafts,
  mediaRoots,
  modelSettings,
  videoSettings,
} from './vscodeConfig';

/** View types: the default editor for *.cop.jsonl, and the Open With option for *.jsonl. */
export const VIEW_TYPES = ['groundwork.copEditor', 'groundwork.copEditor.jsonl'] as const;

/** The provider's logic, shared by both view types through one ViewTypeEditor front each. */
export class CopEditorProvider implements vscode.CustomEditorProvider<CopDocument> {
  private readonly editEmitter = new vscode.EventEmitter<
    vscode.CustomDocumentEditEvent<CopDocument>
  >();
  readonly onDidChangeCustomDocument = this.editEmitter.event;
  private readonly documents = new Set<CopDocument>();
  private activeDoc: CopDocument | undefined;
  private readonly activeEmitter = new vscode.EventEmitter<CopDocument | undefined>();
  /** Fires when the active dataset editor changes (the navigator follows it). */
  readonly onDidChangeActive = this.activeEmitter.event;

  /** The inference provider of the active dataset editor (`cpu`/`cuda`, or models off). */
  private readonly statusItem = vscode.window.createStatusBarItem(
    'groundwork.inference',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private statusSub: Subscription | undefined;
  /** Open views, the active one, and what a new view gets first (editorKeybindings.ts). */
  private readonly views = new Set<ViewConnection>();
  private activeView: ViewConnection | undefined;
  private greeting: () => HostMessage[] = () => [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusItem.name = 'Groundwork inference';
    context.subscriptions.push(this.statusItem);
  }

  /** Registers both view types; returns the registrations. */
  register(): vscode.Disposable[] {
    return VIEW_TYPES.flatMap((t) => {
      const front = new ViewTypeEditor(this);
      return [
        front,
        vscode.window.registerCustomEditorProvider(t, front, {
          supportsMultipleEditorsPerDocument: true,
          webviewOptions: { retainContextWhenHidden: false },
        }),
      ];
    });
  }

  /** Where per-workspace choices are remembered (the Export command's format and file). */
  get workspaceState(): vscode.Memento {
    return this.context.workspaceState;
  }

  /** The dataset editor in front, if any. */
  /** Sends to the active editor's view; false when no dataset editor is active. */
  postToActive(body: HostMessage): boolean {
    this.activeView?.notify(body);
    return this.activeView !== undefined;
  }

  /** Sends to every open view. */
  broadcast(body: HostMessage): void {
    for (const view of this.views) view.notify(body);
  }

  /** Sets the messages a view gets once it is ready (after its first message). */
  setGreeting(messages: () => HostMessage[]): void {
    this.greeting = messages;
  }

  get active(): CopDocument | undefined {
    return this.activeDoc;
  }

  async openCustomDocument(
    uri: vscode.Uri,
    ctx: vscode.CustomDocumentOpenContext,
  ): Promise<CopDocument> {
    const path = uri.fsPath;
    const log = (level: LogLevel, m: string): void => {
      this.log[level](`${basename(path)}: ${m}`);
    };
    const backupId = ctx.backupId;
    // As `openDataset` does for the CLI and serve: a FIFO or device is refused before a read.
    if (uri.scheme === 'file') await checkLocalDataset(path);
    const opened = await readOpenedDocument({
      path,
      readFile: () => vscode.workspace.fs.readFile(uri),
      ...(backupId
        ? { readBackup: () => vscode.workspace.fs.readFile(vscode.Uri.parse(backupId)) }
        : {}),
      log,
    });
    // After a successful read only: leftovers of crashed saves beside the file.
    if (uri.scheme === 'file') await tidyLocalDataset(path);
    const roots = mediaRoots(path);
    const uris = new WebviewUris();
    // git and the OS are asked once per document; the setting is read at every edit.
    const fallback = await fallbackUser({ cwd: dirname(path) });
    const session = createSession({
      path,
      opened,
      mode: 'vscode',
      roots,
      video: videoSettings(roots),
      toUri: (abs) => uris.map(abs),
      log,
      models: modelSettings(),
      exportDrafts: exportDrafts(),
      user: userReader(configuredUser, fallback),
      defaultTask: configuredDefaultTask,
      wrapExport: (run) => this.withProgress(run),
      commands: {
        undo: async () => {
          await vscode.commands.executeCommand('undo');
        },
        redo: async () => {
          await vscode.commands.executeCommand('redo');
        },
        save: async () => {
          await vscode.commands.executeCommand('workbench.action.files.save');
        },
      },
    });
    const document = new CopDocument(uri, session, uris);
    const edits = session.onDidEdit((entry) =>
      this.editEmitter.fire({
        document,
        label: entry.label,
        undo: () => {
          session.undo();
        },
        redo: () => {
          session.redo();
        },
      }),
    );
    document.register(edits);
    // groundwork.defaultTask decides how samples read: open views follow a change at once.
    document.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('groundwork.defaultTask', document.uri))
          session.readOptionsChanged();
      }),
    );
    this.documents.add(document);
    document.onDidDispose(() => {
      this.documents.delete(document);
      if (this.activeDoc === document) this.setActive(undefined);
      void session.dispose();
    });
    if (uri.scheme === 'file') this.watch(document);
    return document;
  }

  async resolveCustomEditor(document: CopDocument, panel: vscode.WebviewPanel): Promise<void> {
    const webview = panel.webview;
    const roots = await document.session.media.roots();
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    webview.options = {
      enableScripts: true,
      localResourceRoots: [dist, ...roots.map((r) => vscode.Uri.file(r))],
    };
    document.uris.adopt((abs) => webview.asWebviewUri(vscode.Uri.file(abs)).toString());
    webview.html = renderEditorHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      mode: 'vscode',
      title: basename(document.uri.fsPath),
    });
    const conn = new ViewConnection(document.session, {
      post: (e) => {
        void webview.postMessage(e);
      },
    });
    let greeted = false;
    this.views.add(conn);
    const subs = [
      conn.onDidFocus((line) => {
        document.focusLine = line;
      }),
      webview.onDidReceiveMessage((m: unknown) => {
        conn.receive(m);
        // The first message is the view's `webview/ready`: now it listens.
        if (!greeted) {
          greeted = true;
          for (const body of this.greeting()) conn.notify(body);
        }
      }),
      // Anything a hidden view may have missed: a full snapshot when it is shown again.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void conn.sendInit(conn.line);
        if (e.webviewPanel.active) {
          this.activeView = conn;
          this.setActive(document);
        } else if (this.activeView === conn) this.activeView = undefined;
      }),
    ];
    if (panel.active) {
      this.activeView = conn;
      this.setActive(document);
    }
    panel.onDidDispose(() => {
      this.views.delete(conn);
      if (this.activeView === conn) this.activeView = undefined;
      conn.dispose();
      for (const s of subs) s.dispose();
    });
  }

  async saveCustomDocument(document: CopDocument): Promise<void> {
    await document.session.save();
  }

  async saveCustomDocumentAs(document: CopDocument, destination: vscode.Uri): Promise<void> {
    await document.session.saveAs(destination.fsPath);
  }

  async revertCustomDocument(document: CopDocument): Promise<void> {
    const bytes = await vscode.workspace.fs.readFile(document.uri);
    document.session.replace(decodeDataset(bytes, document.uri.fsPath));
  }

  async backupCustomDocument(
    document: CopDocument,
    ctx: vscode.CustomDocumentBackupContext,
  ): Promise<vscode.CustomDocumentBackup> {
    const dest = ctx.destination;
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(dirname(dest.fsPath)));
    await document.session.backup(dest.fsPath);
    return {
      id: dest.toString(),
      delete: () => {
        void vscode.workspace.fs.delete(dest).then(undefined, () => undefined);
      },
    };
  }

  private setActive(d: CopDocument | undefined): void {
    if (this.activeDoc === d) return;
    this.activeDoc = d;
    this.activeEmitter.fire(d);
    this.statusSub?.dispose();
    this.statusSub = undefined;
    const session = d?.session;
    if (!session?.suggestions) {
      this.statusItem.hide();
      return;
    }
    const show = (): void => {
      const st = session.inference;
      this.statusItem.text = `$(chip) ${st.provider ?? (st.state === 'off' ? 'models off' : st.state === 'error' ? 'models: error' : 'models idle')}`;
      this.statusItem.tooltip = `Groundwork inference: ${st.message}`;
      this.statusItem.show();
    };
    this.statusSub = session.onDidPost((m) => {
      if (m.type === 'model/status/didChange') show();
    });
    show();
  }

  private watch(document: CopDocument): void {
    const uri = document.uri;
    const w = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(dirname(uri.fsPath)), basename(uri.fsPath)),
    );
    const onChange = async (): Promise<void> => {
      let disk;
      try {
        disk = decodeDataset(await vscode.workspace.fs.readFile(uri), uri.fsPath);
      } catch {
        return;
      }
      const r = document.session.diskChanged(disk);
      if (r.kind === 'merged')
        document.session.notice(
          'info',
          `${basename(uri.fsPath)} changed on disk: ${r.theirs.length} line(s) taken from disk, your unsaved edits on ${r.mine.length} other line(s) kept.`,
        );
      if (r.kind === 'conflict') {
        const pick = await vscode.window.showWarningMessage(
          `${basename(uri.fsPath)} changed on disk on line(s) you also edited (${r.lines
            .slice(0, 5)
            .map((l) => l + 1)
            .join(', ')}).`,
          'Reload from disk (discard my edits)',
          'Keep mine',
        );
        if (pick?.startsWith('Reload')) {
          if (this.activeDoc === document)
            await vscode.commands.executeCommand('workbench.action.files.revert');
          else document.session.replace(disk);
        }
      }
    };
    document.register(w);
    document.register(w.onDidChange(() => void onChange()));
    document.register(w.onDidCreate(() => void onChange()));
  }

  private withProgress(run: ExportRun): ExportRun {
    return (signal, format) =>
      Promise.resolve(
        vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: 'Groundwork: exporting',
            cancellable: true,
          },
          async (_p, token) => {
            // Cancelled by the view (request/cancel) or by the notification's Cancel button.
            const both = new CancelSource();
            signal.addEventListener('abort', () => both.cancel());
            token.onCancellationRequested(() => both.cancel());
            const summary = await run(both, format);
            void vscode.window.showInformationMessage(`Groundwork: ${summary}`);
            return summary;
          },
        ),
      );
  }
}
