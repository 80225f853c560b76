/**
 * The cold extraction pass (started before the probe, selecting by the sampling rule):
 * on its own it finds every sampled frame at several rates, on B-frames and on a variable
 * frame rate, with the bytes an ordinary (index-driven) pass writes; a frame the index
 * does not list as sampled is never written.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { cacheOutputs } from '../../../src/video/cachePass';
import type { FrameStore } from '../../../src/video/cachePass';
import { startColdPass } from '../../../src/video/coldPass';
import { resolveBinaries } from '../../../src/video/ffmpegBinaries';
import { runFramePass } from '../../../src/video/framePass';
import { sampledSourceFrames } from '../../../src/video/frameSampling';
import { probeVideo } from '../../../src/video/probeIndex';
import { ffmpeg, indexedSource, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const bins = resolveBinaries();
const bframes = ffmpeg(
  [
    ...indexedSource(160, 120, 30, 90, 2),
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', '12', '-bf', '2', '-pix_fmt', 'yuv420p'],
  ],
  join(tmp.dir, 'gop12.mp4'),
);
// Variable rate: frames 1/30 s apart, then 1/10 s apart (several instants between two frames).
const vfr = ffmpeg(
  [
    ...indexedSource(96, 64, 30, 60, 3),
    ...['-vf', "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", '-vsync', 'vfr'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
  ],
  join(tmp.dir, 'vfr.mp4'),
);

/** A store that keeps what it is given. */
function memoryStore(): FrameStore & { frames: Map<number, Buffer[]> } {
  const frames = new Map<number, Buffer[]>();
  return {
    frames,
    async put(f, parts) {
      frames.set(f, [...parts]);
    },
    async close() {},
  };
}

for (const [name, video] of [
  ['B-frames', bframes],
  ['variable rate', vfr],
] as const)
  for (const fps of [2, 7, 29.97])
    test(`cold pass, ${name}, ${fps} fps: every sampled frame, an ordinary pass's bytes`, async () => {
      const cold = startColdPass({
        ffmpegPath: bins.ffmpeg.path,
        input: video,
        fps,
        quality: 3,
        thumbWidth: 64,
      });
      const index = await probeVideo(video, {
        ffprobePath: bins.ffprobe.path,
        cacheDir: join(tmp.dir, 'probe'),
      });
      const store = memoryStore();
      const reported: number[] = [];
      const got = await cold.finish(index, store, (f) => reported.push(f));
      const wanted = [...new Set(sampledSourceFrames(index, fps))];
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        wanted,
        'exactly the sampled frames',
      );
      assert.deepEqual(
        reported.sort((a, b) => a - b),
        wanted,
      );
      const plain = new Map<number, Buffer[]>();
      await runFramePass({
        ffmpegPath: bins.ffmpeg.path,
        input: video,
        index,
        frames: wanted,
        outputs: cacheOutputs(index.width, index.height, 3, 64),
        onFrame: (f, parts) => void plain.set(f, [...parts]),
      });
      for (const f of wanted)
        [0, 1, 2].forEach((k) =>
          assert.ok(
            store.frames.get(f)?.[k]?.equals(plain.get(f)?.[k] as Buffer),
            `frame ${f} output ${k}`,
          ),
        );
    });

test('cold pass: frames the index does not list as sampled are dropped, not written', async () => {
  const cold = startColdPass({
    ffmpegPath: bins.ffmpeg.path,
    input: bframes,
    fps: 7,
    quality: 3,
    thumbWidth: 64,
  });
  const index = await probeVideo(bframes, {
    ffprobePath: bins.ffprobe.path,
    cacheDir: join(tmp.dir, 'probe'),
  });
  // An index that says every pts is one tick later: nothing the rule picked matches it.
  const shifted = { ...index, pts: index.pts.map((p) => p + 1) };
  const store = memoryStore();
  const got = await cold.finish(shifted, store, () => undefined);
  assert.equal(got.size, 0);
  assert.equal(store.frames.size, 0);
});
