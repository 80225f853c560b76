/**
 * The custom editor for `*.cop.jsonl` (and any `.jsonl` through Open With). VS Code owns
 * undo/redo, dirty state, save, save as, revert, autosave and hot exit; everything else is
 * the EditorSession, shared with serve mode. Also watches the file on disk: a clean editor
 * reloads, edits on other lines are merged, a conflict is offered as a reload.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { CancelSignal } from '../core/model';
import { decodeDataset } from '../io/datasetFile';
import { CancelSource } from '../protocol/channel';
import { CopDocument } from './copDocument';
import { EditorSession } from '../session/editorSession';
import type { LogLevel } from '../session/editorSession';
import { makeEditorExporter } from '../session/editorExport';
import { LocalMedia } from '../session/sampleMedia';
import { createVideoFrames } from '../session/videoFramesAdapter';
import { SuggestionService } from '../session/suggestionService';
import { exportDrafts, mediaRoots, modelSettings, videoSettings } from './vscodeConfig';
import { ViewTypeEditor } from './viewTypeEditor';
import { renderEditorHtml } from '../session/webviewHtml';

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
  private statusSub: (() => void) | undefined;

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

  /** The dataset editor in front, if any. */
  get active(): CopDocument | undefined {
    return this.activeDoc;
  }

  async openCustomDocument(
    uri: vscode.Uri,
    ctx: vscode.CustomDocumentOpenContext,
  ): Promise<CopDocument> {
    const read = async (u: vscode.Uri) =>
      decodeDataset(await vscode.workspace.fs.readFile(u), u.fsPath);
    const file = await read(uri);
    const doc = ctx.backupId ? await read(vscode.Uri.parse(ctx.backupId)) : file;
    const path = uri.fsPath;
    const roots = mediaRoots(path);
    const { video, provider, problem } = createVideoFrames(videoSettings(roots));
    if (problem) this.log.warn(`video samples will show no frames: ${problem}`);
    const holder: { doc?: CopDocument } = {};
    const media = new LocalMedia({
      datasetPath: path,
      roots,
      toUri: (abs) => holder.doc?.uriMapper?.(abs) ?? '',
      ...(video ? { video } : {}),
    });
    const log = (level: LogLevel, m: string): void => {
      this.log[level](`${basename(path)}: ${m}`);
    };
    const exporter = provider
      ? this.withProgress(
          makeEditorExporter({
            datasetPath: () => session.path,
            frames: provider,
            includeUnapproved: exportDrafts(),
          }),
        )
      : undefined;
    const models = modelSettings();
    const suggestions = new SuggestionService({
      enabled: models.enabled,
      ...(models.offReason ? { offReason: models.offReason } : {}),
      datasetPath: () => session.path,
      ...(provider ? { frames: provider } : {}),
      log,
      client: {
        ...(models.device ? { device: models.device } : {}),
        ...(models.modelsDir ? { modelsDir: models.modelsDir } : {}),
      },
    });
    const session: EditorSession = new EditorSession({
      path,
      doc,
      mode: 'vscode',
      media,
      log,
      suggestions,
      restoredDirty: ctx.backupId !== undefined,
      base: file,
      onEdit: (entry) =>
        this.editEmitter.fire({
          document: holder.doc as CopDocument,
          label: entry.label,
          undo: () => {
            session.undo();
          },
          redo: () => {
            session.redo();
          },
        }),
      delegate: {
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
      ...(exporter ? { exporter } : {}),
    });
    const document = new CopDocument(uri, session);
    holder.doc = document;
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
    const roots = await (document.session.media as LocalMedia).roots();
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    webview.options = {
      enableScripts: true,
      localResourceRoots: [dist, ...roots.map((r) => vscode.Uri.file(r))],
    };
    document.uriMapper ??= (abs) => webview.asWebviewUri(vscode.Uri.file(abs)).toString();
    webview.html = renderEditorHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      mode: 'vscode',
      title: basename(document.uri.fsPath),
    });
    const conn = document.session.connect({
      post: (e) => {
        void webview.postMessage(e);
      },
    });
    const subs = [
      webview.onDidReceiveMessage((m: unknown) => conn.receive(m)),
      // Anything a hidden view may have missed: a full snapshot when it is shown again.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void conn.sendInit(conn.line);
        if (e.webviewPanel.active) this.setActive(document);
      }),
    ];
    if (panel.active) this.setActive(document);
    panel.onDidDispose(() => {
      document.session.disconnect(conn);
      for (const s of subs) s.dispose();
    });
  }

  async saveCustomDocument(document: CopDocument): Promise<void> {
    await document.session.save();
  }

  async saveCustomDocumentAs(document: CopDocument, destination: vscode.Uri): Promise<void> {
    await document.session.save(destination.fsPath);
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
    this.statusSub?.();
    this.statusSub = undefined;
    const svc = d?.session.options.suggestions;
    if (!svc) {
      this.statusItem.hide();
      return;
    }
    const show = (): void => {
      const st = svc.status;
      this.statusItem.text = `$(chip) ${st.provider ?? (st.state === 'off' ? 'models off' : st.state === 'error' ? 'models: error' : 'models idle')}`;
      this.statusItem.tooltip = `Groundwork inference: ${st.message}`;
      this.statusItem.show();
    };
    this.statusSub = svc.onStatus(show);
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

  private withProgress(
    run: (signal: CancelSignal) => Promise<string>,
  ): (signal: CancelSignal) => Promise<string> {
    return (signal) =>
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
            const summary = await run(both);
            void vscode.window.showInformationMessage(`Groundwork: ${summary}`);
            return summary;
          },
        ),
      );
  }
}
