import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxIou, maskArea, maskDepth, maskToBox, maskToPoints } from '../../../src/core/mask';
import type { Mask } from '../../../src/core/mask';

/** A w x h mask with the pixels for which `inside` holds. */
function maskWhere(w: number, h: number, inside: (x: number, y: number) => boolean): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = inside(x, y) ? 1 : 0;
  return { width: w, height: h, data };
}

test('tight box uses pixel edges; empty mask has none', () => {
  const m = maskWhere(20, 10, (x, y) => x >= 3 && x <= 7 && y >= 2 && y <= 4);
  assert.deepEqual(maskToBox(m), [3, 2, 8, 5]);
  assert.equal(maskArea(m), 15);
  assert.equal(maskToBox(maskWhere(4, 4, () => false)), undefined);
  assert.equal(boxIou([0, 0, 10, 10], [5, 0, 15, 10]), 50 / 150);
});

test('depth is the city-block distance to the rim', () => {
  const d = maskDepth(maskWhere(5, 5, (x, y) => x > 0 && y > 0 && x < 4 && y < 4));
  assert.equal(d[12], 2);
  assert.equal(d[6], 1);
  assert.equal(d[0], 0);
});

test('points are spread, distinct and strictly inside a non-convex (U-shaped) mask', () => {
  // A U: the centroid of the whole shape lies in the empty notch.
  const u = maskWhere(
    60,
    60,
    (x, y) => x >= 5 && x < 55 && y >= 5 && y < 55 && !(x >= 20 && x < 40 && y < 40),
  );
  const pts = maskToPoints(u, 5);
  assert.equal(pts.length, 5);
  for (const [x, y] of pts) {
    assert.equal(u.data[Math.floor(y) * 60 + Math.floor(x)], 1, `(${x}, ${y}) inside`);
    assert.ok(x > 5 && x < 55 && y > 5 && y < 55, 'off the rim');
  }
  let minGap = Infinity;
  for (let i = 0; i < pts.length; i++)
    for (let j = i + 1; j < pts.length; j++) {
      const [ax, ay] = pts[i] as readonly [number, number];
      const [bx, by] = pts[j] as readonly [number, number];
      minGap = Math.min(minGap, Math.hypot(ax - bx, ay - by));
    }
  assert.ok(minGap > 8, `points spread out (min gap ${minGap})`);
});

test('tiny masks give as many points as they have, empty masks none', () => {
  assert.equal(
    maskToPoints(
      maskWhere(5, 5, (x, y) => x === 2 && y === 2),
      5,
    ).length,
    1,
  );
  assert.deepEqual(
    maskToPoints(
      maskWhere(5, 5, () => false),
      3,
    ),
    [],
  );
});
