/**
 * `groundwork serve`: the editor in a browser. The same page and the same EditorSession as
 * in VS Code, over HTTP and a WebSocket on 127.0.0.1. Every request must carry the random
 * token (path prefix or `?token=`), else 403; the Host header must be loopback (no DNS
 * rebinding); media is served only from inside the allowed roots.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { DatasetDoc } from '../core/dataset';
import type { EditorSession } from '../session/editorSession';
import { isInside } from '../video/mediaPath';
import { recentFrame } from '../video/recentFrames';
import { renderEditorHtml } from '../session/webviewHtml';
import { DiskWatch } from './diskWatch';
import { serveVideoRange, videoType } from './mediaRange';
import type { RecoveryFile } from './recoveryFile';
import { RecoveryKeeper } from './recoveryKeeper';
import { attachSocket } from './serveSocket';
import { withPageInit } from './pageInit';
import { pageInitSnapshot } from '../session/viewConnection';
import { guardServer, guardUpgradeSocket } from './wsGuard';

/** What the server needs: a session factory (it needs the URL mapper) and where to listen. */
export interface ServeOptions {
  readonly port?: number;
  readonly token?: string;
  /** Builds the session once the media URL scheme is known. */
  readonly makeSession: (toUri: (absPath: string) => string) => Promise<{
    session: EditorSession;
    roots: () => Promise<readonly string[]>;
    /** The file as read, when the session starts from a recovery that differs from it. */
    base?: DatasetDoc;
  }>;
  /** Where unsaved work is kept against a crash (absent: not kept). */
  readonly recovery?: RecoveryFile;
  /** False: do not watch the dataset for outside changes (saves are still checked). */
  readonly watch?: boolean;
  /** Folder holding webview.js and webview.css (default: found next to the bundle or in dist/). */
  readonly assetsDir?: string;
}

/** A running server. */
export interface ServeHandle {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly session: EditorSession;
  /** Stops serving; `recoveryKept` says unsaved work stays in the recovery file. */
  close(): Promise<{ readonly recoveryKept: boolean }>;
}

/** The page's CSP as a header too (a meta tag cannot say frame-ancestors), plus hardening. */
function pageHeaders(html: string): Record<string, string> {
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(html)?.[1];
  const csp = `${meta ? meta.replace(/;\s*$/, '') + '; ' : "default-src 'none'; "}frame-ancestors 'none'`;
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** The folder with the built webview bundle. */
export function findAssetsDir(): string {
  const candidates = [__dirname, join(__dirname, '..', '..', 'dist'), join(process.cwd(), 'dist')];
  const hit = candidates.find((d) => existsSync(join(d, 'webview.js')));
  if (!hit)
    throw new Error(
      `webview bundle not found (looked in ${candidates.join(', ')}); run "npm run build" first`,
    );
  return hit;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Starts the server on 127.0.0.1; resolves once it listens. */
export async function startServe(o: ServeOptions): Promise<ServeHandle> {
  const token = o.token ?? randomBytes(18).toString('base64url');
  const assets = o.assetsDir ?? findAssetsDir();
  const server = createServer();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, '127.0.0.1', () => res());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const baseUrl = `http://127.0.0.1:${port}/${token}/`;
  const made = await o
    .makeSession((abs) => `/${token}/media?p=${encodeURIComponent(abs)}`)
    .catch((e: unknown) => {
      // Nothing to serve: stop listening so the process can exit with the message.
      server.close();
      throw e;
    });
  const { session, roots, base } = made;
  const watch = new DiskWatch(session, base ?? session.doc);
  if (o.watch !== false) watch.start();
  const keeper = o.recovery && new RecoveryKeeper(o.recovery, session, () => watch.base);
  // A restored recovery is ours now: kept while dirty, removed once saved.
  if (keeper && base) keeper.adopt();
  const log = (level: 'warn', message: string): void => session.log(level, message);

  const allowedHost = (req: IncomingMessage): boolean => {
    const h = req.headers.host ?? '';
    return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
  };
  /** The path after the token, or undefined when the token is missing or wrong. */
  const authorised = (req: IncomingMessage): { rest: string; url: URL } | undefined => {
    const url = new URL(req.url ?? '/', baseUrl);
    const m = /^\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (m && same(m[1] as string, token)) return { rest: m[2] ?? '/', url };
    const q = url.searchParams.get('token');
    if (q !== null && same(q, token) && url.pathname === '/') return { rest: '/redirect', url };
    return undefined;
  };

  const send = (res: ServerResponse, code: number, text: string): void => {
    res.writeHead(code, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
    res.end(text);
  };

  const serveFile = async (res: ServerResponse, path: string, cache: boolean): Promise<void> => {
    // One open file for the size and the bytes: a frame the cache replaces (atomic rename)
    // between a stat and a read by name would be sent with the other file's length.
    const file = await fs.open(path, 'r').catch(() => undefined);
    const st = await file?.stat().catch(() => undefined);
    if (!file || !st?.isFile()) {
      await file?.close();
      send(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': cache ? 'private, max-age=3600' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    const stream = file.createReadStream();
    res.once('close', () => stream.destroy());
    stream.pipe(res);
  };

  server.on('request', (req, res) => {
    void (async () => {
      if (!allowedHost(req)) {
        send(res, 403, 'forbidden host');
        return;
      }
      const a = authorised(req);
      if (!a) {
        send(res, 403, 'forbidden: the URL needs the token groundwork serve printed');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed');
        return;
      }
      const { rest, url } = a;
      if (rest === '/redirect') {
        res.writeHead(302, { location: baseUrl });
        res.end();
        return;
      }
      if (rest === '/' || rest === '/index.html') {
        const page = renderEditorHtml({
          cspSource: "'self'",
          scriptUri: `/${token}/webview.js`,
          styleUri: `/${token}/webview.css`,
          mode: 'serve',
          socketUrl: `ws://127.0.0.1:${port}/${token}/ws`,
          title: `Groundwork — ${session.path.split(/[\\/]/).pop() ?? ''}`,
        });
        // The first sample rides in the page: it is on screen before the socket opens.
        const first = await pageInitSnapshot(session).catch(() => undefined);
        const html = first ? withPageInit(page, first) : page;
        res.writeHead(200, pageHeaders(html));
        res.end(html);
        return;
      }
      if (rest === '/webview.js' || rest === '/webview.css' || rest === '/webview.js.map') {
        await serveFile(res, join(assets, rest.slice(1)), false);
        return;
      }
      if (rest === '/media') {
        const p = url.searchParams.get('p') ?? '';
        // The frame on screen, just decoded by this process into its cache: from memory.
        const held = recentFrame(p);
        if (held) {
          res.writeHead(200, {
            'content-type': 'image/jpeg',
            'content-length': held.length,
            'cache-control': 'private, max-age=3600',
            'x-content-type-options': 'nosniff',
          });
          res.end(held);
          return;
        }
        const real = await fs.realpath(p).catch(() => undefined);
        if (!real || !(await roots()).some((r) => isInside(r, real))) {
          send(res, 403, 'forbidden: outside the allowed media roots');
          return;
        }
        // The player's video: byte ranges, so the <video> element can seek (mediaRange.ts).
        const video = videoType(real);
        if (video) {
          await serveVideoRange(req, res, real, video);
          return;
        }
        if (!TYPES[extname(real).toLowerCase()]?.startsWith('image/')) {
          send(res, 403, 'forbidden: not an image');
          return;
        }
        await serveFile(res, real, true);
        return;
      }
      send(res, 404, 'not found');
    })().catch((e) => {
      if (!res.headersSent) send(res, 500, String(e));
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  guardServer(wss, log);
  server.on('clientError', (e, socket) => {
    log('warn', `refused a bad HTTP request: ${e.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  server.on('upgrade', (req, socket, head) => {
    guardUpgradeSocket(socket, log);
    const a = allowedHost(req) ? authorised(req) : undefined;
    const origin = req.headers.origin;
    const originOk =
      origin === undefined ||
      origin === `http://127.0.0.1:${port}` ||
      origin === `http://localhost:${port}`;
    if (!a || a.rest !== '/ws' || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws, session, watch));
  });

  return {
    url: baseUrl,
    port,
    token,
    session,
    close: () =>
      new Promise<void>((res) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => res());
      }).then(async () => {
        watch.dispose();
        const recoveryKept = (await keeper?.close()) ?? false;
        await session.dispose();
        return { recoveryKept };
      }),
  };
}
