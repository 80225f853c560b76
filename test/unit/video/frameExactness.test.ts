/**
 * Sampled frame n must be exactly the frame the DESIGN.md rule picks. Each case makes a
 * small video whose frames are all different, extracts the sampled frames through the
 * provider, and compares the JPEG pixels with an independent reference decode of all frames.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readImageHeader } from '../../../src/video/imageHeader';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';
import {
  ASSETS,
  assetsSkip,
  expectedSampled,
  ffmpeg,
  imageGrey,
  indexedSource,
  mad,
  referenceDecode,
  tempDir,
} from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const provider = new VideoFrameProvider({ cacheDir: join(tmp.dir, 'cache'), quality: 2 });
// A second cache filled one frame at a time, in reverse, so every frame goes the seek path.
const seeker = new VideoFrameProvider({ cacheDir: join(tmp.dir, 'cache-seek'), quality: 2 });
const V = (name: string): string => join(tmp.dir, name);
const H264 = [
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-g',
  '7',
  '-bf',
  '2',
  '-pix_fmt',
  'yuv420p',
];

/** Extracts `path` at `fps` and checks identity, count, size and pixels against the reference. */
async function checkExact(
  path0: string,
  fps: number,
  providers: readonly [VideoFrameProvider, VideoFrameProvider] = [provider, seeker],
  aloneEvery = 1,
): Promise<{ count: number; width: number; height: number; vfr: boolean; start: number }> {
  const path = path0;
  const [main, alone] = providers;
  const sample = { id: basename(path), video: basename(path), fps, reasoning: '' };
  const list = await main.frames(sample, dirname(path));
  const index = await main.probe(path);
  const k = Math.min(1, 96 / Math.max(index.width, index.height));
  const gw = Math.max(2, Math.round(index.width * k));
  const gh = Math.max(2, Math.round(index.height * k));
  const ref = referenceDecode(path, gw, gh);
  const expected = expectedSampled(ref, fps);
  assert.equal(list.length, expected.length, `${basename(path)}: frame count at ${fps} fps`);
  for (const f of list) {
    const want = expected[f.index] as number;
    assert.equal(
      f.sourceFrame,
      want,
      `${basename(path)}: sampled frame ${f.index} should be source frame ${want}`,
    );
    const header = await readImageHeader(f.path);
    assert.deepEqual(
      [header.width, header.height, f.width, f.height],
      [index.width, index.height, index.width, index.height],
    );
    const grey = imageGrey(f.path, gw, gh);
    const d = mad(grey, ref.frames[want] as Buffer);
    assert.ok(
      d < 4,
      `${basename(path)}: sampled frame ${f.index} differs from source frame ${want} by ${d.toFixed(2)}`,
    );
    for (const other of [want - 1, want + 1]) {
      const o = ref.frames[other];
      if (o && mad(o, ref.frames[want] as Buffer) > 2)
        assert.ok(
          mad(grey, o) > d + 1,
          `${basename(path)}: frame ${f.index} is closer to source frame ${other} than to ${want}`,
        );
    }
  }
  for (const f of [...list].reverse().filter((x) => x.index % aloneEvery === 0)) {
    const path = await alone.ensureFrame(sample, dirname(path0), f.index);
    const d = mad(imageGrey(path, gw, gh), imageGrey(f.path, gw, gh));
    assert.ok(
      d < 1,
      `${basename(path0)}: frame ${f.index} decoded alone (after a seek) differs by ${d.toFixed(2)}`,
    );
  }
  return {
    count: list.length,
    width: index.width,
    height: index.height,
    vfr: index.variableRate,
    start: index.start,
  };
}

test('constant rate with B-frames, at 2 fps and at 3 fps (1/3 s is not a whole number of ticks)', async () => {
  const p = ffmpeg([...indexedSource(64, 48, 10, 30), ...H264], V('cfr.mp4'));
  const r = await checkExact(p, 2);
  assert.equal(r.count, 6);
  assert.equal(r.vfr, false);
  assert.equal((await checkExact(p, 3)).count, 9);
});

test('variable rate: quadratic timestamps, some exactly on a sampling instant', async () => {
  const p = ffmpeg(
    [
      ...indexedSource(64, 48, 25, 24),
      '-vf',
      'settb=1/1000,setpts=N*N*10',
      '-fps_mode',
      'passthrough',
      ...H264,
      '-video_track_timescale',
      '1000',
    ],
    V('vfr-quad.mp4'),
  );
  const r = await checkExact(p, 2);
  assert.equal(r.vfr, true);
  assert.equal(r.count, 11); // last frame at 5.29 s
});

test('variable rate: a 10 fps segment then a 25 fps segment (Matroska)', async () => {
  const p = ffmpeg(
    [
      ...indexedSource(64, 48, 25, 40),
      '-vf',
      'settb=1/1000,setpts=if(lt(N\\,10)\\,N*100\\,1000+(N-10)*40)',
      '-fps_mode',
      'passthrough',
      ...H264,
    ],
    V('vfr-concat.mkv'),
  );
  const r = await checkExact(p, 2);
  assert.equal(r.vfr, true);
  assert.equal(r.count, 5); // 0 .. 2.16 s
});

test('non-zero start time (MP4 with a 1.5 s offset, MPEG-TS, and audio that starts first)', async () => {
  const base = ffmpeg([...indexedSource(64, 48, 10, 25), ...H264], V('base.mp4'));
  const mp4 = ffmpeg(['-i', base, '-c', 'copy', '-output_ts_offset', '1.5'], V('offset.mp4'));
  const r = await checkExact(mp4, 2);
  assert.ok(Math.abs(r.start - 1.5) < 1e-6, `start ${r.start}`);
  assert.equal(r.count, 5);
  const ts = ffmpeg(
    ['-i', base, '-c', 'copy', '-output_ts_offset', '1.5', '-f', 'mpegts'],
    V('offset.ts'),
  );
  const t = await checkExact(ts, 2);
  assert.ok(t.start > 1.5, `mpegts start ${t.start}`);
  assert.equal(t.count, 5);
  // Audio that starts 1.3 s before the video: -ss counts from the container start, not the video's.
  const av = ffmpeg(
    [
      '-itsoffset',
      '1.3',
      '-i',
      base,
      '-f',
      'lavfi',
      '-i',
      'sine=d=5',
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-f',
      'mpegts',
    ],
    V('audio-first.ts'),
  );
  const a = await checkExact(av, 2);
  const idx = await provider.probe(av);
  assert.ok(
    idx.start - idx.formatStart > 1,
    `video starts ${idx.start}, container ${idx.formatStart}`,
  );
  assert.equal(a.count, 5);
});

test('rotated 90 degrees by metadata: displayed size swapped, pixels rotated like the reference', async () => {
  const base = ffmpeg([...indexedSource(64, 48, 10, 12), ...H264], V('unrotated.mp4'));
  const p = ffmpeg(['-i', base, '-c', 'copy', '-metadata:s:v', 'rotate=90'], V('rotated.mp4'));
  const r = await checkExact(p, 2);
  assert.deepEqual([r.width, r.height], [48, 64]);
  assert.equal((await provider.probe(p)).rotation % 180, 90);
});

test('odd width and height (63x47, 4:4:4)', async () => {
  const p = ffmpeg(
    [
      ...indexedSource(63, 47, 10, 15),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv444p',
    ],
    V('odd.mp4'),
  );
  const r = await checkExact(p, 2);
  assert.deepEqual([r.width, r.height], [63, 47]);
});

test('VP9 in WebM', async () => {
  const p = ffmpeg(
    [
      ...indexedSource(64, 48, 10, 15),
      '-c:v',
      'libvpx-vp9',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      '400k',
    ],
    V('vp9.webm'),
  );
  const r = await checkExact(p, 2);
  assert.equal(r.count, 3);
  assert.equal((await provider.probe(p)).codec, 'vp9');
});

test('a raw H.264 stream without timestamps: frames numbered, timed at the nominal rate', async () => {
  const p = ffmpeg([...indexedSource(64, 48, 10, 25), ...H264], V('raw.h264'));
  const r = await checkExact(p, 2);
  assert.equal(r.count, 5);
  assert.equal((await provider.probe(p)).selectBy, 'n');
});

test('a single-frame video has one sampled frame', async () => {
  const p = ffmpeg([...indexedSource(64, 48, 10, 1), ...H264], V('single.mp4'));
  assert.equal((await checkExact(p, 2)).count, 1);
});

test(
  'bedroom.mp4 (200 frames at 30 fps): 14 sampled frames at 2 fps, pixels exact',
  { skip: assetsSkip },
  async () => {
    const r = await checkExact(join(ASSETS, 'videos', 'bedroom.mp4'), 2, [provider, seeker], 3);
    assert.equal(r.count, 14);
    assert.deepEqual([r.width, r.height], [960, 540]);
  },
);

test(
  'blocks.mp4 (292 frames at 29.97 fps): 20 sampled frames at 2 fps, pixels exact',
  { skip: assetsSkip },
  async () => {
    const r = await checkExact(join(ASSETS, 'videos', 'blocks.mp4'), 2, [provider, seeker], 4);
    assert.equal(r.count, 20);
    assert.deepEqual([r.width, r.height], [1280, 720]);
  },
);

test('readRgbFrame, readRgbFrames and frameAt agree with the sampled frames', async () => {
  const { readRgbFrame, readRgbFrames } = await import('../../../src/video/rawFrames');
  const p = ffmpeg([...indexedSource(64, 48, 10, 20), ...H264], V('rgb.mp4'));
  const settings = { cacheDir: join(tmp.dir, 'cache') };
  const byTime = await readRgbFrame(p, { time: 1 }, { width: 32, height: 24 }, settings);
  assert.equal(byTime.sourceFrame, 10);
  assert.equal(byTime.data.length, 32 * 24 * 3);
  const byFrame = await readRgbFrame(p, { frame: 10 }, undefined, settings);
  assert.deepEqual([byFrame.width, byFrame.height, byFrame.data.length], [64, 48, 64 * 48 * 3]);
  // Bottom-right pixel is the grey level of frame 10: 20 + 6 * 10 in limited range.
  const px = byFrame.data[(47 * 64 + 63) * 3] as number;
  const ref = referenceDecode(p, 64, 48).frames[10] as Buffer;
  assert.ok(
    Math.abs(px - (ref[47 * 64 + 63] as number)) <= 3,
    `pixel ${px} vs ${ref[47 * 64 + 63]}`,
  );
  const seen: number[] = [];
  await readRgbFrames(
    p,
    [{ frame: 15 }, { time: 0.5 }, { frame: 5 }, { frame: 2 }],
    { width: 8, height: 6 },
    async (f) => {
      seen.push(f.sourceFrame);
      assert.equal(f.data.length, 8 * 6 * 3);
      await new Promise((r) => setTimeout(r, 5)); // a slow consumer
    },
    settings,
  );
  assert.deepEqual(seen, [2, 5, 15], 'in pts order, duplicates once');
  const at = await provider.frameAt(p, { time: 0.95 });
  assert.equal(at.sourceFrame, 10, 'by time = first frame at or after it');
});

const npmFfmpeg = join(process.cwd(), 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg');
test(
  'the ffmpeg shipped on npm (an older build) gives the same exact frames',
  { skip: existsSync(npmFfmpeg) ? false : 'needs @ffmpeg-installer/linux-x64' },
  async () => {
    const make = (dir: string): VideoFrameProvider =>
      new VideoFrameProvider({ cacheDir: join(tmp.dir, dir), quality: 2, ffmpegPath: npmFfmpeg });
    const base = ffmpeg([...indexedSource(64, 48, 10, 25), ...H264], V('npm-base.mp4'));
    const offset = ffmpeg(
      ['-i', base, '-c', 'copy', '-output_ts_offset', '1.5'],
      V('npm-offset.mp4'),
    );
    assert.equal((await checkExact(offset, 2, [make('npm'), make('npm-seek')])).count, 5);
  },
);
