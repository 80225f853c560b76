/** `groundwork frames` on a video and on a dataset with good and bad lines. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/command';
import { ffmpeg, indexedSource, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
process.env.GROUNDWORK_CACHE_DIR = join(tmp.dir, 'cache');
mkdirSync(join(tmp.dir, 'v'));
mkdirSync(join(tmp.dir, 'ds'));
ffmpeg(
  [
    ...indexedSource(64, 48, 10, 25),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ],
  join(tmp.dir, 'v', 'clip.mp4'),
);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: (async function* () {
      /* no input */
    })(),
    cwd: tmp.dir,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

test('frames <video> --out writes frame n as n.jpg; --json for machines', async () => {
  const r = await cli('frames', 'v/clip.mp4', '--out', 'out-video');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /clip\.mp4: 5 frames -> out-video/);
  assert.equal(r.err, '', 'a success writes nothing to stderr (it once said `: undefined`)');
  assert.deepEqual(readdirSync(join(tmp.dir, 'out-video')).sort(), [
    '00000.jpg',
    '00001.jpg',
    '00002.jpg',
    '00003.jpg',
    '00004.jpg',
  ]);
  const j = await cli('frames', 'v/clip.mp4', '--fps', '5', '--json');
  assert.equal(j.code, 0);
  assert.equal(JSON.parse(j.out).results[0].frames, 13);
});

test('frames <dataset>: good samples done, bad lines and samples named with file and line', async () => {
  const lines = [
    JSON.stringify({ id: 'clip-1', video: '../v/clip.mp4', reasoning: 'a [cup]' }),
    JSON.stringify({ id: 'gone-2', video: '../v/missing.mp4', fps: 2, reasoning: 'a [cup]' }),
    '{"id": "broken-3", ',
    JSON.stringify({ id: 'imgs-4', frames: ['a.jpg'], reasoning: 'a [cup]' }),
  ];
  writeFileSync(join(tmp.dir, 'ds', 'data.jsonl'), lines.join('\n') + '\n');
  const r = await cli('frames', 'ds/data.jsonl', '--out', 'out-ds');
  assert.equal(r.code, 1);
  assert.match(r.out, /clip-1: 5 frames -> out-ds\/clip-1/);
  assert.match(r.out, /1 of 3 samples done, 2 failed/);
  assert.match(r.err, /data\.jsonl:2: sample "gone-2": Video not found: .*missing\.mp4/);
  assert.match(r.err, /data\.jsonl:3: /);
  assert.doesNotMatch(r.err, /clip-1|undefined/, 'the good sample is not listed as an error');
  assert.ok(existsSync(join(tmp.dir, 'out-ds', 'clip-1', '00004.jpg')));
});

test('usage errors are clear', async () => {
  const a = await cli('frames');
  assert.equal(a.code, 2);
  assert.match(a.err, /missing dataset or video argument/);
  const b = await cli('frames', 'v/clip.mp4', '--quality', '99');
  assert.equal(b.code, 2);
  assert.match(b.err, /JPEG quality must be an integer from 2 \(best\) to 31, got 99/);
  const c = await cli('frames', 'v/nothing.mp4');
  assert.match(c.err, /Video not found: .*nothing\.mp4/);
});
