/**
 * Protocol errors on one socket stay on that socket (issue 10 item 8): `ws` reports a bad
 * frame (too big, invalid UTF-8, unmasked, reserved opcode or bits, a bad close code) as an
 * 'error' event and closes the connection with the matching code; without a listener that
 * event threw and ended the whole server with its unsaved document.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

/** Where guard messages go. */
export type GuardLog = (level: 'warn', message: string) => void;

/** The close code `ws` attached to a protocol error (1002, 1007, 1009...), when it did. */
function closeCode(e: Error): string {
  const code = (e as Error & { code?: string }).code;
  return code ? ` (${code})` : '';
}

/** Keeps errors of the raw socket before the upgrade (a reset, a half-sent handshake) local. */
export function guardUpgradeSocket(socket: Duplex, log: GuardLog): void {
  socket.on('error', (e) => log('warn', `socket error before the upgrade: ${e.message}`));
}

/** Keeps a connection's protocol errors local; `ws` has already begun closing it. */
export function guardSocket(ws: WebSocket, log: GuardLog): void {
  ws.on('error', (e) => {
    log('warn', `closed a socket after a protocol error: ${e.message}${closeCode(e)}`);
    // ws closes with the right code; a peer that never answers the close is cut off.
    setTimeout(() => ws.terminate(), 2000).unref();
  });
}

/** Keeps errors of the socket server itself (handshake trouble) from ending the process. */
export function guardServer(wss: WebSocketServer, log: GuardLog): void {
  wss.on('error', (e) => log('warn', `socket server error: ${e.message}`));
  wss.on('wsClientError', (e, socket) => {
    log('warn', `refused a bad socket handshake: ${e.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
}
