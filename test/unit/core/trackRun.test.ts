import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyMask, fillPolygon } from '../../../src/core/raster/brush';
import {
  MIN_OVERLAP,
  MIN_PREDICTED_IOU,
  maskIou,
  runTrack,
  stopReason,
} from '../../../src/core/raster/trackRun';
import type { TrackPrompt } from '../../../src/core/raster/trackRun';
import { encodeRle } from '../../../src/core/rle';

const W = 100,
  H = 60;
const square = (x: number) =>
  fillPolygon(
    emptyMask(W, H),
    [
      [x, 20],
      [x + 20, 20],
      [x + 20, 40],
      [x, 40],
    ],
    1,
  );

test('maskIou and the stop rule, with the documented thresholds', () => {
  assert.equal(maskIou(square(10), square(10)), 1);
  assert.equal(maskIou(square(10), square(20)), 200 / 600);
  assert.equal(stopReason(square(10), square(12), 0.9), undefined);
  assert.match(stopReason(square(10), square(12), MIN_PREDICTED_IOU - 0.01)!, /predicted IoU/);
  // Shifted by 15 of 20 pixels: IoU 100/700, below MIN_OVERLAP.
  assert.ok(100 / 700 < MIN_OVERLAP);
  assert.match(stopReason(square(10), square(25), 0.9)!, /overlap with the previous mask 0.14/);
  assert.match(stopReason(square(10), emptyMask(W, H), 0.99)!, /no mask/);
});

test('runTrack prompts each frame with the previous box, an inside point and its low-res mask', async () => {
  const prompts: [number, TrackPrompt][] = [];
  const lowRes = (f: number) => new Float32Array([f]);
  const run = await runTrack(
    encodeRle(square(10)),
    [3, 4, 5, 6],
    async (frame, prompt) => {
      prompts.push([frame, prompt]);
      // The object moves 4 px a frame; on frame 6 it jumps away.
      const x = frame === 6 ? 70 : 10 + 4 * (frame - 2);
      return { mask: encodeRle(square(x)), score: 0.9, lowResMask: lowRes(frame) };
    },
    { seedLowRes: lowRes(2), stopAt: (f) => (f === 99 ? 'never' : undefined) },
  );
  assert.deepEqual(
    run.steps.map((s) => s.frame),
    [3, 4, 5],
  );
  assert.equal(run.stop.frame, 6);
  assert.match(run.stop.reason, /overlap/);
  assert.deepEqual(prompts[0]![1].box, [10, 20, 30, 40]);
  assert.deepEqual(prompts[1]![1].box, [14, 20, 34, 40]);
  assert.deepEqual(Array.from(prompts[0]![1].maskInput!), [2]);
  assert.deepEqual(Array.from(prompts[2]![1].maskInput!), [4]);
  for (const [, p] of prompts) {
    const [x, y] = p.point;
    assert.ok(x > p.box[0] && x < p.box[2] && y > p.box[1] && y < p.box[3], 'the point is inside');
  }
});

test('runTrack stops before a frame a person corrected, and when cancelled', async () => {
  const seg = async () => ({ mask: encodeRle(square(10)), score: 0.95 });
  const blocked = await runTrack(encodeRle(square(10)), [1, 2, 3], seg, {
    stopAt: (f) => (f === 2 ? "a person's mask" : undefined),
  });
  assert.deepEqual(
    blocked.steps.map((s) => s.frame),
    [1],
  );
  assert.deepEqual(blocked.stop, { frame: 2, reason: "a person's mask" });
  let calls = 0;
  const cancelled = await runTrack(
    encodeRle(square(10)),
    [1, 2, 3],
    async () => {
      calls++;
      return seg();
    },
    { aborted: () => calls >= 1 },
  );
  assert.equal(cancelled.stop.reason, 'cancelled');
  assert.equal(calls, 1);
  const end = await runTrack(encodeRle(square(10)), [1], seg);
  assert.deepEqual(end.stop, { frame: -1, reason: 'end of the frame list' });
});
