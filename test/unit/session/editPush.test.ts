/**
 * Issue 14 item 5, the edit path on the host: an edit of the sample a view shows is pushed
 * inside the change (before the op's reply, after the dataset delta), built from the media the view
 * opened it with (no second media resolution), and Next todo finds and opens a sample in one
 * request. A sample whose media fields changed gets its media resolved again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from '../../../src/core/dataset';
import type { SampleSnapshot } from '../../../src/protocol/snapshot';
import { EditorSession } from '../../../src/session/editorSession';
import type { MediaSource } from '../../../src/session/sampleMedia';
import { TEXT, attachView, fakeMedia } from './sessionHelpers';

/** The shared fake media, counting how often a sample's media is resolved. */
function countingSession(text = TEXT): { session: EditorSession; calls: () => number } {
  let calls = 0;
  const media: MediaSource = {
    ...fakeMedia,
    sampleMedia: (fields, signal) => {
      calls++;
      return fakeMedia.sampleMedia(fields, signal);
    },
  };
  const session = new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: splitLines(text),
    mode: 'serve',
    media,
    log: () => {},
  });
  return { session, calls: () => calls };
}

const types = (sent: readonly { body: unknown }[]): string[] =>
  sent.map((e) => (e.body as { type: string }).type);

test('an edit is pushed at once, sample first, with the media the view opened it with', async () => {
  const { session, calls } = countingSession();
  const v = attachView(session);
  v.send({ type: 'sample/open', line: 0 }, 1);
  await v.replyTo(1);
  assert.equal(calls(), 1);
  const before = v.sent.length;
  v.send(
    {
      type: 'document/op/apply',
      label: 'kind',
      op: { type: 'entity/kind', line: 0, id: 'a', entity: 1, kind: 'area', elapsedMs: 5 },
    },
    2,
  );
  await v.replyTo(2);
  const after = types(v.sent.slice(before));
  // The edit's sample first (what is on screen), then the document state, before the reply.
  assert.deepEqual(after, ['sample/didChange', 'dataset/didChange', 'reply/ok']);
  const pushed = v.sent[before]?.body as { sample: SampleSnapshot };
  assert.equal(pushed.sample.state.entities[1]?.kind, 'area');
  assert.equal(pushed.sample.media.frames.length, 2, 'the media came with it');
  assert.equal(calls(), 1, 'no second media resolution for the edit');
});

test('a sample whose media fields changed is resolved again', async () => {
  const { session, calls } = countingSession();
  const v = attachView(session);
  v.send({ type: 'sample/open', line: 0 }, 1);
  await v.replyTo(1);
  // A restore of the raw line (what undo does) that also changes the frame list.
  const raw =
    '{"id": "a", "frames": ["f0.jpg", "f1.jpg", "f2.jpg"], "reasoning": "A [cup] on a [table]."}';
  session.edit({ type: 'line/restore', line: 0, raw }, 'restore');
  await new Promise((r) => setTimeout(r, 10));
  const last = v.sent.filter((e) => (e.body as { type: string }).type === 'sample/didChange').pop();
  assert.equal((last?.body as { sample: SampleSnapshot }).sample.media.frames.length, 3);
  assert.equal(calls(), 2, 'the new frame list was resolved');
});

test('Next todo with open: one request finds and opens the sample, which the view then shows', async () => {
  const { session } = countingSession();
  const v = attachView(session);
  v.send({ type: 'sample/open', line: 0 }, 1);
  await v.replyTo(1);
  v.send({ type: 'sample/nextTodo/find', after: 0, open: true }, 2);
  const r = (await v.replyTo(2)).body as {
    type: string;
    result: { line: number | null; sample?: SampleSnapshot };
  };
  assert.equal(r.type, 'reply/ok');
  assert.equal(r.result.line, 1);
  assert.equal(r.result.sample?.id, 'b');
  assert.equal(v.conn.line, 1, 'the view shows the opened sample');
  // Without `open` the reply is the line alone, as before.
  v.send({ type: 'sample/nextTodo/find', after: 1 }, 3);
  const plain = (await v.replyTo(3)).body as { result: { line: number | null; sample?: unknown } };
  assert.equal(plain.result.sample, undefined);
  // A malformed `open` is refused by the schema, not taken as true.
  v.send({ type: 'sample/nextTodo/find', after: 0, open: 'yes' }, 4);
  const bad = (await v.replyTo(4)).body as { type: string; code?: string };
  assert.equal(bad.type, 'reply/error');
  assert.equal(v.conn.line, 1);
});
