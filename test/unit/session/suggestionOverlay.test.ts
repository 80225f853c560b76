import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinLines, splitLines } from '../../../src/core/dataset';
import { isProblem, readSample } from '../../../src/core/sample';
import { RequestError } from '../../../src/protocol/envelope';
import type { Envelope } from '../../../src/protocol/envelope';
import type { InitSnapshot, SampleSnapshot } from '../../../src/protocol/snapshot';
import type { EntitySuggestion } from '../../../src/protocol/suggestion';
import { EditorSession } from '../../../src/session/editorSession';
import type { Suggester } from '../../../src/session/editorSession';
import type { ComputedSuggestion } from '../../../src/session/suggestionService';
import { summaryAt } from '../../../src/session/sampleIndex';
import { TEXT, attachView, fakeMedia } from './sessionHelpers';

/** A detector that finds one box on frame 0 for every text, as the real one would. */
function fakeSuggester(): Suggester & { asked: number } {
  const memory = new Map<string, { s: ComputedSuggestion; chosen: number }>();
  return {
    asked: 0,
    enabled: true,
    status: { state: 'ready', provider: 'cpu', message: 'models: fake' },
    onStatus: () => () => undefined,
    async suggest() {
      this.asked++;
      return {
        kind: 'object',
        kindReason: 'lexicon',
        frame: 0,
        size: [1920, 1080],
        candidates: [
          { kind: 'object', frame: 0, box: [100, 200, 500, 600], label: 'thing', score: 0.9 },
          { kind: 'object', frame: 0, box: [700, 100, 900, 300], label: 'thing', score: 0.5 },
        ],
        modelId: 'fake-det',
      };
    },
    remember(id, entity, s, chosen) {
      memory.set(`${id}/${entity}`, { s, chosen });
    },
    cycle(id, entity) {
      const m = memory.get(`${id}/${entity}`);
      if (!m) return undefined;
      m.chosen = (m.chosen + 1) % m.s.candidates.length;
      return { s: m.s, chosen: m.chosen };
    },
    async segment() {
      throw new RequestError('unsupported', 'no segmenter in this test');
    },
    async dispose() {},
  };
}

function session(): EditorSession {
  return new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: splitLines(TEXT),
    mode: 'serve',
    media: fakeMedia,
    log: () => undefined,
    suggestions: fakeSuggester(),
  });
}

const bodies = <T>(sent: readonly Envelope[], type: string): T[] =>
  sent.map((e) => e.body as { type: string }).filter((b) => b.type === type) as T[];

test('browsing with suggestions changes nothing: bytes, dirty flag, undo and status stay', async () => {
  const s = session();
  const v = attachView(s);
  const statuses = [0, 1].map((l) => summaryAt(s.doc, l).status);
  v.send({ type: 'webview/ready' });
  let id = 1;
  // What the view does by itself when an entity with nothing yet becomes active.
  for (const [line, entity] of [
    [0, 1],
    [1, 0],
    [0, 1],
  ] as const) {
    // The view opens the sample (awaits its snapshot), then asks for the active entity.
    v.send({ type: 'sample/open', line }, id);
    await v.replyTo(id++);
    v.send({ type: 'model/suggest', line, entity }, id);
    const r = (await v.replyTo(id++)).body as { type: string; result: EntitySuggestion };
    assert.equal(r.type, 'reply/ok');
    assert.equal(r.result.applied, true, 'shown as the proposal');
  }
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(joinLines(s.doc), TEXT, 'the document is byte-identical');
  assert.deepEqual(s.state, { version: 0, dirty: false, canUndo: false, canRedo: false });
  assert.deepEqual(
    [0, 1].map((l) => summaryAt(s.doc, l).status),
    statuses,
  );
  assert.equal(bodies(v.sent, 'dataset/didChange').length, 0, 'no document change announced');
  // The overlay reaches the view: in the pushed snapshot and as a notification.
  const pushed = bodies<{ sample: SampleSnapshot }>(v.sent, 'sample/didChange').map(
    (b) => b.sample,
  );
  const floor = pushed.find((p) => p.id === 'b');
  assert.deepEqual(floor?.suggested, [0]);
  assert.equal(floor?.state.entities[0]?.status, 'proposed');
  assert.equal(floor?.state.entities[0]?.proposal?.source, 'model:fake-det');
  assert.equal(floor?.state.status, statuses[1], "the sample status is the file's");
  assert.equal(bodies(v.sent, 'model/suggestion/didChange').length, 3);
  // A view opening the sample later gets the overlay in its snapshot too.
  const late = attachView(s);
  late.send({ type: 'sample/open', line: 1 }, 1);
  const snap = ((await late.replyTo(1)).body as { result: SampleSnapshot }).result;
  assert.deepEqual(snap.suggested, [0]);
  late.send({ type: 'webview/ready', line: 1 });
  await new Promise((r) => setTimeout(r, 10));
  const init = bodies<{ snapshot: InitSnapshot }>(late.sent, 'host/init')[0];
  assert.equal(init?.snapshot.sample?.state.entities[0]?.proposal?.source, 'model:fake-det');
});

test("an imported proposal or a person's work is never covered by an overlay", async () => {
  const s = session();
  const v = attachView(s);
  v.send({ type: 'model/suggest', line: 0, entity: 0 }, 1);
  const r = ((await v.replyTo(1)).body as { result: EntitySuggestion }).result;
  assert.equal(r.applied, false);
  assert.match(r.reason ?? '', /imported/);
  const snap = await s.snapshot(0);
  assert.equal(snap.state.entities[0]?.proposal?.source, 'import');
  assert.equal(snap.suggested, undefined);
});

test('Enter on a suggested entity makes the overlay a real edit, one undo step', async () => {
  const s = session();
  const v = attachView(s);
  v.send({ type: 'model/suggest', line: 1, entity: 0 }, 1);
  await v.replyTo(1);
  v.send(
    {
      type: 'document/op/apply',
      label: 'accept proposal',
      op: { type: 'entity/accept', line: 1, id: 'b', entity: 0, size: [1920, 1080] },
    },
    2,
  );
  const r = (await v.replyTo(2)).body as { type: string; message?: string };
  assert.equal(r.type, 'reply/ok', r.message);
  const stored = readSample(s.doc.lines[1]!.raw, 1);
  assert.ok(!isProblem(stored));
  const e = stored.state.entities[0];
  assert.equal(e?.status, 'accepted');
  assert.equal(e?.grounding?.source, 'model:fake-det');
  const points = (e?.grounding?.points ?? []).flat().map((n) => Math.round(n * 100) / 100);
  assert.deepEqual(points, [100, 200, 500, 600], 'the box the person saw');
  assert.equal(s.state.dirty, true);
  assert.ok(s.undo());
  assert.equal(joinLines(s.doc), TEXT, 'one undo gives back the file');
  // C cycles the overlay, still without an edit.
  v.send({ type: 'model/suggest/cycle', line: 1, entity: 0 }, 3);
  const c = ((await v.replyTo(3)).body as { result: EntitySuggestion }).result;
  assert.equal(c.chosen, 1);
  assert.equal(joinLines(s.doc), TEXT);
  assert.deepEqual((await s.snapshot(1)).state.entities[0]?.proposal?.points, [
    [700, 100],
    [900, 300],
  ]);
});

test('drawing replaces the overlay; the overlay is gone once the entity is decided', async () => {
  const s = session();
  const v = attachView(s);
  v.send({ type: 'model/suggest', line: 1, entity: 0 }, 1);
  await v.replyTo(1);
  s.edit(
    {
      type: 'entity/draw',
      line: 1,
      id: 'b',
      entity: 0,
      tag: 'object',
      frame: 0,
      points: [
        [10, 10],
        [50, 50],
      ],
      size: [1920, 1080],
    },
    'draw',
  );
  const snap = await s.snapshot(1);
  assert.equal(snap.state.entities[0]?.grounding?.source, 'human');
  assert.equal(snap.suggested, undefined);
});
