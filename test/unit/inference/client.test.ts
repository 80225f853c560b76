import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RequestError } from '../../../src/protocol/envelope';
import { InferenceClient } from '../../../src/inference/client';
import { CancelSource } from '../../../src/protocol/channel';
import { decodeRle } from '../../../src/core/rle';
import { writeTinyModels } from './tinyModels';

const tiny = writeTinyModels();
const notices: string[] = [];
const client = new InferenceClient({
  ...tiny,
  device: 'cpu',
  onNotice: (m) => notices.push(m),
  threads: 1,
});
after(() => client.dispose());

const frame = { width: 960, height: 540 };
const image = { ...frame, data: new Uint8Array(960 * 540 * 3).fill(128) };

test('detect through the worker process returns boxes in source pixels', async () => {
  const r = await client.detect('tiny-yolox', image);
  assert.equal(r.detections.length, 1);
  assert.equal(r.detections[0]?.label, 'person');
  assert.ok(r.timings.runMs >= 0);
  assert.ok(client.pid && client.pid !== process.pid);
});

test('loading says which provider runs and that generated files are unverified', async () => {
  const r = await client.loadModel('tiny-sam');
  assert.equal(r.provider, 'cpu');
  assert.equal(r.integrity, 'unverified');
  assert.match(notices.join('\n'), /tiny-sam: .*unverified/);
  // A decoder that is not SAM's standard export runs as it is, and says why.
  assert.match(r.graph ?? '', /^as exported \(upscaling kept as exported: 0 ConvTranspose nodes/);
});

test('segment: the embedding is cached per frame, the image is sent only once', async () => {
  let asked = 0;
  const call = {
    modelId: 'tiny-sam',
    frameKey: 'bedroom#0',
    frameSize: frame,
    image: async () => {
      asked++;
      return image;
    },
  };
  const a = await client.segment({
    ...call,
    prompt: { clicks: [{ x: 480, y: 270, positive: true }] },
    pointCount: 3,
  });
  const b = await client.segment({
    ...call,
    prompt: { clicks: [{ x: 200, y: 100, positive: true }] },
  });
  assert.equal(a.cached, false);
  assert.equal(b.cached, true);
  assert.equal(asked, 1);
  assert.equal(a.points?.length, 3);
  const mask = decodeRle(a.mask);
  for (const [x, y] of a.points ?? [])
    assert.equal(mask.data[Math.floor(y) * 960 + Math.floor(x)], 1);
  assert.ok(a.box && Math.abs(a.box[0] - 420) <= 4);
});

test('a new click cancels the running one', async () => {
  const call = {
    modelId: 'tiny-sam2',
    frameSize: frame,
    image,
    prompt: { clicks: [{ x: 10, y: 10, positive: true }] },
  };
  const first = client.segment({ ...call, frameKey: 'f1' });
  const second = client.segment({ ...call, frameKey: 'f2' });
  await assert.rejects(first, (e: RequestError) => e.code === 'cancelled');
  assert.equal((await second).cached, false);
});

test('errors come back as error replies with a code and a clear message', async () => {
  await assert.rejects(
    client.detect('nope', image),
    (e: RequestError) => e.code === 'failed' && /unknown model "nope"/.test(e.message),
  );
  await assert.rejects(client.detect('tiny-sam', image), /tiny-sam is a sam model, not a detector/);
});

test('a crashed worker rejects what was in flight, says so, and restarts on the next request', async () => {
  const pid = client.pid;
  assert.ok(pid);
  const inflight = client.detect('tiny-yolox', image);
  process.kill(pid, 'SIGKILL');
  await assert.rejects(
    inflight,
    (e: RequestError) =>
      e.code === 'crashed' &&
      /stopped unexpectedly \(signal SIGKILL\); it restarts on the next request/.test(e.message),
  );
  assert.match(notices[notices.length - 1] ?? '', /stopped unexpectedly/);
  const r = await client.detect('tiny-yolox', image);
  assert.equal(r.detections.length, 1);
  assert.notEqual(client.pid, pid);
  assert.equal(client.crashes, 1);
});

test('a request the worker never answers times out', async () => {
  const silent = new InferenceClient({
    ...tiny,
    workerPath: join(__dirname, 'fixtures', 'silentWorker.ts'),
    timeoutMs: 300,
  });
  await assert.rejects(
    silent.detect('tiny-yolox', image),
    (e: RequestError) => e.code === 'timeout' && /timed out after 300 ms/.test(e.message),
  );
  await silent.dispose();
});

test("the caller's cancel rejects a segment call and reaches the worker", async () => {
  const source = new CancelSource();
  const call = client.segment({
    modelId: 'tiny-sam',
    frameKey: 'cancelled-frame',
    frameSize: frame,
    image,
    prompt: { clicks: [{ x: 10, y: 10, positive: true }] },
    signal: source,
  });
  source.cancel();
  await assert.rejects(
    call,
    (e: RequestError) => e.code === 'cancelled' && /cancelled by the caller/.test(e.message),
  );
  // The worker still answers the next call: the cancel left nothing behind.
  const next = await client.detect('tiny-yolox', image);
  assert.equal(next.detections.length, 1);
});
