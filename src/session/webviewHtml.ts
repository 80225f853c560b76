/**
 * The editor page, shared by the VS Code webview and the serve mode: a strict CSP with a
 * fresh nonce per render, no inline handlers, no remote content. The host mode and the
 * socket address travel as data attributes, because no inline script is allowed.
 */
import { randomBytes } from 'node:crypto';

/** What differs between the two hosts. */
export interface EditorHtmlOptions {
  /** `webview.cspSource` in VS Code, `'self'` in serve mode. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly mode: 'vscode' | 'serve';
  /** Serve mode: the WebSocket URL (token included). */
  readonly socketUrl?: string;
  readonly title: string;
}

/** A fresh nonce (128 bits, base64) for one render. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** `s` escaped for a double-quoted HTML attribute (or text). */
export function htmlAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** The full HTML document of the editor. */
export function renderEditorHtml(o: EditorHtmlOptions, nonce = makeNonce()): string {
  const connect = o.socketUrl ? ` ${new URL(o.socketUrl).origin}` : '';
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data: blob:`,
    // The player's <video> streams the sample's clip from the same origin as the frames.
    `media-src ${o.cspSource}`,
    `style-src ${o.cspSource} 'nonce-${nonce}'`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `connect-src ${o.cspSource}${connect}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${htmlAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${htmlAttr(o.styleUri)}" nonce="${nonce}">
<title>${htmlAttr(o.title)}</title>
</head>
<body data-host="${o.mode}"${o.socketUrl ? ` data-socket="${htmlAttr(o.socketUrl)}"` : ''}>
<div id="app" data-testid="app"></div>
<script nonce="${nonce}" src="${htmlAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
