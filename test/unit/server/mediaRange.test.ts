/**
 * Video over `groundwork serve`'s `/media` route (issue 13 item 8): byte ranges for the
 * player's seeks (206, Content-Range, Accept-Ranges), 416 for a range past the end or a
 * malformed one, and a video outside the allowed roots refused with 403, its bytes unsent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseRange } from '../../../src/server/mediaRange';
import type { ServeHandle } from '../../../src/server/serveServer';
import { serveDataset } from './serveFixture';

const SIZE = 1000;
// Bytes that say where they are, so a wrong slice shows.
const VIDEO = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7 + 3) % 251));
let dir = '';
let inside = '';
let outside = '';
let h: ServeHandle;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-range-'));
  mkdirSync(join(dir, 'ws', 'data'), { recursive: true });
  mkdirSync(join(dir, 'ws', 'videos'));
  inside = join(dir, 'ws', 'videos', 'clip.mp4');
  outside = join(dir, 'secret.mp4');
  writeFileSync(inside, VIDEO);
  writeFileSync(outside, VIDEO);
  const text = '{"id":"a","video":"../videos/clip.mp4","reasoning":"A [cup]."}\n';
  h = await serveDataset(dir, text, 'tok', { watch: false });
});

after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

function get(file: string, range?: string, method = 'GET'): Promise<Reply> {
  const path = `/tok/media?p=${encodeURIComponent(file)}`;
  return new Promise((res, rej) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${h.port}` };
    if (range !== undefined) headers.range = range;
    const r = request({ host: '127.0.0.1', port: h.port, path, method, headers }, (m) => {
      const chunks: Buffer[] = [];
      m.on('data', (d: Buffer) => chunks.push(d));
      m.on('end', () =>
        res({ status: m.statusCode ?? 0, body: Buffer.concat(chunks), headers: m.headers }),
      );
    });
    r.on('error', rej);
    r.end();
  });
}

test('no Range: the whole video, 200, and the server says it takes ranges', async () => {
  const r = await get(inside);
  assert.equal(r.status, 200);
  assert.equal(r.headers['accept-ranges'], 'bytes');
  assert.equal(r.headers['content-type'], 'video/mp4');
  assert.equal(r.headers['content-length'], String(SIZE));
  assert.ok(r.body.equals(VIDEO));
});

test('one range: 206 with Content-Range and exactly those bytes (open end and suffix too)', async () => {
  const cases: [string, number, number][] = [
    ['bytes=0-99', 0, 99],
    ['bytes=100-100', 100, 100],
    ['bytes=900-', 900, 999],
    ['bytes=-100', 900, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=-5000', 0, 999],
  ];
  for (const [range, start, end] of cases) {
    const r = await get(inside, range);
    assert.equal(r.status, 206, range);
    assert.equal(r.headers['content-range'], `bytes ${start}-${end}/${SIZE}`, range);
    assert.equal(r.headers['accept-ranges'], 'bytes', range);
    assert.equal(r.headers['content-length'], String(end - start + 1), range);
    assert.ok(r.body.equals(VIDEO.subarray(start, end + 1)), `${range}: the bytes of the range`);
  }
});

test('HEAD with a range: the 206 headers, no body', async () => {
  const r = await get(inside, 'bytes=10-19', 'HEAD');
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-range'], `bytes 10-19/${SIZE}`);
  assert.equal(r.body.length, 0);
});

test('a range past the end or a malformed one: 416 with the size, no video bytes', async () => {
  const bad: [string, RegExp][] = [
    ['bytes=1000-', /starts past the end/],
    ['bytes=5000-6000', /starts past the end/],
    ['bytes=abc', /malformed range/],
    ['bytes=-', /malformed range/],
    ['bytes=5-2', /ends before it starts/],
    ['items=0-10', /malformed range/],
    ['bytes=0-1,5-6', /only one range/],
    ['bytes=-0', /empty suffix/],
  ];
  for (const [range, message] of bad) {
    const r = await get(inside, range);
    assert.equal(r.status, 416, range);
    assert.equal(r.headers['content-range'], `bytes */${SIZE}`, range);
    assert.match(r.body.toString('utf8'), message, range);
    assert.ok(!r.body.includes(VIDEO.subarray(0, 16)), `${range}: no video bytes sent`);
  }
  assert.ok(readFileSync(inside).equals(VIDEO), 'the video on disk is untouched');
});

test('a video outside the allowed roots is refused with 403, with or without a range', async () => {
  for (const range of [undefined, 'bytes=0-99']) {
    const r = await get(outside, range);
    assert.equal(r.status, 403);
    assert.match(r.body.toString('utf8'), /outside the allowed media roots/);
    assert.ok(!r.body.includes(VIDEO.subarray(0, 16)), 'nothing of the file is served');
    assert.equal(r.headers['content-range'], undefined);
  }
  // A path climbing out of a root is the same file outside.
  const climb = `${join(dir, 'ws', 'videos')}/../../secret.mp4`;
  assert.equal((await get(climb, 'bytes=0-9')).status, 403);
  // And a missing video inside a root is 403 too (realpath fails): nothing is said about it.
  assert.equal((await get(join(dir, 'ws', 'videos', 'none.mp4'))).status, 403);
});

test('parseRange: every satisfiable start-end is served exactly, clamped to the size', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.nat(20_000),
      fc.nat(20_000),
      (size, a, b) => {
        const [start, end] = [Math.min(a, b), Math.max(a, b)];
        const r = parseRange(`bytes=${start}-${end}`, size);
        if (start >= size) assert.equal(r.kind, 'unsatisfiable');
        else assert.deepEqual(r, { kind: 'range', start, end: Math.min(end, size - 1) });
      },
    ),
  );
  assert.deepEqual(parseRange(undefined, 10), { kind: 'whole' });
  assert.equal(parseRange('bytes=0-0', 0).kind, 'unsatisfiable', 'an empty file has no byte 0');
});
