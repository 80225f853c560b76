import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedQueue } from '../../../src/inference/boundedQueue';
import { LruCache } from '../../../src/inference/lru';

test('the producer waits while the queue is full; items come out in order', async () => {
  const q = new BoundedQueue<number>(2);
  const log: string[] = [];
  const producer = (async () => {
    for (let i = 0; i < 5; i++) {
      await q.push(i);
      log.push(`pushed ${i}`);
    }
    q.close();
  })();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(log, ['pushed 0', 'pushed 1'], 'blocked at capacity 2');
  const got: number[] = [];
  for await (const v of q) got.push(v);
  await producer;
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
});

test('closing wakes a blocked producer with an error', async () => {
  const q = new BoundedQueue<number>(1);
  await q.push(1);
  const blocked = q.push(2);
  q.close();
  await assert.rejects(blocked, /queue closed/);
});

test('the LRU evicts the least recently used', () => {
  const c = new LruCache<string, number>(2);
  c.set('a', 1);
  c.set('b', 2);
  c.get('a');
  c.set('c', 3);
  assert.deepEqual(c.keys(), ['a', 'c']);
  assert.throws(() => new LruCache(0), /at least 1/);
});
