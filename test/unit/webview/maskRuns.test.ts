/**
 * The mask layer's run reader (webview/stage/maskRuns.ts) against core's own decoder: the
 * tight box and the box's pixels read from COCO runs are exactly those of the decoded mask,
 * for random masks and for runs that wrap from one column into the next.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeRle, encodeRle, stringToCounts } from '../../../src/core/rle';
import { boxPixels, runsBox } from '../../../webview/stage/maskRuns';

/** The tight box by scanning every pixel of a decoded mask (the definition). */
function scannedBox(
  data: Uint8Array,
  width: number,
  height: number,
): [number, number, number, number] | undefined {
  let [x1, y1, x2, y2] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (data[y * width + x]) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x);
        y2 = Math.max(y2, y);
      }
  return x2 >= 0 ? [x1, y1, x2 + 1, y2 + 1] : undefined;
}

/** Random masks: blobs of set pixels, sometimes none, sometimes touching the frame's edges. */
const masks = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }) })
  .chain(({ width, height }) =>
    fc
      .array(fc.boolean(), { minLength: width * height, maxLength: width * height })
      .map((bits) => ({ width, height, data: Uint8Array.from(bits, (b) => (b ? 1 : 0)) })),
  );

test('runsBox and boxPixels give the decoded mask’s box and pixels', () => {
  fc.assert(
    fc.property(masks, (mask) => {
      const rle = encodeRle(mask);
      const decoded = decodeRle(rle);
      const counts = stringToCounts(rle.counts);
      const box = runsBox(counts, mask.height);
      assert.deepEqual(box, scannedBox(decoded.data, mask.width, mask.height));
      if (!box) return;
      const [left, top, right, bottom] = box;
      const stride = right - left + 2;
      const pixels = boxPixels(counts, mask.height, box);
      assert.equal(pixels.length, stride * (bottom - top + 2));
      let inside = 0;
      for (let y = 0; y < bottom - top + 2; y++)
        for (let x = 0; x < stride; x++) {
          const value = pixels[y * stride + x] as number;
          const [sx, sy] = [left + x - 1, top + y - 1];
          const border = x === 0 || y === 0 || x === stride - 1 || y === bottom - top + 1;
          // The one-pixel border around the box is always unset (the outline test reads it).
          const want = border ? 0 : (decoded.data[sy * mask.width + sx] as number);
          assert.equal(value, want, `pixel ${sx},${sy}`);
          inside += value;
        }
      assert.equal(
        inside,
        decoded.data.reduce((sum, v) => sum + v, 0),
      );
    }),
    { numRuns: 300 },
  );
});

test('a run that wraps from one column into the next spans every row of the box', () => {
  // 4 rows: unset 3, set 2 (column 0 row 3, column 1 row 0), unset to the end.
  const counts = [3, 2, 7];
  assert.deepEqual(runsBox(counts, 4), [0, 0, 2, 4]);
  assert.equal(runsBox([12], 4), undefined, 'no set run: no box');
});
