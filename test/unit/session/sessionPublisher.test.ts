import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope } from '../../../src/protocol/envelope';
import type { SampleSnapshot } from '../../../src/protocol/snapshot';
import { attachView, makeSession } from './sessionHelpers';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));
const types = (sent: readonly Envelope[]): string[] =>
  sent.map((e) => (e.body as { type: string }).type);
const reasoningOp = (text: string) => ({
  type: 'document/op/apply',
  label: 'text',
  op: { type: 'sample/reasoning', line: 1, id: 'b', reasoning: text },
});

test('the session imports no view code: it publishes, connections subscribe', () => {
  const src = readFileSync(join(__dirname, '../../../src/session/editorSession.ts'), 'utf8');
  assert.doesNotMatch(src, /from '\.\/viewConnection'|from '\.\/modelProposals'/);
  assert.doesNotMatch(src, /\bviews\b.*new Set/);
});

test('a connection subscribes when made and unsubscribes on dispose', async () => {
  const { session } = makeSession();
  const a = attachView(session);
  const b = attachView(session);
  session.edit({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [rug].' }, 't');
  await tick();
  assert.ok(types(a.sent).includes('dataset/didChange'));
  assert.ok(types(b.sent).includes('dataset/didChange'));
  a.conn.dispose();
  const before = a.sent.length;
  session.edit({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [mat].' }, 't');
  session.notice('info', 'hello');
  session.showSample(1);
  await tick();
  assert.equal(a.sent.length, before, 'a disposed connection hears nothing');
  assert.deepEqual(types(b.sent).slice(-3), ['dataset/didChange', 'notice/didPost', 'sample/show']);
  a.conn.dispose(); // twice is harmless
});

test('a listener of the session unsubscribes itself; a throwing listener stops no other', () => {
  const { session, logs } = makeSession();
  const seen: string[] = [];
  const sub = session.onDidChange((c) => seen.push(`one:${String(c.lines)}`));
  session.onDidChange(() => {
    throw new Error('a broken listener');
  });
  session.onDidChange((c) => seen.push(`two:${String(c.lines)}`));
  session.edit({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [rug].' }, 't');
  sub.dispose();
  session.edit({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [mat].' }, 't');
  assert.deepEqual(seen, ['one:1', 'two:1', 'two:1']);
  assert.equal(
    logs.filter((l) => /a listener of the session failed: a broken listener/.test(l)).length,
    2,
  );
});

test('two views see the same change: the same summaries, version and sample snapshot', async () => {
  const { session } = makeSession();
  const a = attachView(session);
  const b = attachView(session);
  a.send({ type: 'sample/open', line: 1 }, 1);
  b.send({ type: 'sample/open', line: 1 }, 1);
  await a.replyTo(1);
  await b.replyTo(1);
  a.send(reasoningOp('The [floor] is wet.'), 2);
  assert.equal(types([await a.replyTo(2)])[0], 'reply/ok');
  await tick();
  const last = (sent: readonly Envelope[], type: string): unknown =>
    sent.filter((e) => (e.body as { type: string }).type === type).pop()?.body;
  assert.deepEqual(last(a.sent, 'dataset/didChange'), last(b.sent, 'dataset/didChange'));
  const snapA = (last(a.sent, 'sample/didChange') as { sample: SampleSnapshot }).sample;
  const snapB = (last(b.sent, 'sample/didChange') as { sample: SampleSnapshot }).sample;
  assert.equal(snapA.reasoning, 'The [floor] is wet.');
  assert.deepEqual(snapA, snapB);
  assert.equal(
    (last(b.sent, 'dataset/didChange') as { document: { version: number } }).document.version,
    session.state.version,
  );
});

test('focus is per connection: each view keeps its own sample, and says so', async () => {
  const { session } = makeSession();
  const a = attachView(session);
  const b = attachView(session);
  const focused: number[] = [];
  b.conn.onDidFocus((line) => focused.push(line));
  a.send({ type: 'sample/open', line: 0 }, 1);
  b.send({ type: 'sample/open', line: 1 }, 1);
  await a.replyTo(1);
  await b.replyTo(1);
  assert.equal(a.conn.line, 0);
  assert.equal(b.conn.line, 1);
  assert.deepEqual(focused, [1]);
  assert.equal('focusLine' in session, false, 'the session holds no view focus');
  // An edit of line 1 pushes a fresh snapshot only to the view showing line 1.
  session.edit({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [rug].' }, 't');
  await tick();
  assert.equal(types(a.sent).filter((t) => t === 'sample/didChange').length, 0);
  assert.equal(types(b.sent).filter((t) => t === 'sample/didChange').length, 1);
});

test('a reload from disk sends every view a full snapshot of the sample it showed', async () => {
  const { session } = makeSession();
  const a = attachView(session);
  a.send({ type: 'sample/open', line: 1 }, 1);
  await a.replyTo(1);
  session.replace(session.doc);
  await tick();
  const init = a.sent.filter((e) => (e.body as { type: string }).type === 'host/init').pop();
  assert.equal((init?.body as { snapshot: { sample?: SampleSnapshot } }).snapshot.sample?.line, 1);
});
