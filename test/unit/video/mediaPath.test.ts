/** Media paths must stay inside the workspace or a media root, symlinks included. */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { resolveInsideRoots } from '../../../src/video/mediaPath';
import { VideoError } from '../../../src/video/videoError';
import { tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const ws = join(tmp.dir, 'workspace');
const data = join(ws, 'data');
const media = join(tmp.dir, 'media');
const secret = join(tmp.dir, 'secret');
for (const d of [data, join(ws, 'videos'), media, secret]) mkdirSync(d, { recursive: true });
writeFileSync(join(secret, 'key.mp4'), 'x');
symlinkSync(secret, join(ws, 'videos', 'link'));

test('paths inside the workspace or a media root resolve', () => {
  assert.equal(resolveInsideRoots(data, '../videos/a.mp4', [ws]), join(ws, 'videos', 'a.mp4'));
  assert.equal(resolveInsideRoots(data, join(media, 'b.mp4'), [ws, media]), join(media, 'b.mp4'));
  assert.equal(
    resolveInsideRoots(data, 'clip with spaces é.mp4', [ws]),
    join(data, 'clip with spaces é.mp4'),
  );
});

test('paths that leave the roots are refused with a message naming them', () => {
  const refuse = (rel: string, roots: string[]): void => {
    assert.throws(
      () => resolveInsideRoots(data, rel, roots),
      (e: unknown) => {
        assert.ok(e instanceof VideoError);
        assert.equal(e.code, 'outside-roots');
        assert.match(
          e.message,
          new RegExp(
            `^Media path "${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" resolves to .* which is outside the workspace and the media roots`,
          ),
        );
        assert.match(e.message, /groundwork\.mediaRoots/);
        return true;
      },
    );
  };
  refuse('../../secret/key.mp4', [ws]);
  refuse('/etc/passwd', [ws, media]);
  refuse('../videos/link/key.mp4', [ws]); // a symlink inside the workspace pointing out of it
  refuse('../videos/a.mp4', []);
  assert.throws(() => resolveInsideRoots(data, '', [ws]), /empty media path/);
});
