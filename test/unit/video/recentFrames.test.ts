/**
 * The recent-frame memory that serve answers the frame on screen from: what was kept is
 * returned byte for byte, keeping a path again makes it the newest, and past the capacity
 * the oldest goes (so memory stays bounded whatever the walk).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepRecentFrame, recentFrame } from '../../../src/video/recentFrames';

test('recent frames: kept bytes come back; the oldest goes past the capacity', () => {
  const path = (n: number): string => `/cache/v/jpeg/${String(n).padStart(6, '0')}.jpg`;
  for (let n = 0; n < 6; n++) keepRecentFrame(path(n), Buffer.from([n, 0xff, 0xd8]));
  assert.deepEqual([...(recentFrame(path(3)) ?? [])], [3, 0xff, 0xd8]);
  keepRecentFrame(path(0), Buffer.from([9])); // again: now the newest
  keepRecentFrame(path(6), Buffer.from([6]));
  assert.equal(recentFrame(path(1)), undefined, 'the oldest was dropped');
  assert.deepEqual([...(recentFrame(path(0)) ?? [])], [9]);
  assert.deepEqual([...(recentFrame(path(6)) ?? [])], [6]);
  assert.equal(recentFrame('/cache/v/jpeg/other.jpg'), undefined);
});
