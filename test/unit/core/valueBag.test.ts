import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { distribution } from '../../../src/core/stats/distribution';
import { ValueBag } from '../../../src/core/stats/valueBag';

/** The bag's figures next to the plain array's (distribution() and a reduce). */
function sameAsArray(values: readonly number[]): void {
  const bag = new ValueBag();
  for (const v of values) bag.add(v);
  assert.equal(bag.count, values.length);
  assert.ok(
    Object.is(
      bag.total(),
      values.reduce((a, b) => a + b, 0),
    ),
    `total of ${values}`,
  );
  assert.deepEqual(bag.distribution(), distribution(values));
}

test('property: whole-number timings give the array figures bit for bit', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }), sameAsArray),
  );
});

test('property: fractions, huge and negative values, in any mix and order, too', () => {
  const value = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
    fc.constantFrom(2 ** 53 - 1, 0.1, 0.2, 1e15, -0),
  );
  fc.assert(fc.property(fc.array(value, { maxLength: 200 }), sameAsArray));
});

test('past 65,536 distinct whole numbers the values are listed, figures unchanged', () => {
  const values = Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 100_003);
  sameAsArray(values);
  sameAsArray([]);
});
