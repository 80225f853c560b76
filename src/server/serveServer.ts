/**
 * `groundwork serve`: the editor in a browser. The same page and the same EditorSession as
 * in VS Code, over HTTP and a WebSocket on 127.0.0.1. Every request must carry the random
 * token (path prefix or `?token=`), else 403; the Host header must be loopback (no DNS
 * rebinding); media is served only from inside the allowed roots.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { EditorSession } from '../session/editorSession';
import { isInside } from '../video/mediaPath';
import { ViewConnection } from '../session/viewConnection';
import { renderEditorHtml } from '../session/webviewHtml';

/** What the server needs: a session factory (it needs the URL mapper) and where to listen. */
export interface ServeOptions {
  readonly port?: number;
  readonly token?: string;
  /** Builds the session once the media URL scheme is known. */
  readonly makeSession: (
    toUri: (absPath: string) => string,
  ) => Promise<{ session: EditorSession; roots: () => Promise<readonly string[]> }>;
  /** Folder holding webview.js and webview.css (default: found next to the bundle or in dist/). */
  readonly assetsDir?: string;
}

/** A running server. */
export interface ServeHandle {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly session: EditorSession;
  close(): Promise<void>;
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
  const base = `http://127.0.0.1:${port}/${token}/`;
  const { session, roots } = await o.makeSession(
    (abs) => `/${token}/media?p=${encodeURIComponent(abs)}`,
  );

  const allowedHost = (req: IncomingMessage): boolean => {
    const h = req.headers.host ?? '';
    return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
  };
  /** The path after the token, or undefined when the token is missing or wrong. */
  const authorised = (req: IncomingMessage): { rest: string; url: URL } | undefined => {
    const url = new URL(req.url ?? '/', base);
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
    const st = await fs.stat(path).catch(() => undefined);
    if (!st?.isFile()) {
      send(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': cache ? 'private, max-age=3600' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    createReadStream(path).pipe(res);
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
        res.writeHead(302, { location: base });
        res.end();
        return;
      }
      if (rest === '/' || rest === '/index.html') {
        const html = renderEditorHtml({
          cspSource: "'self'",
          scriptUri: `/${token}/webview.js`,
          styleUri: `/${token}/webview.css`,
          mode: 'serve',
          socketUrl: `ws://127.0.0.1:${port}/${token}/ws`,
          title: `Groundwork — ${session.path.split(/[\\/]/).pop() ?? ''}`,
        });
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        });
        res.end(html);
        return;
      }
      if (rest === '/webview.js' || rest === '/webview.css' || rest === '/webview.js.map') {
        await serveFile(res, join(assets, rest.slice(1)), false);
        return;
      }
      if (rest === '/media') {
        const p = url.searchParams.get('p') ?? '';
        const real = await fs.realpath(p).catch(() => undefined);
        if (!real || !(await roots()).some((r) => isInside(r, real))) {
          send(res, 403, 'forbidden: outside the allowed media roots');
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
  server.on('upgrade', (req, socket, head) => {
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
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new ViewConnection(session, {
        post: (e) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
        },
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          session.log('warn', 'refused a binary socket message');
          return;
        }
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          session.log('warn', 'refused a socket message that is not JSON');
          return;
        }
        conn.receive(msg);
      });
      ws.on('close', () => conn.dispose());
    });
  });

  return {
    url: base,
    port,
    token,
    session,
    close: () =>
      new Promise<void>((res) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => res());
      }).then(() => session.dispose()),
  };
}
