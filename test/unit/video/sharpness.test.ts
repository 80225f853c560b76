/**
 * The cache pass's flat Laplacian loop gives exactly core's sharpness at step 1 (the
 * definition the frame suggestion uses), on any grey image, thin ones included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharpness } from '../../../src/core/suggest/frameScore';
import { laplacianVariance } from '../../../src/video/sharpness';

test('laplacianVariance equals core sharpness at step 1 on any grey image', () => {
  const image = fc
    .record({ width: fc.integer({ min: 1, max: 40 }), height: fc.integer({ min: 1, max: 40 }) })
    .chain(({ width, height }) =>
      fc
        .uint8Array({ minLength: width * height, maxLength: width * height })
        .map((data) => ({ width, height, data })),
    );
  fc.assert(
    fc.property(image, ({ width, height, data }) => {
      const core = sharpness({ width, height, channels: 1, data }, 1);
      assert.equal(laplacianVariance(data, width, height), core);
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
