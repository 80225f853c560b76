/**
 * Core's sharpness reads grey images straight off the bytes (the cache pass scores every
 * frame with it): the same double as the definition, pixel by pixel through its
 * coordinates, on any grey image and step, thin ones included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharpness } from '../../../src/core/suggest/frameScore';
import { laplacianVariance } from '../../../src/video/sharpness';

/** The definition: variance of the 4-neighbour Laplacian at every `step`-th interior pixel. */
function reference(data: Uint8Array, w: number, h: number, step: number): number {
  const at = (x: number, y: number): number => data[y * w + x] as number;
  let sum = 0,
    sum2 = 0,
    n = 0;
  for (let y = 1; y < h - 1; y += step)
    for (let x = 1; x < w - 1; x += step) {
      const l = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4 * at(x, y);
      sum += l;
      sum2 += l * l;
      n++;
    }
  if (n === 0) return 0;
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

test('core sharpness of a grey image equals the definition at any step', () => {
  const image = fc
    .record({
      width: fc.integer({ min: 1, max: 40 }),
      height: fc.integer({ min: 1, max: 40 }),
      step: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ width, height, step }) =>
      fc
        .uint8Array({ minLength: width * height, maxLength: width * height })
        .map((data) => ({ width, height, step, data })),
    );
  fc.assert(
    fc.property(image, ({ width, height, step, data }) => {
      const got = sharpness({ width, height, channels: 1, data }, step);
      assert.equal(got, reference(data, width, height, step));
      if (step === 1) assert.equal(laplacianVariance(data, width, height), got);
    }),
    { numRuns: 500 },
  );
});

test('laplacianVariance of a flat image is 0 and of a checkerboard is large', () => {
  const flat = new Uint8Array(64).fill(77);
  assert.equal(laplacianVariance(flat, 8, 8), 0);
  const board = Uint8Array.from({ length: 64 }, (_, i) => (((i >> 3) + i) % 2 ? 255 : 0));
  assert.ok(laplacianVariance(board, 8, 8) > 1e5);
});
