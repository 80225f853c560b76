/**
 * `media/proxy/make` (issue 13 item 8): the host answers with the URI of the sample's VP9
 * watching copy, made by the video layer from the real path inside the roots; a sample
 * without a video, a video outside the roots and a malformed request get errors, and the
 * video layer is never asked for them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitLines } from '../../../src/core/dataset';
import type { Envelope } from '../../../src/protocol/envelope';
import { EditorSession } from '../../../src/session/editorSession';
import { LocalMedia } from '../../../src/session/sampleMedia';
import type { VideoFrames } from '../../../src/session/sampleMedia';
import { attachView } from './sessionHelpers';

let dir = '';
const asked: string[] = [];

before(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'gw-proxy-req-')));
  mkdirSync(join(dir, 'ws', 'data'), { recursive: true });
  mkdirSync(join(dir, 'ws', 'videos'));
  writeFileSync(join(dir, 'ws', 'videos', 'clip.mp4'), 'not decoded in this test');
  writeFileSync(join(dir, 'outside.mp4'), 'outside the roots');
});

after(() => rmSync(dir, { recursive: true, force: true }));

function session(): EditorSession {
  const path = join(dir, 'ws', 'data', 'd.cop.jsonl');
  const text = [
    '{"id":"v","video":"../videos/clip.mp4","reasoning":"A [cup]."}',
    '{"id":"f","frames":["../videos/clip.mp4"],"reasoning":"A [cup]."}',
    '{"id":"o","video":"../../../outside.mp4","reasoning":"A [cup]."}',
    '',
  ].join('\n');
  const cache = join(dir, 'cache');
  const video: VideoFrames = {
    cacheDirs: [cache],
    frameList: async () => [],
    ensureFrame: async () => '',
    sharpness: async () => [],
    isReady: async () => false,
    async proxy(videoPath) {
      asked.push(videoPath);
      return join(cache, 'proxy', 'h.vp9-480.webm');
    },
  };
  const media = new LocalMedia({
    datasetPath: path,
    roots: [join(dir, 'ws')],
    toUri: (abs) => `/tok/media?p=${encodeURIComponent(abs)}`,
    video,
  });
  return new EditorSession({ path, doc: splitLines(text), mode: 'serve', media, log: () => {} });
}

function body(e: Envelope): { type: string; result?: { uri: string }; message?: string } {
  return e.body as { type: string; result?: { uri: string }; message?: string };
}

test('the reply is the URI of the copy the video layer made from the real video path', async () => {
  asked.length = 0;
  const v = attachView(session());
  v.send({ type: 'media/proxy/make', line: 0 }, 1);
  const reply = body(await v.replyTo(1));
  assert.equal(reply.type, 'reply/ok');
  assert.equal(
    reply.result?.uri,
    `/tok/media?p=${encodeURIComponent(join(dir, 'cache', 'proxy', 'h.vp9-480.webm'))}`,
  );
  assert.deepEqual(asked, [join(dir, 'ws', 'videos', 'clip.mp4')]);
});

test('no video, a video outside the roots, a malformed request: errors, nothing made', async () => {
  asked.length = 0;
  const v = attachView(session());
  v.send({ type: 'media/proxy/make', line: 1 }, 1);
  const frames = body(await v.replyTo(1));
  assert.equal(frames.type, 'reply/error');
  assert.match(frames.message ?? '', /has no video/);
  v.send({ type: 'media/proxy/make', line: 2 }, 2);
  const outside = body(await v.replyTo(2));
  assert.equal(outside.type, 'reply/error');
  assert.match(outside.message ?? '', /outside/);
  v.send({ type: 'media/proxy/make', line: -1 }, 3);
  assert.equal(body(await v.replyTo(3)).type, 'reply/error');
  v.send({ type: 'media/proxy/make', line: 0, path: '/etc/passwd' }, 4);
  assert.equal(body(await v.replyTo(4)).type, 'reply/error', 'no path can be smuggled in');
  assert.deepEqual(asked, [], 'the video layer was never asked');
});
