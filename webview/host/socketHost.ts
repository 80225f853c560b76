/**
 * The HostContext of serve mode: a WebSocket to `groundwork serve`, reconnecting with
 * backoff; messages posted while disconnected are dropped (requests time out and the
 * reconnect brings a full snapshot). State persists in sessionStorage.
 */
import type { Envelope } from '../../src/protocol/envelope';
import type { HostContext, PersistedState } from './hostContext';

const KEY = 'groundwork.view';

/** Creates the serve-mode host context for the socket at `url`. */
export function createSocketHost(url: string): HostContext {
  let ws: WebSocket | undefined;
  const listeners: ((e: Envelope) => void)[] = [];
  const connects: (() => void)[] = [];
  const disconnects: (() => void)[] = [];
  let delay = 250;
  /** Messages posted while the first connection opens; then whether that attempt is over. */
  const early: string[] = [];
  let firstDone = false;
  const open = (): void => {
    const s = new WebSocket(url);
    ws = s;
    s.addEventListener('open', () => {
      delay = 250;
      firstDone = true;
      for (const c of connects) c();
      // What the page sent while the first connection opened (it shows the sample the page
      // carried before that): after `webview/ready`, in order.
      for (const text of early.splice(0)) s.send(text);
    });
    s.addEventListener('message', (ev: MessageEvent) => {
      let e: unknown;
      try {
        e = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof e === 'object' && e !== null && 'messageId' in e)
        for (const l of listeners) l(e as Envelope);
    });
    s.addEventListener('close', () => {
      // A first connection that failed drops what waited for it: those requests time out.
      firstDone = true;
      early.length = 0;
      for (const d of disconnects) d();
      setTimeout(open, delay);
      delay = Math.min(5000, delay * 2);
    });
  };
  open();
  return {
    mode: 'serve',
    post(e) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(e));
      else if (!firstDone && ws?.readyState === WebSocket.CONNECTING) early.push(JSON.stringify(e));
    },
    onMessage(l) {
      listeners.push(l);
    },
    onConnect(l) {
      connects.push(l);
      if (ws?.readyState === WebSocket.OPEN) l();
    },
    onDisconnect(l) {
      disconnects.push(l);
    },
    getState() {
      try {
        return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as PersistedState;
      } catch {
        return {};
      }
    },
    setState(s) {
      try {
        sessionStorage.setItem(KEY, JSON.stringify(s));
      } catch {
        /* storage may be off */
      }
    },
  };
}
