import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { InitSnapshot, SampleSnapshot } from '../../../src/protocol/snapshot';
import { EditorSession } from '../../../src/session/editorSession';
import type { MediaSource } from '../../../src/session/sampleMedia';
import { TEXT, attachView, fakeMedia, makeSession } from './sessionHelpers';

test('ready -> init: a full snapshot with the first todo sample', async () => {
  const { session } = makeSession();
  const v = attachView(session);
  v.send({ type: 'webview/ready' });
  await new Promise((r) => setTimeout(r, 10));
  const init = v.sent.find((e) => (e.body as { type: string }).type === 'host/init');
  assert.ok(init);
  const snap = (init.body as { snapshot: InitSnapshot }).snapshot;
  assert.equal(snap.mode, 'serve');
  assert.equal(
    snap.samples.length,
    3,
    'two samples and one broken line (the blank line is not listed)',
  );
  assert.match(snap.samples[2]!.problem ?? '', /not valid JSON/);
  assert.equal(snap.sample?.id, 'a');
  assert.equal(snap.sample?.state.entities[0]?.status, 'proposed');
  assert.deepEqual(snap.sample?.state.entities[0]?.proposal?.size, [1000, 1000]);
});

test('an op through the session: applied, the view gets didChange and a fresh sample snapshot', async () => {
  const { session } = makeSession();
  const v = attachView(session);
  v.send({ type: 'sample/open', line: 0 }, 1);
  const open = await v.replyTo(1);
  const snap = (open.body as { result: SampleSnapshot }).result;
  assert.equal(snap.state.entities[0]?.status, 'proposed');
  v.send(
    {
      type: 'document/op/apply',
      label: 'accept',
      op: { type: 'entity/accept', line: 0, id: 'a', entity: 0, size: [1920, 1080] },
    },
    2,
  );
  const r = await v.replyTo(2);
  assert.equal((r.body as { type: string }).type, 'reply/ok');
  await new Promise((res) => setTimeout(res, 10));
  const kinds = v.sent.map((x) => (x.body as { type: string }).type);
  assert.ok(kinds.includes('dataset/didChange'));
  const changed = v.sent
    .filter((x) => (x.body as { type: string }).type === 'sample/didChange')
    .pop();
  assert.equal(
    (changed?.body as { sample: SampleSnapshot }).sample.state.entities[0]?.status,
    'accepted',
  );
  v.send({ type: 'document/undo' }, 3);
  await v.replyTo(3);
  assert.ok(!joinLines(session.doc).includes('groundwork'));
});

test('a stale op gets a "stale" error reply and changes nothing', async () => {
  const { session } = makeSession();
  const before = joinLines(session.doc);
  const v = attachView(session);
  v.send(
    {
      type: 'document/op/apply',
      label: 'x',
      op: { type: 'sample/status', line: 1, id: 'not-b', status: 'annotated' },
    },
    5,
  );
  const r = await v.replyTo(5);
  assert.deepEqual(
    { type: (r.body as { type: string }).type, code: (r.body as { code: string }).code },
    { type: 'reply/error', code: 'stale' },
  );
  assert.equal(joinLines(session.doc), before);
});

test('malformed or hostile messages are rejected and logged, never applied', async () => {
  const { session, logs } = makeSession();
  const before = joinLines(session.doc);
  const v = attachView(session);
  v.send(
    { type: 'document/op/apply', label: 'x', op: { type: 'line/raw', line: 0, raw: 1234 } },
    9,
  );
  v.send(
    {
      type: 'document/op/apply',
      label: 'x',
      op: { type: 'entity/accept', line: 0, id: 'a', entity: 0, evil: '<script>' },
    },
    10,
  );
  v.conn.receive('{"not":"an envelope"}');
  v.conn.receive(null);
  const r = await v.replyTo(9);
  assert.equal((r.body as { code: string }).code, 'invalid');
  assert.equal(v.conn.rejected, 4);
  assert.equal(logs.filter((l) => l.startsWith('warn: refused a message')).length, 4);
  assert.equal(joinLines(session.doc), before);
});

test('a reasoning edit works on a sample whose media is missing; a reasoning with no brackets has no entities', async () => {
  const { session } = makeSession();
  const v = attachView(session);
  v.send(
    {
      type: 'document/op/apply',
      label: 'text',
      op: { type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'Nothing to ground here.' },
    },
    1,
  );
  assert.equal(((await v.replyTo(1)).body as { type: string }).type, 'reply/ok');
  v.send({ type: 'sample/open', line: 1 }, 2);
  const snap = ((await v.replyTo(2)).body as { result: SampleSnapshot }).result;
  assert.equal(snap.reasoning, 'Nothing to ground here.');
  assert.equal(snap.spans.length, 0);
  assert.equal(snap.state.entities.length, 0);
});

test('an edit that lands while a sample opens is in the reply or pushed after it', async () => {
  // Media that takes a while (a video probe): the edit lands while the snapshot is built.
  const slow: MediaSource = {
    ...fakeMedia,
    sampleMedia: async (fields, signal) => {
      await new Promise((r) => setTimeout(r, 30));
      return fakeMedia.sampleMedia(fields, signal);
    },
  };
  const session = new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: splitLines(TEXT),
    mode: 'serve',
    media: slow,
    log: () => undefined,
  });
  const v = attachView(session);
  // Sent together: the view has not reached line 1 when the edit is applied.
  v.send({ type: 'sample/open', line: 1 }, 1);
  v.send(
    {
      type: 'document/op/apply',
      label: 'text',
      op: { type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [rug] is new.' },
    },
    2,
  );
  await v.replyTo(2);
  const open = ((await v.replyTo(1)).body as { result: SampleSnapshot }).result;
  await new Promise((r) => setTimeout(r, 50));
  const at = v.sent.findIndex((e) => e.inReplyTo === 1);
  const later = v.sent
    .slice(at)
    .map((e) => e.body as { type: string; sample?: SampleSnapshot })
    .filter((b) => b.type === 'sample/didChange' && b.sample?.line === 1)
    .pop()?.sample;
  assert.equal((later ?? open).reasoning, 'The [rug] is new.', 'the view ends up current');
});
