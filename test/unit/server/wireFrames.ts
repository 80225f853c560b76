/**
 * Test helper: a raw TCP WebSocket client that builds frames by hand, so tests can send what
 * no well-behaved client library sends (bad UTF-8, unmasked frames, reserved bits...).
 */
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';

/** One frame's parts; `mask` false sends it unmasked (illegal from a client). */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Buffer;
  readonly rsv?: number;
  readonly mask?: boolean;
  /** A length to claim in the header instead of the payload's (to announce a huge message). */
  readonly claimLength?: number;
}

/** Encodes a frame (FIN set). */
export function frame(f: FrameSpec): Buffer {
  const len = f.claimLength ?? f.payload.length;
  const mask = f.mask !== false;
  const head: number[] = [0x80 | ((f.rsv ?? 0) << 4) | f.opcode];
  const maskBit = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(len);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, f.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(f.payload.map((b, i) => b ^ (key[i % 4] as number)));
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** A close frame's payload with `code`. */
export function closePayload(code: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return b;
}

/** Opens a socket, does the upgrade handshake, and resolves with the socket after the 101. */
export function rawUpgrade(port: number, token: string): Promise<Socket> {
  return new Promise((res, rej) => {
    const s = tcpConnect(port, '127.0.0.1', () => {
      s.write(
        `GET /${token}/ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let got = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      got = Buffer.concat([got, d]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      s.off('data', onData);
      const status = got.subarray(0, got.indexOf('\r\n')).toString('latin1');
      if (!/ 101 /.test(status)) rej(new Error(`no upgrade: ${status}`));
      else res(s);
    };
    s.on('data', onData);
    s.once('error', rej);
  });
}

/**
 * Sends `bytes` and resolves with the close code of the server's close frame (undefined when
 * the server cut the connection without one) once the connection ends.
 */
export function sendAndAwaitClose(s: Socket, bytes: Buffer): Promise<number | undefined> {
  return new Promise((res) => {
    let got = Buffer.alloc(0);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      // A server close frame: 0x88, a length below 126 (unmasked), then the code.
      const at = got.indexOf(0x88);
      res(at >= 0 && got.length >= at + 4 ? got.readUInt16BE(at + 2) : undefined);
      s.destroy();
    };
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
    });
    s.on('close', finish);
    s.on('end', finish);
    s.on('error', finish);
    s.write(bytes);
    setTimeout(finish, 5000).unref();
  });
}
