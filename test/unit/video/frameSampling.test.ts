/** The frame index rule in exact arithmetic, and the pure pieces around it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  frameAtTime,
  fpsFraction,
  frameTime,
  keyFrameAtOrBefore,
  sampledSourceFrames,
} from '../../../src/video/frameSampling';
import { isVariableRate } from '../../../src/video/probeParse';
import { laplacianVariance, sharpnessSize } from '../../../src/video/sharpness';
import { selectExpression } from '../../../src/video/framePass';

test('fps as an exact fraction', () => {
  assert.deepEqual(fpsFraction(2), [2n, 1n]);
  assert.deepEqual(fpsFraction(0.5), [1n, 2n]);
  assert.deepEqual(fpsFraction(29.97), [2997n, 100n]);
  assert.deepEqual(fpsFraction(30000 / 1001), [30000n, 1001n]);
  assert.throws(() => fpsFraction(0), /fps must be a positive number/);
  assert.throws(() => fpsFraction(Number.NaN), /fps must be a positive number/);
});

test('a frame exactly on a sampling instant is taken; one tick early is not', () => {
  // 1/1000 time base: frames at 0, 0.499, 0.5, 0.999, 1.001 s
  const times = { timeBase: [1, 1000] as const, pts: [0, 499, 500, 999, 1001] };
  assert.deepEqual(sampledSourceFrames(times, 2), [0, 2, 4]);
});

test('non-zero start: times count from the first frame', () => {
  const times = {
    timeBase: [1, 90000] as const,
    pts: [126000, 129000, 132000, 135000, 138000, 171000],
  }; // 1.4 s start
  assert.deepEqual(sampledSourceFrames(times, 2), [0, 5]); // frame 5 is exactly 0.5 s after the first
  assert.equal(frameTime(times, 5), 0.5);
});

test('matches an independent integer reference on random VFR timestamps', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.constantFrom(1, 2, 3, 0.5, 7.5),
      (deltas, start, fps) => {
        const pts = [start];
        for (const d of deltas) pts.push((pts[pts.length - 1] as number) + d);
        const times = { timeBase: [1, 1000] as const, pts };
        const got = sampledSourceFrames(times, fps);
        // Reference: milliseconds are exact integers here, so compare n*1000/fps in rationals.
        const want: number[] = [];
        for (let n = 0; ; n++) {
          const i = pts.findIndex((p) => (p - start) * fps >= n * 1000);
          if (i < 0) break;
          want.push(i);
        }
        assert.deepEqual(got, want);
      },
    ),
    { numRuns: 300 },
  );
});

test('frameAtTime follows the same rule, so {time: n/fps} is sampled frame n', () => {
  const times = { timeBase: [1, 10240] as const, pts: [15360, 16384, 17408, 18432, 19456, 20480] };
  const sampled = sampledSourceFrames(times, 2);
  sampled.forEach((src, n) => assert.equal(frameAtTime(times, n / 2), src));
  assert.equal(frameAtTime(times, 0.05), 1);
  assert.equal(frameAtTime(times, 99), 5, 'past the end: the last frame');
});

test('key frame lookup', () => {
  assert.equal(keyFrameAtOrBefore([0, 10, 20], 15), 10);
  assert.equal(keyFrameAtOrBefore([0, 10, 20], 20), 20);
  assert.equal(keyFrameAtOrBefore([5], 2), 0);
});

test('VFR detection tolerates a tick of rounding', () => {
  assert.equal(isVariableRate([0, 1001, 2002, 3003, 4004]), false);
  assert.equal(isVariableRate([0, 333, 667, 1000, 1333]), false);
  assert.equal(isVariableRate([0, 100, 200, 240, 280]), true);
});

test('select expression is a balanced tree that matches exactly the given pts', () => {
  const pts = [3, 8, 20, 21, 40];
  const expr = selectExpression(pts).replace(/\\,/g, ',');
  // Evaluate the ffmpeg expression with a tiny interpreter: if/lt/eq only.
  const evalAt = (p: number): number =>
    Function(
      'pts',
      'if_',
      'lt',
      'eq',
      `return ${expr.replace(/\bif\(/g, 'if_(')}`,
    )(
      p,
      (c: number, a: number, b: number) => (c ? a : b),
      (a: number, b: number) => (a < b ? 1 : 0),
      (a: number, b: number) => (a === b ? 1 : 0),
    ) as number;
  for (let p = 0; p < 45; p++) assert.equal(evalAt(p), pts.includes(p) ? 1 : 0, `pts ${p}`);
  assert.ok((expr.match(/\(/g) ?? []).length < 30);
});

test('sharpness: edges score higher than flat or blurred images', () => {
  const w = 32;
  const h = 32;
  const flat = new Uint8Array(w * h).fill(128);
  const checker = new Uint8Array(w * h).map((_, i) =>
    (((i % w) >> 2) + ((i / w) >> 2)) % 2 ? 230 : 20,
  );
  const blurred = new Uint8Array(w * h).map((_, i) => 20 + Math.round((210 * (i % w)) / w));
  assert.equal(laplacianVariance(flat, w, h), 0);
  assert.ok(laplacianVariance(checker, w, h) > 100 * Math.max(1, laplacianVariance(blurred, w, h)));
  assert.deepEqual(sharpnessSize(1920, 1080), { width: 256, height: 144 });
  assert.deepEqual(sharpnessSize(64, 48), { width: 64, height: 48 });
});
