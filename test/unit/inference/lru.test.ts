import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LruCache } from '../../../src/inference/lru';

const bytes = { maxBytes: 100, sizeOf: (v: Uint8Array) => v.byteLength };

test('the byte bound evicts the least recently used first, the count bound still holds', () => {
  const cache = new LruCache<string, Uint8Array>(10, bytes);
  cache.set('a', new Uint8Array(40));
  cache.set('b', new Uint8Array(40));
  assert.ok(cache.get('a'), 'a is now the youngest');
  cache.set('c', new Uint8Array(40));
  assert.deepEqual(cache.keys(), ['a', 'c']);
  assert.equal(cache.byteSize, 80);
  cache.set('a', new Uint8Array(10));
  assert.equal(cache.byteSize, 50, 'replacing an entry counts its new size only');
  cache.clear();
  assert.equal(cache.byteSize, 0);
});

test('an entry over the bound alone stays (the frame being clicked keeps its embedding)', () => {
  const cache = new LruCache<string, Uint8Array>(10, bytes);
  cache.set('small', new Uint8Array(10));
  cache.set('huge', new Uint8Array(500));
  assert.deepEqual(cache.keys(), ['huge']);
  assert.throws(() => new LruCache(2, { ...bytes, maxBytes: 0 }), /byte bound must be positive/);
});

test('property: bytes never exceed the bound except for a lone entry, and match the sum', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 80 })), {
        maxLength: 40,
      }),
      (ops) => {
        const cache = new LruCache<number, Uint8Array>(4, bytes);
        for (const [key, size] of ops) {
          cache.set(key, new Uint8Array(size));
          const sum = cache.keys().reduce((s, k) => s + (cache.get(k)?.byteLength ?? 0), 0);
          assert.equal(cache.byteSize, sum);
          assert.ok(cache.size <= 4);
          assert.ok(cache.byteSize <= 100 || cache.size === 1);
          assert.ok(cache.has(key), 'the newest entry is always kept');
        }
      },
    ),
  );
});
