import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile } from '../../../src/inference/downloader';
import type { DownloadProgress } from '../../../src/inference/downloader';

const body = randomBytes(300_000);
const sum = createHash('sha256').update(body).digest('hex');

/** A local server that honours Range; with `cutAt` set, the next full transfer dies after that many bytes. */
async function server(): Promise<{
  url: string;
  ranges: string[];
  cut(n: number): void;
  close(): Promise<void>;
}> {
  const ranges: string[] = [];
  let cutAt = 0;
  const s = createServer((req, res) => {
    const range = req.headers.range;
    ranges.push(range ?? '');
    if (range) {
      const start = Number(/bytes=(\d+)-/.exec(range)?.[1]);
      res.writeHead(206, {
        'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'Content-Length': body.length });
    if (cutAt > 0) {
      const n = cutAt;
      cutAt = 0;
      res.write(body.subarray(0, n), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/m.onnx`,
    ranges,
    cut: (n) => {
      cutAt = n;
    },
    close: () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

test('downloads with progress and verifies the sha256', async () => {
  const srv = await server();
  const dest = join(mkdtempSync(join(tmpdir(), 'gw-dl-')), 'm.onnx');
  const seen: DownloadProgress[] = [];
  const r = await downloadFile({
    url: srv.url,
    dest,
    sha256: sum,
    onProgress: (p) => seen.push(p),
  });
  await srv.close();
  assert.equal(r.integrity, 'verified');
  assert.deepEqual(readFileSync(dest), body);
  assert.ok(seen.length >= 1);
  assert.equal(seen[seen.length - 1]?.received, body.length);
  assert.equal(seen[0]?.total, body.length);
});

test('an interrupted transfer resumes with a Range request', async () => {
  const srv = await server();
  const dest = join(mkdtempSync(join(tmpdir(), 'gw-dl-')), 'm.onnx');
  srv.cut(100_000);
  await assert.rejects(downloadFile({ url: srv.url, dest, sha256: sum }));
  assert.ok(!existsSync(dest), 'no partial file under the final name');
  const partial = statSync(`${dest}.part`).size;
  assert.ok(partial > 0 && partial < body.length, `partial ${partial}`);
  const seen: DownloadProgress[] = [];
  const r = await downloadFile({
    url: srv.url,
    dest,
    sha256: sum,
    onProgress: (p) => seen.push(p),
  });
  await srv.close();
  assert.equal(r.resumedFrom, partial);
  assert.equal(srv.ranges[1], `bytes=${partial}-`);
  assert.equal(seen[0]?.resumedFrom, partial);
  assert.deepEqual(readFileSync(dest), body);
});

test('a sha256 mismatch is a clear error and leaves nothing behind', async () => {
  const srv = await server();
  const dest = join(mkdtempSync(join(tmpdir(), 'gw-dl-')), 'm.onnx');
  await assert.rejects(
    downloadFile({ url: srv.url, dest, sha256: '0'.repeat(64) }),
    new RegExp(`sha256 mismatch .* expected 0{64}, got ${sum}`),
  );
  await srv.close();
  assert.ok(!existsSync(dest) && !existsSync(`${dest}.part`));
});

test('without a sha256 the file is downloaded and marked unverified', async () => {
  const srv = await server();
  const dest = join(mkdtempSync(join(tmpdir(), 'gw-dl-')), 'm.onnx');
  const r = await downloadFile({ url: srv.url, dest, sha256: null });
  await srv.close();
  assert.equal(r.integrity, 'unverified');
  assert.equal(r.sha256, sum);
});
