/** The HostContext inside a VS Code webview: the one place that calls acquireVsCodeApi. */
import type { Envelope } from '../../src/protocol/envelope';
import type { HostContext, PersistedState } from './hostContext';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** True when running inside a VS Code webview. */
export function inVsCode(): boolean {
  return typeof (globalThis as { acquireVsCodeApi?: unknown }).acquireVsCodeApi === 'function';
}

/** Creates the VS Code host context (call once: the API may be acquired only once). */
export function createVsCodeHost(): HostContext {
  const api = acquireVsCodeApi();
  const connects: (() => void)[] = [];
  return {
    mode: 'vscode',
    post: (e: Envelope) => api.postMessage(e),
    onMessage(listener) {
      window.addEventListener('message', (ev: MessageEvent) => {
        const d: unknown = ev.data;
        if (typeof d === 'object' && d !== null && 'messageId' in d) listener(d as Envelope);
      });
    },
    onConnect(listener) {
      connects.push(listener);
      queueMicrotask(listener);
    },
    // A webview's channel to its extension host does not drop while the webview lives.
    onDisconnect: () => undefined,
    getState: () => (api.getState() as PersistedState | undefined) ?? {},
    setState: (s) => api.setState(s),
  };
}
