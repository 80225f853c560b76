/**
 * Issue 13 item 5: detector findings are shared per video frame. Two samples cut from the same
 * video wait for the detector once; a sample sampling the same video more densely runs it
 * only on the frames not seen yet; another decode size is another entry. On the shared
 * bedroom video with the real frame decoder, and a counting stand-in for the detector.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SampleFields } from '../../../src/core/model';
import type { FrameFindings } from '../../../src/core/suggest/frameFindings';
import type { DecodedFrame } from '../../../src/inference/frameSource';
import {
  FindingsCache,
  frameFindingsKey,
  mediaFrameKey,
  sampleFindings,
} from '../../../src/session/findingsCache';
import { createVideoFrames } from '../../../src/session/videoFramesAdapter';

const VIDEO = resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'assets',
  'videos',
  'bedroom.mp4',
);
const skip = existsSync(VIDEO) ? undefined : `the shared bedroom video is absent (${VIDEO})`;

test('the cache keeps the most recently used frames within its bound', () => {
  const cache = new FindingsCache(2);
  const found = (sharpness: number): FrameFindings => ({ size: [4, 4], detections: [], sharpness });
  cache.set('a', found(1));
  cache.set('b', found(2));
  assert.equal(cache.get('a')?.sharpness, 1);
  cache.set('c', found(3));
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  assert.equal(cache.get('a')?.sharpness, 1);
  assert.notEqual(frameFindingsKey('/f.jpg', 416), frameFindingsKey('/f.jpg', 640));
});

test('two samples on one video run the detector once per frame', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-findings-'));
  try {
    mkdirSync(join(dir, 'datasets'));
    mkdirSync(join(dir, 'videos'));
    cpSync(VIDEO, join(dir, 'videos', 'bedroom.mp4'));
    const { provider, problem } = createVideoFrames({
      mediaRoots: [dir],
      cacheDir: join(dir, '.cache'),
    });
    assert.ok(provider, problem);
    const cache = new FindingsCache();
    const detected: number[] = [];
    const detect = (frame: DecodedFrame): Promise<FrameFindings> => {
      detected.push(frame.index);
      return Promise.resolve({
        size: [frame.sourceWidth, frame.sourceHeight],
        detections: [],
        sharpness: frame.image.data[0] ?? 0,
      });
    };
    const run = (fields: SampleFields, decodeSize = 416): Promise<FrameFindings[]> =>
      sampleFindings({
        cache,
        provider,
        fields,
        datasetPath: join(dir, 'datasets', 'd.cop.jsonl'),
        decodeSize,
        detect,
      });
    const sample = (id: string, fps: number): SampleFields => ({
      id,
      video: '../videos/bedroom.mp4',
      fps,
      reasoning: '',
    });

    const first = await run(sample('kids-a', 2));
    const frames = first.length;
    assert.ok(frames >= 10, `the 6.7 s video sampled at 2 fps gives ${frames} frames`);
    assert.equal(detected.length, frames, 'the first sample runs the detector on every frame');

    const second = await run(sample('kids-b', 2));
    assert.equal(detected.length, frames, 'the second sample on the same video waits for nothing');
    assert.deepEqual(second, first);

    // Twice as dense: every other frame is already known.
    detected.length = 0;
    const dense = await run(sample('kids-c', 4));
    assert.ok(dense.length >= 2 * frames - 1, `${dense.length} frames at 4 fps`);
    assert.ok(
      detected.length > 0 && detected.length <= dense.length - frames + 1,
      `${detected.length} new`,
    );
    assert.deepEqual(dense[0], first[0], 'frame 0 is the same source frame at both rates');

    detected.length = 0;
    await run(sample('kids-a', 2), 640);
    assert.equal(detected.length, frames, 'another decode size is measured again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('embedding keys: one per video frame and rate, shared by samples; images by file', () => {
  const a = { id: 'a', video: '../videos/v.mp4', fps: 2, reasoning: '' };
  const b = { id: 'b', video: '../videos/v.mp4', fps: 2, reasoning: 'other' };
  assert.equal(mediaFrameKey(a, 3), mediaFrameKey(b, 3));
  assert.notEqual(mediaFrameKey(a, 3), mediaFrameKey(a, 4));
  assert.notEqual(mediaFrameKey(a, 3), mediaFrameKey({ ...a, fps: 4 }, 3));
  assert.equal(mediaFrameKey({ ...a, fps: undefined }, 1), mediaFrameKey(a, 1), 'default rate 2');
  assert.notEqual(mediaFrameKey(a, 0), mediaFrameKey({ ...a, video: '../videos/w.mp4' }, 0));
  const frames = { id: 'c', frames: ['../f/0.jpg', '../f/1.jpg'], reasoning: '' };
  assert.equal(
    mediaFrameKey(frames, 1),
    mediaFrameKey({ ...frames, id: 'd', frames: ['../f/9.jpg', '../f/1.jpg'] }, 1),
  );
  assert.notEqual(mediaFrameKey(frames, 0), mediaFrameKey(frames, 1));
});
