/** The cache: nothing is decoded or probed twice, lookups are fast, cancel kills ffmpeg. */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { clearProbeMemory } from '../../../src/video/probeIndex';
import { nodeSpawn } from '../../../src/video/processRunner';
import type { SpawnFn } from '../../../src/video/processRunner';
import { readImageHeader } from '../../../src/video/imageHeader';
import { VideoError } from '../../../src/video/videoError';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';
import { ffmpeg, indexedSource, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const cacheDir = join(tmp.dir, 'cache');
const V = (name: string): string => join(tmp.dir, name);

interface Spawned {
  tool: string;
  child: ChildProcess;
}
function counting(): { spawnFn: SpawnFn; runs: Spawned[]; onSpawn?: (s: Spawned) => void } {
  const box: { spawnFn: SpawnFn; runs: Spawned[]; onSpawn?: (s: Spawned) => void } = {
    runs: [],
    spawnFn: (cmd, args, opts) => {
      const child = nodeSpawn(cmd, args, opts);
      const s = { tool: /ffprobe/.test(cmd) ? 'ffprobe' : 'ffmpeg', child };
      box.runs.push(s);
      box.onSpawn?.(s);
      return child;
    },
  };
  return box;
}

const video = ffmpeg(
  [
    ...indexedSource(96, 64, 10, 40),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '10',
    '-pix_fmt',
    'yuv420p',
  ],
  V('clip.mp4'),
);
const sample = { id: 'clip', video: 'clip.mp4', fps: 2, reasoning: '' };

test('a second request spawns nothing: not in this provider, not in a new one, not for a copy', async () => {
  const c = counting();
  const a = new VideoFrameProvider({ cacheDir, spawnFn: c.spawnFn });
  const list = await a.frames(sample, tmp.dir);
  assert.equal(list.length, 8);
  assert.deepEqual(
    c.runs.map((r) => r.tool),
    ['ffprobe', 'ffmpeg'],
    'one probe and one decode pass',
  );
  await a.frames(sample, tmp.dir);
  await a.ensureFrame(sample, tmp.dir, 3);
  assert.equal(c.runs.length, 2);

  clearProbeMemory();
  const b = new VideoFrameProvider({ cacheDir, spawnFn: c.spawnFn });
  await b.frames(sample, tmp.dir);
  copyFileSync(video, V('copy of clip.mp4'));
  await b.frames({ ...sample, video: 'copy of clip.mp4' }, tmp.dir);
  assert.equal(c.runs.length, 2, 'probe and frames come from the disk cache, keyed by content');

  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    await b.ensureFrame(sample, tmp.dir, i % 8);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  assert.ok(
    (times[12] as number) < 5,
    `cached lookup median ${(times[12] as number).toFixed(2)} ms`,
  );

  // A cleared cache is noticed: the frame is decoded again rather than a dead path returned.
  rmSync(join(cacheDir, 'video-v1'), { recursive: true });
  const again = await b.ensureFrame(sample, tmp.dir, 2);
  assert.ok(existsSync(again));
  assert.equal(c.runs.length, 3);
});

test('thumbnails and sharpness come from the same pass', async () => {
  const c = counting();
  const p = new VideoFrameProvider({
    cacheDir: join(tmp.dir, 'cache2'),
    spawnFn: c.spawnFn,
    thumbWidth: 48,
  });
  const list = await p.frames(sample, tmp.dir);
  const scores = await p.sharpness(sample, tmp.dir);
  assert.equal(c.runs.filter((r) => r.tool === 'ffmpeg').length, 1);
  assert.equal(scores.length, list.length);
  for (const s of scores) assert.ok(typeof s === 'number' && s > 0, `score ${String(s)}`);
  for (const f of list) {
    const h = await readImageHeader(f.thumbPath);
    assert.deepEqual([h.width, h.height], [48, 32]);
  }
  assert.equal(await p.ensureThumbnail(sample, tmp.dir, 2), list[2]?.thumbPath);
});

test('cancelling a request kills its ffmpeg process and leaves no partial files', async () => {
  const long = ffmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x240:r=25:d=30',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
    ],
    V('long.mp4'),
  );
  const c = counting();
  const dir = join(tmp.dir, 'cache3');
  const p = new VideoFrameProvider({ cacheDir: dir, spawnFn: c.spawnFn });
  await p.probe(long);
  const ac = new AbortController();
  let killedChild: ChildProcess | undefined;
  c.onSpawn = (s) => {
    if (s.tool === 'ffmpeg') {
      killedChild = s.child;
      setTimeout(() => ac.abort(), 150);
    }
  };
  const t0 = performance.now();
  await assert.rejects(
    p.frames({ ...sample, video: 'long.mp4', fps: 25 }, tmp.dir, ac.signal),
    (e: unknown) => e instanceof VideoError && e.code === 'cancelled',
  );
  assert.ok(killedChild, 'ffmpeg was started');
  const child = killedChild;
  if (child.exitCode === null && child.signalCode === null)
    await new Promise((r) => child.once('close', r));
  assert.equal(child.signalCode, 'SIGKILL');
  assert.ok(performance.now() - t0 < 5000);
  // Writes already handed over finish (via temp file + rename) just after; none is torn.
  const files = (): string[] => readdirSync(dir, { recursive: true }).map(String);
  for (let i = 0; i < 50 && files().some((f) => f.endsWith('.tmp')); i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(
    files().filter((f) => f.endsWith('.tmp')),
    [],
  );
  for (const f of files().filter((n) => n.endsWith('.jpg'))) {
    const b = readFileSync(join(dir, f));
    assert.ok(b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9, `${f} is a whole JPEG`);
  }
  // The provider is not stuck: the frame on screen still comes.
  c.onSpawn = undefined;
  const path = await p.ensureFrame({ ...sample, video: 'long.mp4' }, tmp.dir, 30);
  assert.ok(existsSync(path));
});

test('prefetch decodes the frame on screen first, then its neighbours, then the rest', async () => {
  const args: string[][] = [];
  const spy = new VideoFrameProvider({
    cacheDir: join(tmp.dir, 'cache4'),
    concurrency: 1,
    spawnFn: (cmd, a, o) => {
      args.push([...a]);
      return nodeSpawn(cmd, a, o);
    },
  });
  await spy.prefetch(sample, tmp.dir, 5, undefined, 1);
  const graphs = args
    .filter((a) => a.includes('-filter_complex'))
    .map((a) => a[a.indexOf('-filter_complex') + 1] as string);
  const selected = graphs.map((g) => (g.match(/eq\(pts/g) ?? []).length);
  assert.deepEqual(
    selected,
    [1, 2, 5],
    'visible frame 5 alone, then neighbours 4 and 6, then the other 5',
  );
  for (const f of await spy.frameList(sample, tmp.dir)) assert.ok(existsSync(f.path));
});
