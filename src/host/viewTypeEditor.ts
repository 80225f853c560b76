/**
 * One registration per view type. VS Code looks up the document of an edit event among the
 * documents of the provider that fired it, so a provider shared by two view types made the
 * other registration fail with "No custom document found". Each view type gets this thin
 * front with its own documents and its own edit event; the work stays in the shared provider.
 */
import * as vscode from 'vscode';
import type { CopDocument } from './copDocument';

/** The shared provider's surface this front forwards to. */
type SharedProvider = Omit<
  vscode.CustomEditorProvider<CopDocument>,
  'onDidChangeCustomDocument'
> & {
  readonly onDidChangeCustomDocument: vscode.Event<vscode.CustomDocumentEditEvent<CopDocument>>;
};

/** A custom editor provider for one view type, delegating to the shared one. */
export class ViewTypeEditor implements vscode.CustomEditorProvider<CopDocument> {
  private readonly docs = new Set<CopDocument>();
  private readonly emitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<CopDocument>>();
  readonly onDidChangeCustomDocument = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly shared: SharedProvider) {
    this.sub = shared.onDidChangeCustomDocument((e) => {
      if (this.docs.has(e.document)) this.emitter.fire(e);
    });
  }

  async openCustomDocument(
    uri: vscode.Uri,
    ctx: vscode.CustomDocumentOpenContext,
    token: vscode.CancellationToken,
  ): Promise<CopDocument> {
    const doc = await this.shared.openCustomDocument(uri, ctx, token);
    this.docs.add(doc);
    doc.onDidDispose(() => this.docs.delete(doc));
    return doc;
  }

  resolveCustomEditor(
    document: CopDocument,
    panel: vscode.WebviewPanel,
    token: vscode.CancellationToken,
  ): Thenable<void> | void {
    return this.shared.resolveCustomEditor(document, panel, token);
  }

  saveCustomDocument(document: CopDocument, token: vscode.CancellationToken): Thenable<void> {
    return this.shared.saveCustomDocument(document, token);
  }

  saveCustomDocumentAs(
    document: CopDocument,
    destination: vscode.Uri,
    token: vscode.CancellationToken,
  ): Thenable<void> {
    return this.shared.saveCustomDocumentAs(document, destination, token);
  }

  revertCustomDocument(document: CopDocument, token: vscode.CancellationToken): Thenable<void> {
    return this.shared.revertCustomDocument(document, token);
  }

  backupCustomDocument(
    document: CopDocument,
    context: vscode.CustomDocumentBackupContext,
    token: vscode.CancellationToken,
  ): Thenable<vscode.CustomDocumentBackup> {
    return this.shared.backupCustomDocument(document, context, token);
  }

  /** Stops forwarding edit events. */
  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
