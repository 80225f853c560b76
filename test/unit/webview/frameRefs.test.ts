/**
 * The frame refs a sample keeps when it is shown again in a new state (webview/state/
 * frameRefs.ts, issue 14 item 5): an identical snapshot keeps the very array (so an edit
 * reloads no frame), a frame already extracted or measured on the page stays, and a ref that
 * really changed replaces the old one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FrameRef } from '../../../src/protocol/snapshot';
import { keptFrames } from '../../../webview/state/frameRefs';

const ref = (index: number): fc.Arbitrary<FrameRef> =>
  fc.record(
    {
      index: fc.constant(index),
      uri: fc.constantFrom(`/m/f${index}.jpg`, `/m/g${index}.jpg`),
      width: fc.constantFrom(0, 640, 1920),
      height: fc.constantFrom(0, 480, 1080),
      sharpness: fc.constantFrom(0.2, 0.9),
    },
    { requiredKeys: ['index', 'width', 'height'] },
  );
const list = fc
  .integer({ min: 0, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ref(i))));

test('an equal snapshot keeps the same array', () => {
  fc.assert(
    fc.property(list, (frames) => {
      const copy = frames.map((f) => ({ ...f }));
      assert.equal(keptFrames(frames, copy), frames);
    }),
  );
});

test('each result is the fresh ref, or the known one where the fresh adds nothing', () => {
  fc.assert(
    fc.property(list, list, (old, fresh) => {
      const out = keptFrames(old, fresh);
      assert.equal(out.length, fresh.length);
      out.forEach((got, i) => {
        const known = old[i];
        const now = fresh[i] as FrameRef;
        if (got === known) {
          // Kept only when the fresh ref has no image yet, no size for the same image, or equals it.
          const keep =
            (!now.uri && known.uri !== undefined) ||
            (now.uri === known.uri && !(now.width > 0) && known.width > 0) ||
            JSON.stringify(now) === JSON.stringify(known);
          assert.ok(keep, `frame ${i} kept without reason`);
        } else assert.equal(got, now);
      });
      const same = old.length === fresh.length && out.every((f, i) => f === old[i]);
      if (same) assert.equal(out, old, 'nothing changed: the same array');
      else assert.notEqual(out, old, 'something changed: a new array');
    }),
  );
});

test('a lazily extracted frame the new snapshot lacks keeps its image', () => {
  const old: FrameRef[] = [{ index: 0, uri: '/m/0.jpg', width: 1920, height: 1080 }];
  const out = keptFrames(old, [{ index: 0, width: 1920, height: 1080 }]);
  assert.equal(out, old);
  const moved = keptFrames(old, [{ index: 0, uri: '/m/other.jpg', width: 1920, height: 1080 }]);
  assert.equal(moved[0]?.uri, '/m/other.jpg');
  assert.notEqual(moved, old);
});
