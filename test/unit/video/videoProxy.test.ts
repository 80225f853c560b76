/**
 * The player's VP9/WebM watching copy (issue 13 item 8): made once per video content with the
 * realtime VP9 options at 480 lines, kept in the cache, shared by concurrent asks; a file
 * ffmpeg cannot read gets a message naming it and leaves nothing in the cache.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSpawn } from '../../../src/video/processRunner';
import { PROXY_ARGS, proxyPath, videoProxy } from '../../../src/video/videoProxy';
import { FFMPEG, ffmpeg, indexedSource, tempDir } from './videoFixtures';

const FFPROBE = existsSync('/usr/bin/ffprobe') ? '/usr/bin/ffprobe' : 'ffprobe';
let tmp: ReturnType<typeof tempDir>;
let video = '';

before(() => {
  tmp = tempDir('gw-proxy-');
  // H.264 at 640x360, 1.5 s: what the proxy exists for (the codec Electron may lack).
  video = ffmpeg(
    [...indexedSource(640, 360, 24, 36), '-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
    join(tmp.dir, 'clip.mp4'),
  );
});

after(() => tmp.cleanup());

function counting(): { spawnFn: typeof nodeSpawn; count: () => number } {
  let n = 0;
  return {
    spawnFn: (command: string, args: readonly string[], options: SpawnOptions): ChildProcess => {
      n += 1;
      return nodeSpawn(command, args, options);
    },
    count: () => n,
  };
}

test('the proxy is VP9 in WebM, 480 lines high, no sound, made once and then cached', async () => {
  const cacheDir = join(tmp.dir, 'cache');
  const spawn = counting();
  const [first, second] = await Promise.all([
    videoProxy({ ffmpegPath: FFMPEG, cacheDir, video, spawnFn: spawn.spawnFn }),
    videoProxy({ ffmpegPath: FFMPEG, cacheDir, video, spawnFn: spawn.spawnFn }),
  ]);
  assert.equal(first, second);
  assert.equal(spawn.count(), 1, 'two asks at once share one ffmpeg');
  assert.match(first, /proxy[\\/][0-9a-f]{64}\.vp9-480\.webm$/);
  const probe = JSON.parse(
    execFileSync(FFPROBE, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', first], {
      encoding: 'utf8',
    }),
  ) as {
    streams: { codec_type: string; codec_name: string; width: number; height: number }[];
    format: { format_name: string };
  };
  assert.match(probe.format.format_name, /webm/);
  assert.deepEqual(
    probe.streams.map((s) => [s.codec_type, s.codec_name, s.width, s.height]),
    [['video', 'vp9', 854, 480]],
    'one VP9 video stream scaled to 480 lines (even width), no audio',
  );
  assert.ok(PROXY_ARGS.includes('realtime') && PROXY_ARGS.includes('-an'));
  const again = await videoProxy({ ffmpegPath: FFMPEG, cacheDir, video, spawnFn: spawn.spawnFn });
  assert.equal(again, first);
  assert.equal(spawn.count(), 1, 'the cached copy is used, ffmpeg not run again');
  assert.deepEqual(
    readdirSync(join(cacheDir, 'proxy')).filter((f) => f.endsWith('.part')),
    [],
    'no partial file left',
  );
});

test('a file ffmpeg cannot read: a message naming it, nothing left in the cache, input intact', async () => {
  const cacheDir = join(tmp.dir, 'cache-bad');
  const bad = join(tmp.dir, 'not-a-video.mp4');
  writeFileSync(bad, 'this is not a video at all');
  await assert.rejects(videoProxy({ ffmpegPath: FFMPEG, cacheDir, video: bad }), (e: Error) => {
    assert.match(e.message, /ffmpeg could not make a VP9 copy of .*not-a-video\.mp4/);
    return true;
  });
  assert.deepEqual(readdirSync(join(cacheDir, 'proxy')), [], 'no proxy and no partial file');
  assert.equal(readFileSync(bad, 'utf8'), 'this is not a video at all', 'the input is untouched');
  assert.ok(!existsSync(proxyPath(cacheDir, 'x')));
});

test('a cancelled proxy stops ffmpeg and leaves no file', async () => {
  const cacheDir = join(tmp.dir, 'cache-cancel');
  const controller = new AbortController();
  const job = videoProxy({ ffmpegPath: FFMPEG, cacheDir, video, signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(job, /Cancelled/);
  const left = existsSync(join(cacheDir, 'proxy')) ? readdirSync(join(cacheDir, 'proxy')) : [];
  assert.deepEqual(left, [], 'nothing under the cache name, no partial file');
});
