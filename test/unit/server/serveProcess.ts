/**
 * Test helper: runs the real `dist/cli.js serve` as a child process, reads the URL it
 * prints, opens sockets to it and reads the child's resident memory from /proc.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';

/** The bundled CLI the tests spawn (built by `node esbuild.mjs`). */
export const CLI = process.env.GW_SERVE_CLI ?? join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Why serve-process tests cannot run here, or undefined when they can. */
export function serveSkipReason(): string | undefined {
  if (!existsSync(CLI)) return `${CLI} is missing: run "node esbuild.mjs" first`;
  return undefined;
}

/** A running serve child. */
export interface ServeChild {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Ends the child with `signal` and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `serve <dataset> ...args` and resolves once it printed its URL. */
export function startServeChild(
  dataset: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ServeChild> {
  const child = spawn(process.execPath, [CLI, 'serve', dataset, '--no-models', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/([^/\s]+)\//.exec(out);
      if (m)
        res({
          child,
          port: Number(m[1]),
          token: m[2] as string,
          output: () => out,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => rej(new Error(`serve exited (${code}) before its URL:\n${out}`)));
  });
}

/** Resident memory of `pid` in KiB (VmRSS in /proc/<pid>/status). */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/** An open socket to the child with request/reply helpers. */
export interface TestSocket {
  readonly ws: WebSocket;
  /** Sends a request and resolves with its reply body. */
  request(
    body: object,
  ): Promise<{ type: string; result?: unknown; code?: string; message?: string }>;
  /** Sends without waiting for a reply. */
  send(body: object): number;
  /** Host notifications seen so far (non-replies). */
  readonly notes: { type: string; message?: string }[];
  close(): void;
}

/** Connects to the child's socket. */
export async function connect(s: { port: number; token: string }): Promise<TestSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/${s.token}/ws`);
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  let next = 1;
  const waiting = new Map<number, (b: never) => void>();
  const notes: { type: string; message?: string }[] = [];
  ws.on('message', (d) => {
    const e = JSON.parse(String(d)) as { inReplyTo?: number; body: { type: string } };
    if (e.inReplyTo !== undefined) {
      waiting.get(e.inReplyTo)?.(e.body as never);
      waiting.delete(e.inReplyTo);
    } else notes.push(e.body);
  });
  const send = (body: object): number => {
    const id = next++;
    ws.send(JSON.stringify({ messageId: id, body }));
    return id;
  };
  return {
    ws,
    notes,
    send,
    request: (body) =>
      new Promise((res) => {
        waiting.set(send(body), res as (b: never) => void);
      }),
    close: () => ws.close(),
  };
}
