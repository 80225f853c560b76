import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInside, resolveExistingMedia } from '../../../src/video/mediaPath';
import { LocalMedia } from '../../../src/session/sampleMedia';

test('media paths must resolve inside the roots, symlinks included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-media-'));
  mkdirSync(join(dir, 'ws', 'd'), { recursive: true });
  writeFileSync(join(dir, 'secret.jpg'), 'x');
  writeFileSync(join(dir, 'ws', 'ok.jpg'), 'x');
  symlinkSync(join(dir, 'secret.jpg'), join(dir, 'ws', 'link.jpg'));
  const roots = [join(dir, 'ws')];
  assert.equal(
    await resolveExistingMedia(join(dir, 'ws', 'd'), '../ok.jpg', roots),
    join(dir, 'ws', 'ok.jpg'),
  );
  await assert.rejects(
    resolveExistingMedia(join(dir, 'ws', 'd'), '../../secret.jpg', roots),
    /outside the workspace/,
  );
  await assert.rejects(
    resolveExistingMedia(join(dir, 'ws', 'd'), '../link.jpg', roots),
    /outside the workspace/,
  );
  await assert.rejects(
    resolveExistingMedia(join(dir, 'ws', 'd'), '../missing.jpg', roots),
    /not found/,
  );
  assert.ok(isInside('/a/b', '/a/b/c') && !isInside('/a/b', '/a/bc') && !isInside('/a/b', '/a'));
});

test('a sample with missing media gets an error naming the files, the rest still resolves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-media-'));
  mkdirSync(join(dir, 'd'));
  const png = Buffer.alloc(24);
  png.writeUInt32BE(0x89504e47, 0);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(3840, 16);
  png.writeUInt32BE(2160, 20);
  writeFileSync(join(dir, 'f0.png'), png);
  const m = new LocalMedia({
    datasetPath: join(dir, 'd', 'x.cop.jsonl'),
    roots: [dir],
    toUri: (p) => `file://${p}`,
  });
  const snap = await m.sampleMedia({
    id: 's',
    reasoning: '',
    frames: ['../f0.png', '../gone.jpg'],
  });
  assert.equal(snap.frames[0]?.width, 3840, 'a 4K frame keeps its size');
  assert.equal(snap.frames[1]?.uri, undefined);
  assert.match(snap.error ?? '', /gone\.jpg: file not found/);
  const video = await m.sampleMedia({ id: 'v', reasoning: '', video: '../f0.png' });
  assert.match(video.error ?? '', /frames need the video layer/);
  const none = await m.sampleMedia({ id: 'n', reasoning: '' });
  assert.match(none.error ?? '', /neither "frames" nor "video"/);
});
