import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { denormalize, normalize, roundHalfAwayFromZero } from '../../../src/core/coordinates';

test('normalise: round half away from zero, clamp to [0, 1000]', () => {
  assert.equal(normalize(960, 1920), 500);
  assert.equal(normalize(0.5, 1000), 1); // 0.5 -> 1, not banker's rounding
  assert.equal(normalize(1.5, 1000), 2);
  assert.equal(normalize(-3, 100), 0);
  assert.equal(normalize(2000, 1920), 1000);
  assert.equal(roundHalfAwayFromZero(-2.5), -3);
  assert.equal(normalize(10, 0), 0);
});

test('property: denormalise then normalise returns the grid value', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 8000 }), (n, size) => {
      assert.equal(normalize(denormalize(n, size), size), n);
    }),
  );
});
