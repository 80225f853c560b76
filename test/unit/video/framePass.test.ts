/** The decode pass on its own: thousands of frames (filtergraph in a script file), identity by pts. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { runFramePass } from '../../../src/video/framePass';
import { probeVideo } from '../../../src/video/probeIndex';
import { nodeSpawn } from '../../../src/video/processRunner';
import type { SpawnFn } from '../../../src/video/processRunner';
import { resolveBinaries } from '../../../src/video/ffmpegBinaries';
import { ffmpeg, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());

test('4000 selected frames: the filtergraph goes through a script file and every frame is the right one', async () => {
  // Uniform grey 20 + 6 * (N mod 33): a 1x1 grey output names the frame modulo 33.
  const path = ffmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      "color=c=black:s=32x24:r=100,format=yuv444p,geq=lum='20+6*mod(N,33)':cb=128:cr=128",
      '-frames:v',
      '4000',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '0',
      '-pix_fmt',
      'yuv444p',
    ],
    join(tmp.dir, 'many.mp4'),
  );
  const bins = resolveBinaries();
  const index = await probeVideo(path, {
    ffprobePath: bins.ffprobe.path,
    cacheDir: join(tmp.dir, 'cache'),
  });
  assert.equal(index.pts.length, 4000);
  const args: string[][] = [];
  const spawnFn: SpawnFn = (cmd, a, o) => {
    args.push([...a]);
    return nodeSpawn(cmd, a, o);
  };
  const wanted = Array.from({ length: 4000 }, (_, i) => i).filter((i) => i % 7 !== 3); // not a regular step
  const got = new Map<number, number>();
  const delivered = await runFramePass({
    ffmpegPath: bins.ffmpeg.path,
    input: path,
    index,
    frames: wanted,
    spawnFn,
    outputs: [
      {
        filter: 'scale=1:1:flags=area,format=gray',
        encode: ['-f', 'rawvideo', '-pix_fmt', 'gray'],
        framing: { kind: 'fixed', bytes: 1 },
      },
    ],
    onFrame: (f, [b]) => {
      got.set(f, b?.[0] as number);
    },
  });
  assert.equal(delivered.size, wanted.length);
  assert.ok(args[0]?.includes('-filter_complex_script'), 'long graphs are passed as a file');
  // format=gray is full range: limited-range luma y reads as (y - 16) * 255 / 219.
  const expect = (f: number): number => ((20 + 6 * (f % 33) - 16) * 255) / 219;
  for (const f of wanted) {
    const v = got.get(f) as number;
    assert.ok(
      Math.abs(v - expect(f)) <= 2,
      `frame ${f}: grey ${v}, expected ${expect(f).toFixed(1)}`,
    );
  }
});

test('a slow consumer pauses the pipes and still gets every frame, in order', async () => {
  const bins = resolveBinaries();
  const path = join(tmp.dir, 'many.mp4');
  const index = await probeVideo(path, {
    ffprobePath: bins.ffprobe.path,
    cacheDir: join(tmp.dir, 'cache'),
  });
  const wanted = Array.from({ length: 300 }, (_, i) => i * 3);
  const order: number[] = [];
  let busy = 0;
  let maxBusy = 0;
  await runFramePass({
    ffmpegPath: bins.ffmpeg.path,
    input: path,
    index,
    frames: wanted,
    outputs: [
      {
        filter: 'format=gray',
        encode: ['-f', 'rawvideo', '-pix_fmt', 'gray'],
        framing: { kind: 'fixed', bytes: 32 * 24 },
      },
    ],
    onFrame: async (f) => {
      maxBusy = Math.max(maxBusy, ++busy);
      if (f % 30 === 0) await new Promise((r) => setTimeout(r, 10));
      order.push(f);
      busy--;
    },
  });
  assert.deepEqual(order, wanted);
  assert.equal(maxBusy, 1, 'frames are handed over one at a time');
});
