import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { maskArea, maskToBox } from '../../../src/core/mask';
import { emptyMask, fillPolygon, paintStroke } from '../../../src/core/raster/brush';
import { fillHoles, keepLargestComponent } from '../../../src/core/raster/components';
import { pointsFromMask } from '../../../src/core/raster/maskGrounding';

/** Pixels of a w x h grid whose centre is within r of (cx, cy), counted independently. */
function discCount(w: number, h: number, cx: number, cy: number, r: number): number {
  let n = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) n++;
  return n;
}

test('a brush dab of radius 3 at a pixel corner sets the 32 pixels whose centres are inside', () => {
  // By hand: centres at offsets +-0.5, +-1.5, +-2.5 per axis; d^2 <= 9 leaves 36 - 4 corners = 32.
  const m = paintStroke(emptyMask(20, 20), [[10, 10]], 3, 1);
  assert.equal(maskArea(m), 32);
  assert.deepEqual(maskToBox(m), [7, 7, 13, 13]);
});

test('a horizontal stroke is a capsule: two half-discs plus a band', () => {
  // Radius 2 from (5,10) to (15,10): band rows 8..11 (centres 8.5..11.5 within 2) x columns
  // with centres 5.5..14.5 (10 each) = 40, plus two half-discs of radius 2 (6 pixels each).
  const m = paintStroke(
    emptyMask(30, 20),
    [
      [5, 10],
      [15, 10],
    ],
    2,
    1,
  );
  assert.equal(maskArea(m), 40 + 6 + 6);
});

test('property: a dab sets exactly the pixels a direct count finds, and the eraser removes them', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 40, noNaN: true }),
      fc.double({ min: 0, max: 30, noNaN: true }),
      fc.double({ min: 0.3, max: 12, noNaN: true }),
      (cx, cy, r) => {
        const m = paintStroke(emptyMask(40, 30), [[cx, cy]], r, 1);
        assert.equal(maskArea(m), discCount(40, 30, cx, cy, r));
        assert.equal(maskArea(paintStroke(m, [[cx, cy]], r, 0)), 0);
      },
    ),
  );
});

test('the eraser takes off only its own disc and the input is never changed', () => {
  const full = paintStroke(emptyMask(30, 30), [[15, 15]], 10, 1);
  const before = maskArea(full);
  const erased = paintStroke(full, [[15, 15]], 3, 0);
  assert.equal(maskArea(full), before);
  assert.equal(maskArea(erased), before - 32);
});

test('polygon fill: an axis-aligned rectangle with integer corners adds exactly its area', () => {
  const m = fillPolygon(
    emptyMask(50, 50),
    [
      [10, 5],
      [30, 5],
      [30, 17],
      [10, 17],
    ],
    1,
  );
  assert.equal(maskArea(m), 20 * 12);
  assert.deepEqual(maskToBox(m), [10, 5, 30, 17]);
});

test('polygon fill: a right triangle with legs 10 covers the 45 centres below its diagonal', () => {
  // Centres (x+.5, y+.5) strictly below x + y = 10: rows 0..9 hold 9, 8, ..., 0 = 45 pixels.
  const m = fillPolygon(
    emptyMask(20, 20),
    [
      [0, 0],
      [10, 0],
      [0, 10],
    ],
    1,
  );
  let expected = 0;
  for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) if (x + 0.5 + y + 0.5 < 10) expected++;
  assert.equal(maskArea(m), expected);
  assert.equal(expected, 45);
});

test('polygon subtract removes its area from a full mask', () => {
  const full = fillPolygon(
    emptyMask(40, 40),
    [
      [0, 0],
      [40, 0],
      [40, 40],
      [0, 40],
    ],
    1,
  );
  assert.equal(maskArea(full), 1600);
  const cut = fillPolygon(
    full,
    [
      [5, 5],
      [15, 5],
      [15, 15],
      [5, 15],
    ],
    0,
  );
  assert.equal(maskArea(cut), 1600 - 100);
});

test('fill holes fills an enclosed hole and leaves a notch open to the outside', () => {
  let m = fillPolygon(
    emptyMask(30, 30),
    [
      [5, 5],
      [25, 5],
      [25, 25],
      [5, 25],
    ],
    1,
  );
  m = fillPolygon(
    m,
    [
      [10, 10],
      [14, 10],
      [14, 14],
      [10, 14],
    ],
    0,
  ); // enclosed: 16 pixels
  m = fillPolygon(
    m,
    [
      [5, 18],
      [8, 18],
      [8, 20],
      [5, 20],
    ],
    0,
  ); // on the left rim: 6 pixels
  assert.equal(maskArea(m), 400 - 16 - 6);
  assert.equal(maskArea(fillHoles(m)), 400 - 6);
  // A bite that reaches the frame edge is outside, not a hole.
  const full = fillPolygon(
    emptyMask(20, 20),
    [
      [0, 0],
      [20, 0],
      [20, 20],
      [0, 20],
    ],
    1,
  );
  const bite = fillPolygon(
    full,
    [
      [0, 5],
      [4, 5],
      [4, 9],
      [0, 9],
    ],
    0,
  );
  assert.equal(maskArea(fillHoles(bite)), 400 - 16);
});

test('keep the largest component drops the smaller blobs (4-connectivity)', () => {
  let m = fillPolygon(
    emptyMask(40, 40),
    [
      [2, 2],
      [12, 2],
      [12, 12],
      [2, 12],
    ],
    1,
  ); // 100
  m = fillPolygon(
    m,
    [
      [20, 20],
      [26, 20],
      [26, 26],
      [20, 26],
    ],
    1,
  ); // 36
  m = fillPolygon(
    m,
    [
      [30, 2],
      [31, 2],
      [31, 3],
      [30, 3],
    ],
    1,
  ); // 1
  assert.equal(maskArea(m), 137);
  const kept = keepLargestComponent(m);
  assert.equal(maskArea(kept), 100);
  assert.deepEqual(maskToBox(kept), [2, 2, 12, 12]);
  assert.equal(maskArea(keepLargestComponent(emptyMask(5, 5))), 0);
});

test('pointsFromMask: an object gets its tight box, an area 5 points on set pixels', () => {
  const m = fillPolygon(
    emptyMask(60, 40),
    [
      [10, 10],
      [50, 10],
      [50, 30],
      [10, 30],
    ],
    1,
  );
  assert.deepEqual(pointsFromMask(m, 'object'), [
    [10, 10],
    [50, 30],
  ]);
  const pts = pointsFromMask(m, 'area');
  assert.equal(pts.length, 5);
  for (const [x, y] of pts) assert.equal(m.data[Math.floor(y) * 60 + Math.floor(x)], 1);
  assert.deepEqual(pointsFromMask(emptyMask(4, 4), 'object'), []);
});
