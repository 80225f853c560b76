/**
 * Just enough ZMTP 3.0 (the ZeroMQ wire protocol, NULL security) to talk to ffmpeg's `zmq`
 * filter, which binds a REP socket and runs each message it receives as a filter command
 * ("TARGET COMMAND ARG"). We speak as a DEALER: unlike a REQ it may send the next command
 * before the reply to the last one came, so a gate change and a seek reach the filter
 * together and take effect on the same decoded frame. Frames on the wire: a flags byte
 * (bit 0 more, bit 1 long size, bit 2 command), a size (1 or 8 bytes), the body.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** A connected command channel: `send` resolves with ffmpeg's reply ("0 Success", ...). */
export interface ZmqCommands {
  send(command: string): Promise<string>;
  close(): void;
  /** The connection, for ref/unref. */
  readonly socket: Socket;
}

/** The 64-byte greeting: signature, version 3.0, mechanism NULL, not a server. */
function greeting(): Buffer {
  const g = Buffer.alloc(64);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = 3;
  g.write('NULL', 12, 'latin1');
  return g;
}

function frame(body: Buffer, flags: number): Buffer {
  if (body.length < 256) return Buffer.concat([Buffer.from([flags, body.length]), body]);
  const head = Buffer.alloc(9);
  head[0] = flags | 2;
  head.writeBigUInt64BE(BigInt(body.length), 1);
  return Buffer.concat([head, body]);
}

/** The READY command naming our socket type. */
function ready(): Buffer {
  const name = Buffer.from('Socket-Type', 'latin1');
  const value = Buffer.from('DEALER', 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(value.length);
  const body = Buffer.concat([
    Buffer.from([5]),
    Buffer.from('READY', 'latin1'),
    Buffer.from([name.length]),
    name,
    size,
    value,
  ]);
  return frame(body, 4);
}

/**
 * Connects to a bound `zmq` filter at a Unix socket path (or `port` on 127.0.0.1) and
 * resolves once both sides have said READY; rejects if the socket cannot be reached.
 */
export function connectZmq(at: string | number): Promise<ZmqCommands> {
  return new Promise((resolve, reject) => {
    const sock: Socket = typeof at === 'number' ? connect(at, '127.0.0.1') : connect(at);
    let buf: Buffer = Buffer.alloc(0);
    let greeted = false;
    let isReady = false;
    const replies: ((text: string) => void)[] = [];
    let message: Buffer[] = [];
    const fail = (e: Error): void => {
      for (const r of replies.splice(0)) r(`-1 ${e.message}`);
      if (!isReady) reject(e);
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('the zmq socket closed')));
    sock.on('connect', () => sock.write(Buffer.concat([greeting(), ready()])));
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (!greeted) {
        if (buf.length < 64) return;
        greeted = true;
        buf = buf.subarray(64);
      }
      for (;;) {
        if (buf.length < 2) return;
        const flags = buf[0] as number;
        const long = (flags & 2) !== 0;
        if (long && buf.length < 9) return;
        const size = long ? Number(buf.readBigUInt64BE(1)) : (buf[1] as number);
        const start = long ? 9 : 2;
        if (buf.length < start + size) return;
        const body = buf.subarray(start, start + size);
        buf = buf.subarray(start + size);
        if (flags & 4) {
          // The peer's READY (the only command NULL security sends): the channel is open.
          if (!isReady) {
            isReady = true;
            resolve({ send, close: () => sock.destroy(), socket: sock });
          }
          continue;
        }
        message.push(Buffer.from(body));
        if (flags & 1) continue;
        // A reply is [empty delimiter, text]; the delimiter is what a REP puts first.
        const text = Buffer.concat(message).toString('utf8');
        message = [];
        replies.shift()?.(text);
      }
    });
    const send = (command: string): Promise<string> =>
      new Promise((done) => {
        replies.push(done);
        sock.write(Buffer.concat([frame(Buffer.alloc(0), 1), frame(Buffer.from(command), 0)]));
      });
  });
}
