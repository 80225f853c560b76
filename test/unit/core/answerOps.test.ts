/**
 * The answer's own ops (issue 15): `sample/task` (a person sets the task; the answer item is
 * rebuilt, reasoning entities keep their states) and `answer/alternate` (more acceptable
 * frames of a grounding answer), through `apply` as the editor sends them; the schema takes
 * them and refuses malformed ones; the default task of the context reads as `export --task`.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { splitLines } from '../../../src/core/dataset';
import { apply, OpError } from '../../../src/core/ops';
import type { Op } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';
import type { SampleView } from '../../../src/core/sample';
import { parseOp } from '../../../src/protocol/messageSchema';

const FRAMES = ['a.jpg', 'b.jpg', 'c.jpg'];

function docOf(extra: Record<string, unknown>) {
  const line = JSON.stringify({
    id: 's',
    frames: FRAMES,
    reasoning: 'The [cup] is on the [table].',
    ...extra,
  });
  return splitLines(line + '\n');
}

function readLine(raw: string, defaultTask?: 'segment' | 'general'): SampleView {
  const s = readSample(raw, 0, defaultTask ? { defaultTask } : {});
  assert.ok(!isProblem(s));
  return s;
}

const SEGMENT_ANSWER = '<object> <frame 1>: (100, 200), (300, 400) </object>';

test('sample/task: sets groundwork.task and rebuilds the answer item for the new task', () => {
  const doc = docOf({ answer: SEGMENT_ANSWER });
  const before = readLine(doc.lines[0]!.raw);
  assert.equal(before.task, 'segment');
  assert.equal(before.state.entities.length, 3);
  // The reasoning entity "cup" is verified first; the task change must keep it.
  const drawn = apply(doc, {
    type: 'entity/draw',
    line: 0,
    id: 's',
    entity: 1,
    tag: 'object',
    frame: 0,
    points: [
      [1, 2],
      [30, 40],
    ],
    size: [640, 480],
  }).doc;
  const toGeneral = apply(drawn, { type: 'sample/task', line: 0, id: 's', task: 'general' });
  const general = readLine(toGeneral.doc.lines[0]!.raw);
  assert.equal(general.task, 'general');
  assert.equal(general.state.task, 'general');
  assert.deepEqual(
    general.state.entities.map((e) => e.text),
    ['cup', 'table'],
  );
  assert.equal(general.state.entities[0]?.status, 'accepted');
  assert.deepEqual(general.notes, []);
  // Back to segment: the answer is proposed again from the answer text, item 0.
  const back = apply(toGeneral.doc, { type: 'sample/task', line: 0, id: 's', task: 'segment' });
  const seg = readLine(back.doc.lines[0]!.raw);
  assert.equal(seg.state.entities[0]?.role, 'answer');
  assert.equal(seg.state.entities[0]?.status, 'proposed');
  assert.equal(seg.state.entities[0]?.proposal?.frame, 1);
  assert.equal(seg.state.entities[1]?.status, 'accepted');
  // The inverse puts the bytes back.
  assert.equal(apply(back.doc, back.inverse).doc.lines[0]!.raw, toGeneral.doc.lines[0]!.raw);
  // A counting task's answer is pending (the text has no number).
  const counting = apply(drawn, { type: 'sample/task', line: 0, id: 's', task: 'counting' });
  const c = readLine(counting.doc.lines[0]!.raw);
  assert.equal(c.state.entities[0]?.role, 'answer');
  assert.equal(c.state.entities[0]?.status, 'pending');
  assert.equal(c.state.entities[0]?.kind, undefined);
});

test('sample/task: the same task only records the choice; the answer work stays', () => {
  const doc = docOf({ answer: SEGMENT_ANSWER });
  const accepted = apply(doc, { type: 'entity/accept', line: 0, id: 's', entity: 0 }).doc;
  const r = apply(accepted, { type: 'sample/task', line: 0, id: 's', task: 'segment' });
  const s = readLine(r.doc.lines[0]!.raw);
  assert.equal(s.state.task, 'segment');
  assert.equal(s.state.entities[0]?.status, 'accepted');
  // Asked again: nothing changes, not even a byte.
  const again = apply(r.doc, { type: 'sample/task', line: 0, id: 's', task: 'segment' });
  assert.equal(again.doc.lines[0]!.raw, r.doc.lines[0]!.raw);
});

test('sample/task: the context default task reads the sample as export --task does', () => {
  const doc = docOf({ answer: 'The cup.' });
  assert.equal(readLine(doc.lines[0]!.raw).task, 'general');
  const withDefault = readLine(doc.lines[0]!.raw, 'segment');
  assert.equal(withDefault.task, 'segment');
  // Under the default the answer is item 0: entity 1 is "cup", as the editor showed it.
  const r = apply(
    doc,
    { type: 'entity/notGroundable', line: 0, id: 's', entity: 1, text: 'cup' },
    { defaultTask: 'segment' },
  );
  const s = readLine(r.doc.lines[0]!.raw, 'segment');
  assert.equal(s.state.entities[1]?.status, 'not_groundable');
  assert.equal(s.state.entities[0]?.role, 'answer');
  // Without it the same op names another item and is refused as stale.
  assert.throws(
    () => apply(doc, { type: 'entity/notGroundable', line: 0, id: 's', entity: 1, text: 'cup' }),
    /entity 1 of "s" is "table", not "cup"/,
  );
});

test('answer/alternate: adds acceptable frames in frame order, replaces, removes', () => {
  const doc = docOf({ answer: SEGMENT_ANSWER });
  const accepted = apply(doc, {
    type: 'entity/accept',
    line: 0,
    id: 's',
    entity: 0,
    size: [1000, 1000],
  }).doc;
  const add = (d: typeof doc, frame: number, x: number): typeof doc =>
    apply(d, {
      type: 'answer/alternate',
      line: 0,
      id: 's',
      action: 'add',
      frame,
      points: [
        [x, 10],
        [x + 50, 60],
      ],
      size: [1000, 1000],
    }).doc;
  const two = add(add(accepted, 2, 10), 0, 20);
  let answer = readLine(two.lines[0]!.raw).state.entities[0];
  assert.deepEqual(
    answer?.alternates?.map((g) => [g.frame, g.tag, g.source, g.points[0]?.[0]]),
    [
      [0, 'object', 'human', 20],
      [2, 'object', 'human', 10],
    ],
  );
  const replaced = add(two, 2, 99);
  answer = readLine(replaced.lines[0]!.raw).state.entities[0];
  assert.deepEqual(
    answer?.alternates?.map((g) => g.points[0]?.[0]),
    [20, 99],
  );
  const removed = apply(replaced, {
    type: 'answer/alternate',
    line: 0,
    id: 's',
    action: 'remove',
    frame: 0,
  }).doc;
  answer = readLine(removed.lines[0]!.raw).state.entities[0];
  assert.deepEqual(
    answer?.alternates?.map((g) => g.frame),
    [2],
  );
});

test('answer/alternate: refused with the reason, and the document is unchanged', () => {
  const doc = docOf({ answer: SEGMENT_ANSWER });
  const ops: [Op, RegExp][] = [
    [
      { type: 'answer/alternate', line: 0, id: 's', action: 'remove', frame: 2 },
      /frame 2 is not an acceptable frame of the answer/,
    ],
    [
      {
        type: 'answer/alternate',
        line: 0,
        id: 's',
        action: 'add',
        frame: 1,
        points: [[1, 1]],
        size: [10, 10],
      },
      /frame 1 is the answer's own frame/,
    ],
    [
      { type: 'answer/alternate', line: 0, id: 's', action: 'add', frame: 2 },
      /needs the points drawn on it/,
    ],
    [
      {
        type: 'answer/alternate',
        line: 0,
        id: 's',
        action: 'add',
        frame: 7,
        points: [[1, 1]],
        size: [10, 10],
      },
      /frame 7/,
    ],
  ];
  const raw = doc.lines[0]!.raw;
  for (const [op, why] of ops) {
    assert.throws(
      () => apply(doc, op),
      (e: unknown) => e instanceof OpError && why.test(e.message),
    );
    assert.equal(doc.lines[0]!.raw, raw);
  }
  const general = docOf({ answer: 'The cup.' });
  assert.throws(
    () =>
      apply(general, { type: 'answer/alternate', line: 0, id: 's', action: 'remove', frame: 0 }),
    /item 0 is not the answer/,
  );
  const pending = docOf({ answer: 'nothing', task: 'area' });
  assert.throws(
    () =>
      apply(pending, {
        type: 'answer/alternate',
        line: 0,
        id: 's',
        action: 'add',
        frame: 0,
        points: [[1, 1]],
        size: [10, 10],
      }),
    /the answer has no grounding yet/,
  );
});

test('schema: the answer ops parse; unknown tasks and actions are refused', () => {
  assert.ok(parseOp({ type: 'sample/task', line: 0, id: 's', task: 'counting' }));
  assert.equal(parseOp({ type: 'sample/task', line: 0, id: 's', task: 'detection' }), undefined);
  assert.ok(
    parseOp({
      type: 'answer/alternate',
      line: 0,
      id: 's',
      action: 'add',
      frame: 1,
      points: [[1, 2]],
      size: [10, 10],
    }),
  );
  assert.equal(
    parseOp({ type: 'answer/alternate', line: 0, id: 's', action: 'move', frame: 1 }),
    undefined,
  );
  assert.equal(
    parseOp({ type: 'answer/alternate', line: 0, id: 's', action: 'add', frame: 1, points: [] }),
    undefined,
  );
});
