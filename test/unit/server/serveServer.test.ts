import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { ServeHandle } from '../../../src/server/serveServer';
import { serveDataset } from './serveFixture';

// A 1x1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082',
  'hex',
);
let dir = '';
let h: ServeHandle;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-serve-'));
  mkdirSync(join(dir, 'ws', 'data'), { recursive: true });
  mkdirSync(join(dir, 'ws', 'frames'));
  writeFileSync(join(dir, 'ws', 'frames', 'a.png'), PNG);
  writeFileSync(join(dir, 'outside.png'), PNG);
  const text =
    '{"id":"a","frames":["../frames/a.png","../../outside.png"],"reasoning":"A [cup]."}\n';
  h = await serveDataset(dir, text, 'tok123');
});

after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(
  path: string,
  host = `127.0.0.1:${h.port}`,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((res, rej) => {
    const r = request({ host: '127.0.0.1', port: h.port, path, headers: { host } }, (m) => {
      let body = '';
      m.on('data', (d: Buffer) => {
        body += d.toString('latin1');
      });
      m.on('end', () => res({ status: m.statusCode ?? 0, body, headers: m.headers }));
    });
    r.on('error', rej);
    r.end();
  });
}

test('binds to loopback and prints a URL with the token', () => {
  assert.equal(h.url, `http://127.0.0.1:${h.port}/tok123/`);
});

test('requests without the token, or with another Host, get 403', async () => {
  assert.equal((await get('/')).status, 403);
  assert.equal((await get('/webview.js')).status, 403);
  assert.equal((await get('/wrong/webview.js')).status, 403);
  assert.equal((await get('/tok123/', `evil.example:${h.port}`)).status, 403);
  assert.equal((await get('/tok123/webview.js')).status, 200);
  assert.equal((await get('/?token=tok123')).status, 302);
});

test('the page has a strict CSP with a nonce and the socket URL', async () => {
  const r = await get('/tok123/');
  assert.equal(r.status, 200);
  const csp = /content="([^"]+)"/.exec(r.body)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
  assert.ok(!/unsafe-inline|unsafe-eval|https?:\/\/(?!127\.0\.0\.1)/.test(csp), csp);
  assert.match(r.body, /data-socket="ws:\/\/127\.0\.0\.1:\d+\/tok123\/ws"/);
  const second = await get('/tok123/');
  assert.notEqual(
    /nonce-([^']+)/.exec(second.body)?.[1],
    /nonce-([^']+)/.exec(r.body)?.[1],
    'a fresh nonce per render',
  );
});

test('the page sends its CSP as a header too, with frame-ancestors none and hardening headers', async () => {
  const r = await get('/tok123/');
  const header = String(r.headers['content-security-policy'] ?? '');
  const meta = /content="([^"]+)"/.exec(r.body)?.[1] ?? '';
  assert.match(header, /frame-ancestors 'none'/);
  assert.match(header, /default-src 'none'/);
  for (const part of meta.split('; ')) assert.ok(header.includes(part), `header lacks ${part}`);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.equal(r.headers['x-frame-options'], 'DENY');
});

test('media is served only from inside the roots', async () => {
  assert.equal(
    (await get(`/tok123/media?p=${encodeURIComponent(join(dir, 'ws', 'frames', 'a.png'))}`)).status,
    200,
  );
  assert.equal(
    (await get(`/tok123/media?p=${encodeURIComponent(join(dir, 'outside.png'))}`)).status,
    403,
  );
  assert.equal(
    (await get(`/tok123/media?p=${encodeURIComponent(join(dir, 'ws', 'data', 'd.cop.jsonl'))}`))
      .status,
    403,
    'not an image',
  );
});

test('the socket needs the token; with it, ready -> init, and media outside the workspace is refused in the snapshot', async () => {
  const bad = new WebSocket(`ws://127.0.0.1:${h.port}/nope/ws`);
  await new Promise<void>((res) => {
    bad.on('error', () => res());
    bad.on('unexpected-response', () => res());
  });
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/tok123/ws`);
  await new Promise<void>((res) => ws.on('open', () => res()));
  const got = new Promise<{
    body: {
      type: string;
      snapshot: { sample: { media: { error?: string; frames: { uri?: string }[] } } };
    };
  }>((res) =>
    ws.on('message', (d) => {
      // Besides the snapshot a page gets the disk-clash state (none here): serveConflict.test.ts.
      const e = JSON.parse(String(d)) as { body: { type: string } };
      if (e.body.type === 'host/init') res(e as never);
    }),
  );
  ws.send(JSON.stringify({ messageId: 1, body: { type: 'webview/ready' } }));
  const m = await got;
  assert.equal(m.body.type, 'host/init');
  const media = m.body.snapshot.sample.media;
  assert.match(media.error ?? '', /outside the workspace and the media roots/);
  assert.ok(media.frames[0]?.uri?.startsWith('/tok123/media?p='));
  assert.equal(media.frames[1]?.uri, undefined);
  ws.close();
});
