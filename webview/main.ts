/** Webview entry: picks the host (VS Code or the serve socket) and starts the editor. */
import { EditorApp } from './app';
import type { HostContext } from './host/hostContext';
import { createSocketHost } from './host/socketHost';
import { createVsCodeHost, inVsCode } from './host/vscodeHost';

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  let context: HostContext;
  if (inVsCode()) context = createVsCodeHost();
  else {
    const url = document.body.dataset.socket;
    if (!url) {
      root.textContent = 'Groundwork: no host (open this page from VS Code or groundwork serve).';
      return;
    }
    // The app listens for connection changes itself (HostContext.onConnect / onDisconnect).
    context = createSocketHost(url);
  }
  const app = new EditorApp(root, context);
  (globalThis as { groundworkApp?: EditorApp }).groundworkApp = app;
}

start();
