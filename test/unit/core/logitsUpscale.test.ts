/**
 * The fused SAM post-processing (low-res logits -> frame mask, run lengths, box) gives the
 * same bits as the pixel-by-pixel reference (logitsToMask) and the same RLE and box as
 * encoding that mask afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { upscaleLogits } from '../../../src/core/raster/logitsUpscale';
import { logitsToMask } from '../../../src/inference/families/samPrompt';
import { maskArea, maskToBox } from '../../../src/core/mask';
import { maskToCounts } from '../../../src/core/rle';

/** Smooth logits with a few blobs, like a decoder's (noise alone would be all edges). */
function blobs(side: number, centres: readonly [number, number, number][]): Float32Array {
  const out = new Float32Array(side * side).fill(-4);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (const [cx, cy, r] of centres) {
        const d = Math.hypot(x - cx, y - cy);
        out[y * side + x] = Math.max(out[y * side + x] as number, (r - d) / 2);
      }
  return out;
}

test('same mask, counts, box and area as the reference on random blobs and frame sizes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 8, max: 400 }),
      fc.integer({ min: 8, max: 400 }),
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 63 }),
          fc.integer({ min: 0, max: 63 }),
          fc.integer({ min: 1, max: 20 }),
        ),
        { maxLength: 3 },
      ),
      (width, height, centres) => {
        const side = 64;
        const logits = blobs(side, centres);
        const scale = 256 / Math.max(width, height);
        const got = upscaleLogits(logits, side, { width, height }, scale, 256);
        const want = logitsToMask(
          logits,
          [1, 1, side, side],
          0,
          { width, height },
          { sx: scale, sy: scale },
          256,
        );
        assert.deepEqual(got.mask.data, want.data);
        assert.deepEqual(got.counts, maskToCounts(want));
        assert.deepEqual(got.box, maskToBox(want));
        assert.equal(got.area, maskArea(want));
      },
    ),
    { numRuns: 60 },
  );
});

test('a 1920x1080 frame from 256x256 logits: the mask sits where the logits say, scaled', () => {
  // A positive square over low-res cells 64..127 x 32..63: in the 1024 input space 256..512 x
  // 128..256, in a 1920x1080 frame (scale 1024/1920) x 480..960, y 240..480.
  const logits = new Float32Array(256 * 256).fill(-10);
  for (let y = 32; y < 64; y++) for (let x = 64; x < 128; x++) logits[y * 256 + x] = 10;
  const got = upscaleLogits(logits, 256, { width: 1920, height: 1080 }, 1024 / 1920);
  const box = got.box;
  assert.ok(box, 'a mask');
  const want = [480, 240, 960, 480];
  box.forEach((v, i) => assert.ok(Math.abs(v - (want[i] as number)) <= 4, `box ${box} vs ${want}`));
  assert.equal(
    got.counts.reduce((a, b) => a + b, 0),
    1920 * 1080,
  );
});

test('all-negative logits: an empty mask, one 0-run, no box', () => {
  const got = upscaleLogits(
    new Float32Array(256 * 256).fill(-1),
    256,
    { width: 30, height: 20 },
    1024 / 30,
  );
  assert.equal(got.area, 0);
  assert.deepEqual(got.counts, [600]);
  assert.equal(got.box, undefined);
});
