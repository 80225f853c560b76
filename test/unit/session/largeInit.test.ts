/**
 * Issue 14 item 5: a large dataset's `host/init` is small (the sample, the counts) and the
 * list of every summary follows in `dataset/didList`, next in the channel, so the page draws
 * the sample before it parses 100k summaries; a small dataset keeps the list inline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InitSnapshot, SampleSummary, StatusCounts } from '../../../src/protocol/snapshot';
import { statusCounts } from '../../../src/session/sampleIndex';
import { INLINE_SAMPLES } from '../../../src/session/viewConnection';
import { attachView, makeSession } from './sessionHelpers';

function dataset(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `s${i}`, frames: ['a.jpg'], reasoning: 'the [cup]' }),
  ).join('\n');
}

async function init(n: number) {
  const { session } = makeSession(dataset(n));
  const view = attachView(session);
  view.send({ type: 'webview/ready' });
  await new Promise((r) => setTimeout(r, 30));
  const types = view.sent.map((e) => (e.body as { type: string }).type);
  const at = types.indexOf('host/init');
  const snapshot = (view.sent[at]?.body as { snapshot: InitSnapshot }).snapshot;
  const next = view.sent[at + 1]?.body as
    { type: string; samples: SampleSummary[]; counts: StatusCounts } | undefined;
  return { session, snapshot, next, bytes: JSON.stringify(view.sent[at]).length };
}

test('above the inline limit the list follows host/init in dataset/didList', async () => {
  const n = INLINE_SAMPLES + 1000;
  const { session, snapshot, next, bytes } = await init(n);
  assert.equal(snapshot.samplesFollow, true);
  assert.deepEqual(snapshot.samples, []);
  assert.equal(snapshot.sample?.id, 's0', 'the first todo is in the init');
  assert.deepEqual({ ...snapshot.counts }, statusCounts(session.doc));
  assert.ok(bytes < 5000, `host/init is ${bytes} bytes at ${n} samples`);
  assert.equal(next?.type, 'dataset/didList', 'the list is the very next message');
  assert.equal(next?.samples.length, n);
  assert.equal(next?.samples[n - 1]?.id, `s${n - 1}`);
  assert.deepEqual(next?.counts, snapshot.counts);
});

test('a small dataset keeps its list in host/init', async () => {
  const { snapshot, next } = await init(50);
  assert.equal(snapshot.samplesFollow, undefined);
  assert.equal(snapshot.samples.length, 50);
  assert.notEqual(next?.type, 'dataset/didList');
});
