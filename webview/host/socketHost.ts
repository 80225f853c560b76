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
  const open = (): void => {
    const s = new WebSocket(url);
    ws = s;
    s.addEventListener('open', () => {
      delay = 250;
      for (const c of connects) c();
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
