import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelSource, MessageChannel } from '../../../src/protocol/channel';
import { RequestError } from '../../../src/protocol/envelope';
import type { FromWorker, ToWorker, WorkerRequestResults } from '../../../src/inference/messages';
import { WorkerHandler } from '../../../src/inference/workerHandler';
import { writeTinyModels } from './tinyModels';

/** A host-side channel wired to a WorkerHandler in this process (no fork). */
function wired() {
  const notes: FromWorker[] = [];
  let exited = 0;
  const ref: { handler?: WorkerHandler } = {};
  const host = new MessageChannel<ToWorker, FromWorker, WorkerRequestResults>((e) =>
    queueMicrotask(() => ref.handler?.receive(e)),
  );
  ref.handler = new WorkerHandler(
    (e) => queueMicrotask(() => host.receive(e, (n) => notes.push(n.body))),
    () => exited++,
  );
  return { host, handler: ref.handler, notes, exits: () => exited };
}

test('the worker announces itself and answers before init with a clear invalid reply', async () => {
  const { host, handler, notes } = wired();
  handler.announce(1234);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(notes, [{ type: 'worker/ready', pid: 1234 }]);
  await assert.rejects(
    host.call({ type: 'model/load', modelId: 'tiny-yolox' }),
    (e: unknown) =>
      e instanceof RequestError &&
      e.code === 'invalid' &&
      /send worker\/init first/.test(e.message),
  );
});

test('typed results through the shared channel; a request cancelled in the queue is skipped', async () => {
  const tiny = writeTinyModels();
  const { host, exits } = wired();
  const init = await host.call({
    type: 'worker/init',
    config: { ...tiny, device: 'cpu', embeddingCacheSize: 2, threads: 1 },
  });
  assert.equal(init.pid, process.pid);
  const image = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(90) };
  const slow = host.call({ type: 'frame/detect', modelId: 'tiny-yolox', image });
  const source = new CancelSource();
  const queued = host.call(
    { type: 'frame/detect', modelId: 'tiny-yolox', image },
    { signal: source },
  );
  source.cancel();
  await assert.rejects(queued, (e: unknown) => e instanceof RequestError && e.code === 'cancelled');
  const detections = (await slow).detections;
  assert.ok(Array.isArray(detections));
  const cleared = await host.call({ type: 'embeddings/clear' });
  assert.equal(cleared.dropped, 0);
  await assert.rejects(
    host.call({
      type: 'frame/segment',
      modelId: 'tiny-sam',
      frameKey: 'never-sent',
      frameSize: { width: 64, height: 48 },
      prompt: { clicks: [{ x: 3, y: 3, positive: true }] },
    }),
    (e: unknown) =>
      e instanceof RequestError && e.code === 'not-found' && /send the image/.test(e.message),
  );
  host.notify({ type: 'worker/shutdown' });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(exits(), 1);
});

test('a model click queued behind detector passes is answered before them', async () => {
  const tiny = writeTinyModels();
  const { host } = wired();
  await host.call({
    type: 'worker/init',
    config: { ...tiny, device: 'cpu', embeddingCacheSize: 2, threads: 1 },
  });
  const image = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(90) };
  await host.call({ type: 'model/load', modelId: 'tiny-sam' });
  const answered: string[] = [];
  const detects = [1, 2, 3, 4].map((n) =>
    host
      .call({ type: 'frame/detect', modelId: 'tiny-yolox', image })
      .then(() => answered.push(`detect-${n}`)),
  );
  const click = host
    .call({
      type: 'frame/segment',
      modelId: 'tiny-sam',
      frameKey: 'f0',
      image,
      frameSize: { width: 64, height: 48 },
      prompt: { clicks: [{ x: 3, y: 3, positive: true }] },
    })
    .then(() => answered.push('click'));
  await Promise.all([...detects, click]);
  // The click never waits for queued detector passes: at most the first one, which may
  // have been under way (the click then runs beside it, priorityLanes.ts), ends before it.
  assert.ok(answered.indexOf('click') <= 1, `answered ${answered}`);
  assert.deepEqual(
    answered.filter((name) => name !== 'click'),
    ['detect-1', 'detect-2', 'detect-3', 'detect-4'],
  );
});
