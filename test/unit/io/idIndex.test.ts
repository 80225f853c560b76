import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { IdIndex, packPlace, unpackPlace } from '../../../src/io/idIndex';

test('property: the id index answers like a Map of first places, across growth', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 400 }), (ids) => {
      const index = new IdIndex();
      const map = new Map<string, number>();
      ids.forEach((id, place) => {
        const want = map.get(id);
        if (want === undefined) map.set(id, place);
        assert.equal(index.firstOrAdd(id, place), want);
      });
      assert.equal(index.size, map.size);
    }),
  );
});

test('200k distinct ids: no false repeat, and every one is found again with its place', () => {
  const index = new IdIndex();
  for (let i = 0; i < 200_000; i++) assert.equal(index.firstOrAdd(`gen-${i}`, i), undefined);
  for (let i = 0; i < 200_000; i += 997) assert.equal(index.firstOrAdd(`gen-${i}`, -1), i);
  assert.deepEqual(unpackPlace(packPlace(3, 123_456_789)), { file: 3, line: 123_456_789 });
});
