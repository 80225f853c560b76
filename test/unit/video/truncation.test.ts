/**
 * Truncated videos (issue 10 item 17): a real video cut at 35% of its bytes, index intact.
 * The provider reports the declared and decodable spans; `validate` warns (and fails with
 * --strict); `frames` warns; a whole video gets no warning.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';
import { ASSETS, NO_ASSETS, cli } from '../../helpers/cli';
import { tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
process.env.GROUNDWORK_CACHE_DIR = join(tmp.dir, 'cache');
const SOURCE = join(ASSETS, 'videos', 'blocks.mp4');
const skip = NO_ASSETS;

function setup(): string {
  mkdirSync(join(tmp.dir, 'v'), { recursive: true });
  mkdirSync(join(tmp.dir, 'ds'), { recursive: true });
  const bytes = readFileSync(SOURCE);
  writeFileSync(join(tmp.dir, 'v', 'cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.35)));
  copyFileSync(SOURCE, join(tmp.dir, 'v', 'whole.mp4'));
  const ds = join(tmp.dir, 'ds', 'ds.jsonl');
  writeFileSync(
    ds,
    '{"id": "cut", "video": "../v/cut.mp4", "fps": 2, "reasoning": "the [block] moves"}\n' +
      '{"id": "whole", "video": "../v/whole.mp4", "fps": 2, "reasoning": "the [block] moves"}\n',
  );
  return ds;
}

test('the provider reports a truncated video with its decodable span', { skip }, async () => {
  setup();
  const provider = new VideoFrameProvider();
  const dir = join(tmp.dir, 'ds');
  const cut = await provider.truncation(
    { id: 'cut', video: '../v/cut.mp4', fps: 2, reasoning: '' },
    dir,
  );
  assert.ok(cut, 'a truncation notice');
  assert.equal(cut.code, 'video-truncated');
  assert.ok(Math.abs(cut.declaredSeconds - 9.74) < 0.05, `declared ${cut.declaredSeconds}`);
  assert.equal(cut.declaredFrames, 292);
  assert.ok(cut.decodableTo < 0.5 * cut.declaredSeconds, `decodable to ${cut.decodableTo}`);
  assert.ok(cut.decodableFrames < 292);
  assert.ok((cut.sampledFrames ?? 0) < (cut.expectedSampledFrames ?? 0));
  assert.equal(cut.expectedSampledFrames, 20);
  assert.match(
    cut.message,
    /cut\.mp4 is truncated: the container declares 9\.74 s \(292 frames\), but only 0\.00-\d\.\d\d s \(\d+ frames\) decode; \d+ of about 20 sampled frames at 2 fps/,
  );
  const list = await provider.frameList(
    { id: 'cut', video: '../v/cut.mp4', fps: 2, reasoning: '' },
    dir,
  );
  assert.equal(list.length, cut.sampledFrames);
  process.stdout.write(
    `truncated blocks.mp4 at 35% (${statSync(join(tmp.dir, 'v', 'cut.mp4')).size} bytes): ${cut.message}\n`,
  );
  const whole = await provider.truncation(
    { id: 'whole', video: '../v/whole.mp4', fps: 2, reasoning: '' },
    dir,
  );
  assert.equal(whole, undefined);
});

test('validate warns about the truncated video only; --strict fails on it', { skip }, async () => {
  const ds = setup();
  const r = await cli(['validate', ds]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /ds\.jsonl:1: warning: sample "cut": .*cut\.mp4 is truncated: the container declares 9\.74 s/,
  );
  assert.doesNotMatch(r.stdout, /whole\.mp4 is truncated/);
  const strict = await cli(['validate', ds, '--strict']);
  assert.equal(strict.code, 1);
});

test('frames warns about the truncated video, naming the decodable span', { skip }, async () => {
  setup();
  const r = await cli(['frames', join(tmp.dir, 'v', 'cut.mp4'), '--fps', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cut\.mp4: \d+ frames/);
  assert.match(r.stderr, /warning: cut\.mp4: .*is truncated: .*but only 0\.00-\d\.\d\d s/);
  const whole = await cli(['frames', join(tmp.dir, 'v', 'whole.mp4'), '--fps', '2']);
  assert.equal(whole.code, 0);
  assert.doesNotMatch(whole.stderr, /truncated/);
});
