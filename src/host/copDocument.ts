/**
 * The CustomDocument of a dataset: a thin VS Code shell around the vscode-free
 * EditorSession. Its edits reach VS Code as CustomDocumentEditEvents whose undo and redo
 * call back into the session, so Ctrl+Z, the dirty marker and hot exit are VS Code's.
 */
import * as vscode from 'vscode';
import type { EditorSession } from '../session/editorSession';

/** One open dataset file. */
export class CopDocument implements vscode.CustomDocument {
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires when VS Code disposes the document. */
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Turns file paths into webview URIs; set by the first webview that shows the document. */
  uriMapper: ((abs: string) => string) | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly session: EditorSession,
  ) {}

  /** Keeps `d` until the document is disposed. */
  register(d: vscode.Disposable): void {
    this.disposables.push(d);
  }

  dispose(): void {
    this.disposeEmitter.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposeEmitter.dispose();
  }
}
