/** Bad input gets a clear message naming the file, never a crash or a hang. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { nodeSpawn } from '../../../src/video/processRunner';
import type { SpawnFn } from '../../../src/video/processRunner';
import { VideoError } from '../../../src/video/videoError';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';
import { ffmpeg, indexedSource, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const spawned: string[][] = [];
const counting: SpawnFn = (cmd, args, opts) => {
  spawned.push([cmd, ...args]);
  return nodeSpawn(cmd, args, opts);
};
const provider = new VideoFrameProvider({ cacheDir: join(tmp.dir, 'cache'), spawnFn: counting });
const V = (name: string): string => join(tmp.dir, name);
const sampleOf = (file: string): { id: string; video: string; fps: number; reasoning: string } => ({
  id: 'bad-1',
  video: file,
  fps: 2,
  reasoning: '',
});

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VideoError, `expected a VideoError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('a missing file', async () => {
  await rejectsWith(
    provider.frameList(sampleOf('nope.mp4'), tmp.dir),
    'not-found',
    /^Video not found: .*nope\.mp4$/,
  );
});

test('a zero-byte file', async () => {
  writeFileSync(V('zero.mp4'), '');
  await rejectsWith(
    provider.frameList(sampleOf('zero.mp4'), tmp.dir),
    'empty',
    /Video file is empty \(0 bytes\): .*zero\.mp4/,
  );
});

test('a text file named .mp4', async () => {
  writeFileSync(V('text.mp4'), 'this is not a video\n');
  await rejectsWith(
    provider.frameList(sampleOf('text.mp4'), tmp.dir),
    'unreadable',
    /^Cannot read video .*text\.mp4: .*Invalid data found when processing input/,
  );
});

test('an audio-only file', async () => {
  ffmpeg(['-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'aac'], V('audio.m4a'));
  await rejectsWith(
    provider.frameList(sampleOf('audio.m4a'), tmp.dir),
    'no-video',
    /^No video stream in .*audio\.m4a \(it has 1 other stream, e\.g\. audio only\)$/,
  );
});

test('a truncated mp4 whose index was at the end', async () => {
  const full = ffmpeg(
    [...indexedSource(160, 120, 10, 30), '-c:v', 'libx264', '-preset', 'ultrafast'],
    V('full.mp4'),
  );
  const bytes = readFileSync(full);
  writeFileSync(V('cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await rejectsWith(
    provider.frameList(sampleOf('cut.mp4'), tmp.dir),
    'unreadable',
    /^Cannot read video .*cut\.mp4: moov atom not found/,
  );
});

test('a truncated mp4 whose index was at the start: fewer frames and a warning, or a clear error', async () => {
  const full = ffmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x240:r=25:d=4',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-movflags',
      'faststart',
    ],
    V('faststart.mp4'),
  );
  const bytes = readFileSync(full);
  writeFileSync(V('cut-fs.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.4)));
  const index = await provider.probe(V('cut-fs.mp4'));
  assert.ok(index.pts.length < 100, `${index.pts.length} frames listed of 100`);
  assert.match(
    index.warnings.join('\n'),
    /cut-fs\.mp4 is truncated: \d+ frames? past the end of the file/,
  );
  try {
    const list = await provider.frames(sampleOf('cut-fs.mp4'), tmp.dir);
    for (const f of list) assert.ok(existsSync(f.path));
  } catch (e) {
    assert.ok(e instanceof VideoError);
    assert.match(e.message, /cut-fs\.mp4.*(truncated or damaged|could not decode)/);
  }
});

test('a 10-hour sparse video: 72001 sampled frames listed, one frame fetched fast without decoding it all', async () => {
  ffmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      "color=c=black:s=64x48:r=1,format=yuv444p,geq=lum='20+100*N':cb=128:cr=128",
      '-frames:v',
      '2',
      '-vf',
      'settb=1/1000,setpts=N*36000000',
      '-fps_mode',
      'passthrough',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-video_track_timescale',
      '1000',
    ],
    V('sparse.mp4'),
  );
  const t0 = performance.now();
  const list = await provider.frameList(sampleOf('sparse.mp4'), tmp.dir);
  assert.equal(list.length, 72001);
  assert.equal(list[0]?.sourceFrame, 0);
  assert.equal(list[1]?.sourceFrame, 1, 'every n >= 1 is the frame at 36000 s');
  assert.equal(list[72000]?.time, 36000);
  const before = spawned.length;
  const path = await provider.ensureFrame(sampleOf('sparse.mp4'), tmp.dir, 50_000);
  const ms = performance.now() - t0;
  assert.ok(existsSync(path));
  assert.equal(spawned.length - before, 1, 'one ffmpeg run for the one frame');
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test('a path with spaces, quotes, unicode and shell syntax works and runs no shell', async () => {
  ffmpeg(
    [
      ...indexedSource(64, 48, 10, 10),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
    ],
    V('plain.mp4'),
  );
  const name = 'it\'s a "quoted" vidéo 视频 $(touch pwned) [1].mp4';
  copyFileSync(V('plain.mp4'), V(name));
  const list = await provider.frames(sampleOf(name), tmp.dir);
  assert.equal(list.length, 2);
  for (const f of list) assert.ok(existsSync(f.path));
  assert.equal(existsSync(V('pwned')), false);
  assert.ok(
    spawned.some((a) => a.includes(V(name))),
    'the path is passed as one argument',
  );
});

test('a bad fps and an out-of-range frame index are reported, not thrown as crashes', async () => {
  await rejectsWith(
    provider.frameList({ ...sampleOf('plain.mp4'), fps: 0 }, tmp.dir),
    'bad-request',
    /fps must be a positive number, got 0/,
  );
  await rejectsWith(
    provider.ensureFrame(sampleOf('plain.mp4'), tmp.dir, 99),
    'bad-request',
    /sample "bad-1" has no frame 99 \(it has 2\)/,
  );
  await rejectsWith(
    provider.frameList({ id: 'x', reasoning: '' }, tmp.dir),
    'bad-request',
    /sample "x" has neither "video" nor "frames"/,
  );
});

test('the sparse video: a cached frame lookup stays fast although the list has 72001 entries', async () => {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    await provider.ensureFrame(sampleOf('sparse.mp4'), tmp.dir, 50_000 + i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  assert.ok((times[7] as number) < 5, `median ${(times[7] as number).toFixed(2)} ms`);
});
