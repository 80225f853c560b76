/**
 * Issue 15 in the session: snapshots carry the task, where it came from and standalone spans;
 * the default task (`groundwork.defaultTask`, serve `--task`) reads samples for the snapshot
 * and for `apply` alike; the frame count of an opened sample bounds `apply`; a truncated
 * video's warning reaches the media snapshot while its frames are still listed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { splitLines } from '../../../src/core/dataset';
import type { TaskType } from '../../../src/core/model';
import { EditorSession } from '../../../src/session/editorSession';
import { LocalMedia } from '../../../src/session/sampleMedia';
import type { MediaSource, VideoFrames } from '../../../src/session/sampleMedia';
import { attachView, fakeMedia } from './sessionHelpers';

const LINE = JSON.stringify({
  id: 'v',
  video: 'clip.mp4',
  reasoning: 'A [cup] and a lid <object> <frame 1>: (1, 2), (3, 4) </object> here.',
  answer: 'The cup.',
});

function session(media: MediaSource, defaultTask?: TaskType): EditorSession {
  return new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: splitLines(LINE + '\n'),
    mode: 'serve',
    media,
    log: () => undefined,
    ...(defaultTask ? { defaultTask: () => defaultTask } : {}),
  });
}

/** Media listing `count` frames for every sample. */
function framesMedia(count: number): MediaSource {
  return {
    ...fakeMedia,
    async sampleMedia() {
      return {
        kind: 'video',
        lazy: true,
        frames: Array.from({ length: count }, (_, index) => ({ index, width: 640, height: 480 })),
      };
    },
  };
}

test('snapshot: the task and its origin, standalone spans marked', async () => {
  const snap = await session(framesMedia(3)).snapshot(0);
  assert.equal(snap.task, 'general');
  assert.equal(snap.taskOrigin, 'inferred');
  assert.deepEqual(
    snap.spans.map((s) => [s.index, s.standalone ?? false]),
    [
      [0, false],
      [1, true],
    ],
  );
  const tag = snap.spans[1]!;
  assert.match(snap.reasoning.slice(tag.start, tag.end), /^<object> <frame 1>/);
});

test('default task: the snapshot and apply read the sample the same way', async () => {
  const s = session(framesMedia(3), 'segment');
  const snap = await s.snapshot(0);
  assert.equal(snap.task, 'segment');
  assert.equal(snap.taskOrigin, 'default');
  assert.equal(snap.state.entities[0]?.role, 'answer');
  assert.equal(snap.spans[0]?.index, 1, 'reasoning entities come after the answer');
  // The view's entity 1 is "cup" under the default; apply must agree (not answer "table").
  s.edit({ type: 'entity/notGroundable', line: 0, id: 'v', entity: 1, text: 'cup' }, 'ng');
  const after = await s.snapshot(0);
  assert.equal(after.state.entities[1]?.status, 'not_groundable');
  assert.equal(after.state.entities[0]?.role, 'answer');
  // Without the default, the same op is refused as stale.
  const plain = session(framesMedia(3));
  assert.throws(
    () =>
      plain.edit({ type: 'entity/notGroundable', line: 0, id: 'v', entity: 1, text: 'cup' }, 'ng'),
    /entity 1 of "v" is "object: and a lid … here", not "cup"/,
  );
});

test('frame count: a drawing past the opened video sample frames is refused', async () => {
  const s = session(framesMedia(3));
  const draw = (frame: number) =>
    s.edit(
      {
        type: 'entity/draw',
        line: 0,
        id: 'v',
        entity: 0,
        tag: 'object',
        frame,
        points: [
          [1, 1],
          [20, 20],
        ],
        size: [640, 480],
      },
      'draw',
    );
  // Before the sample is opened nothing knows its frames (a video line lists none).
  draw(7);
  const opened = session(framesMedia(3));
  await opened.snapshot(0);
  assert.throws(
    () =>
      opened.edit(
        {
          type: 'entity/draw',
          line: 0,
          id: 'v',
          entity: 0,
          tag: 'object',
          frame: 7,
          points: [
            [1, 1],
            [20, 20],
          ],
          size: [640, 480],
        },
        'draw',
      ),
    /frame 7/,
  );
  assert.equal(opened.doc.lines[0]!.raw, LINE, 'the refused op left the line as it was');
});

test('truncated video: the warning reaches the media snapshot, frames still listed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-trunc-'));
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'clip.mp4'), 'x');
  const video: VideoFrames = {
    cacheDirs: [],
    async frameList() {
      return [{ index: 0, path: join(dir, 'f0.jpg'), width: 640, height: 480 }];
    },
    async ensureFrame() {
      return join(dir, 'f0.jpg');
    },
    async sharpness() {
      return [];
    },
    async isReady() {
      return false;
    },
    async truncation() {
      return 'clip.mp4 is truncated: 4.0 s of 10.0 s decode';
    },
  };
  const media = new LocalMedia({
    datasetPath: join(dir, 'd', 'x.cop.jsonl'),
    roots: [dir],
    toUri: (p) => `file://${p}`,
    video,
  });
  const snap = await media.sampleMedia({ id: 'v', reasoning: '', video: 'clip.mp4' });
  assert.equal(snap.error, undefined);
  assert.equal(snap.frames.length, 1);
  assert.equal(snap.warning, 'clip.mp4 is truncated: 4.0 s of 10.0 s decode');
  const whole = await new LocalMedia({
    datasetPath: join(dir, 'd', 'x.cop.jsonl'),
    roots: [dir],
    toUri: (p) => `file://${p}`,
    video: { ...video, truncation: async () => undefined },
  }).sampleMedia({ id: 'v', reasoning: '', video: 'clip.mp4' });
  assert.equal(whole.warning, undefined);
});

test('the default task changed while open: every view gets a fresh snapshot; nothing is dirty', async () => {
  const setting: { task?: TaskType } = {};
  const s = new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: splitLines(LINE + '\n'),
    mode: 'serve',
    media: framesMedia(3),
    log: () => undefined,
    defaultTask: () => setting.task,
  });
  const view = attachView(s);
  view.send({ type: 'webview/ready', line: 0 });
  const inits = (): { sample?: { task: string; taskOrigin: string } }[] =>
    view.sent
      .map(
        (e) =>
          e.body as { type: string; snapshot?: { sample?: { task: string; taskOrigin: string } } },
      )
      .filter((b) => b.type === 'host/init')
      .map((b) => b.snapshot ?? {});
  const until = async (n: number): Promise<void> => {
    for (let i = 0; i < 200 && inits().length < n; i++) await new Promise((r) => setTimeout(r, 5));
  };
  await until(1);
  assert.equal(inits()[0]?.sample?.task, 'general');
  setting.task = 'trajectory';
  s.readOptionsChanged();
  await until(2);
  assert.equal(inits().length, 2, 'a fresh snapshot followed the change');
  assert.equal(inits()[1]?.sample?.task, 'trajectory');
  assert.equal(inits()[1]?.sample?.taskOrigin, 'default');
  assert.equal(s.state.dirty, false, 'reading differently is not an edit');
});
