import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  countsToString,
  decodeRle,
  encodeRle,
  maskToCounts,
  rleArea,
  stringToCounts,
} from '../../../src/core/rle';
import type { Mask } from '../../../src/core/mask';

/** Builds a row-major mask from rows of '0'/'1'. */
function maskOf(rows: string[]): Mask {
  const height = rows.length;
  const width = (rows[0] ?? '').length;
  const data = new Uint8Array(width * height);
  rows.forEach((r, y) => {
    for (let x = 0; x < width; x++) data[y * width + x] = r[x] === '1' ? 1 : 0;
  });
  return { width, height, data };
}

// Expected strings derived by hand from pycocotools' maskApi.c (rleEncode + rleToString).
test('a 2x2 full mask is "04", like pycocotools', () => {
  assert.equal(encodeRle(maskOf(['11', '11'])).counts, '04');
});

test('the centre pixel of 3x3 is "414"', () => {
  assert.deepEqual(maskToCounts(maskOf(['000', '010', '000'])), [4, 1, 4]);
  assert.equal(encodeRle(maskOf(['000', '010', '000'])).counts, '414');
});

test('counts are read column-major', () => {
  // Column-major 2x3 [[1,1,0],[0,0,0]] reads 1,0,1,0,0,0 -> counts [0,1,1,1,3].
  assert.deepEqual(maskToCounts(maskOf(['110', '000'])), [0, 1, 1, 1, 3]);
});

test('counts from the fourth on are deltas against two back, negatives sign-extended', () => {
  assert.equal(countsToString([1, 1, 1, 1, 1, 1]), '111000');
  assert.equal(countsToString([0, 3, 1, 1]), '031N');
  assert.deepEqual(stringToCounts('031N'), [0, 3, 1, 1]);
  assert.equal(countsToString([0, 100]), '0T3');
  assert.deepEqual(stringToCounts('0T3'), [0, 100]);
});

test('size is [height, width] and area is readable without decoding', () => {
  const rle = encodeRle(maskOf(['0110', '0110', '0000']));
  assert.deepEqual(rle.size, [3, 4]);
  assert.equal(rleArea(rle), 4);
});

test('malformed strings give a clear message', () => {
  assert.throws(() => decodeRle({ size: [2, 2], counts: '05' }), /cover 5 pixels|exceed/);
  assert.throws(() => stringToCounts('0 '), /invalid RLE character/);
});

test('round trip for random masks, including big counts', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 12 }),
      fc.uint8Array({ minLength: 144, maxLength: 144 }),
      (w, h, bytes) => {
        const data = new Uint8Array(w * h);
        for (let i = 0; i < w * h; i++) data[i] = (bytes[i] as number) > 128 ? 1 : 0;
        const back = decodeRle(encodeRle({ width: w, height: h, data }));
        assert.deepEqual(Array.from(back.data), Array.from(data));
      },
    ),
  );
  const big = [0, 3_000_000_000, 5, 2_999_999_000];
  assert.deepEqual(stringToCounts(countsToString(big)), big);
});
