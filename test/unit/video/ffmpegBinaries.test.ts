/** ffmpeg resolution order (setting, PATH, npm) and the doctor report. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { resolveBinary } from '../../../src/video/ffmpegBinaries';
import { videoDoctor } from '../../../src/video/videoDoctor';
import { VideoError } from '../../../src/video/videoError';

const debian = existsSync('/usr/bin/ffmpeg') && existsSync('/usr/bin/ffprobe');

test('an explicit setting wins, and a wrong one is an error that names it', () => {
  const ok = resolveBinary('ffmpeg', { ffmpegPath: process.execPath }, '');
  assert.deepEqual(ok, { path: process.execPath, source: 'setting' });
  assert.throws(
    () => resolveBinary('ffprobe', { ffprobePath: '/nowhere/ffprobe' }),
    (e: unknown) =>
      e instanceof VideoError &&
      /The ffprobe path setting points at "\/nowhere\/ffprobe", which is not an executable file/.test(
        e.message,
      ),
  );
});

test('then PATH', { skip: debian ? false : 'needs /usr/bin/ffmpeg' }, () => {
  assert.deepEqual(resolveBinary('ffmpeg', {}, '/nonexistent:/usr/bin'), {
    path: '/usr/bin/ffmpeg',
    source: 'PATH',
  });
  assert.deepEqual(resolveBinary('ffprobe', {}, '/usr/bin'), {
    path: '/usr/bin/ffprobe',
    source: 'PATH',
  });
});

test('then the npm binaries', () => {
  const f = resolveBinary('ffmpeg', {}, '');
  const p = resolveBinary('ffprobe', {}, '');
  assert.equal(f.source, 'npm');
  assert.match(f.path, /@ffmpeg-installer/);
  assert.match(p.path, /@ffprobe-installer/);
});

test('videoDoctor reports path, source and version of both tools', async () => {
  const r = await videoDoctor();
  for (const t of [r.ffmpeg, r.ffprobe]) {
    assert.ok(existsSync(t.path));
    assert.ok(['setting', 'PATH', 'npm'].includes(t.source));
    assert.match(t.version, /\S/);
  }
  assert.deepEqual(r.problems, []);
  assert.equal(r.codecs?.mjpegEncoder, true);
  assert.equal(r.codecs?.decoders.h264, true);
});
