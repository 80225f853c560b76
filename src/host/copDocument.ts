/**
 * The CustomDocument of a dataset: a thin VS Code shell around the vscode-free
 * EditorSession. Its edits reach VS Code as CustomDocumentEditEvents whose undo and redo
 * call back into the session, so Ctrl+Z, the dirty marker and hot exit are VS Code's.
 */
import * as vscode from 'vscode';
import type { EditorSession } from '../session/editorSession';

/** Turns file paths into webview URIs once a webview shows the document. */
export class WebviewUris {
  private mapper: ((abs: string) => string) | undefined;

  /** Sets the mapper of the first webview (webview resource URIs do not depend on the panel). */
  adopt(mapper: (abs: string) => string): void {
    this.mapper ??= mapper;
  }

  /** The webview URI of `abs`; empty before any webview exists (nothing can load it then). */
  map(abs: string): string {
    return this.mapper?.(abs) ?? '';
  }
}

/** One open dataset file. */
export class CopDocument implements vscode.CustomDocument {
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires when VS Code disposes the document. */
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The sample line the document's views showed last (the navigator's "next todo" start). */
  focusLine: number | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly session: EditorSession,
    readonly uris: WebviewUris,
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
