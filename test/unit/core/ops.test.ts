import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import { OpError, apply } from '../../../src/core/ops';
import type { Op } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';
import { arbOp } from './opsArbitrary';

const base =
  [
    '{"id": "s0", "frames": ["a.jpg", "b.jpg"], "reasoning": "a [cup] on the [table] <object> <frame 1>: (1, 2), (30, 40) </object>", "answer": "x"}',
    '{"id":"s1","video":"v.mp4","reasoning":"the [floor area] and [door] and [door]"}',
    'not json',
    '',
    '{"id": "s2", "frames": ["c.jpg"], "reasoning": "no entities here", "k": {"z": 1}}',
  ].join('\r\n') + '\n';

const doc0: DatasetDoc = splitLines(base);

function stateOf(doc: DatasetDoc, line: number) {
  const s = readSample(doc.lines[line]!.raw, line);
  assert.ok(!isProblem(s));
  return s.state;
}

test('property: applying ops and then their inverses returns the original document', () => {
  fc.assert(
    fc.property(fc.array(arbOp(doc0), { minLength: 1, maxLength: 8 }), (ops) => {
      let doc = doc0;
      const inverses: Op[] = [];
      for (const op of ops) {
        try {
          const r = apply(doc, op);
          doc = r.doc;
          inverses.unshift(r.inverse);
        } catch (e) {
          if (!(e instanceof OpError)) throw e;
        }
      }
      for (const inv of inverses) doc = apply(doc, inv).doc;
      assert.equal(joinLines(doc), base);
    }),
    { numRuns: 300 },
  );
});

test('property: a batch is undone by one inverse', () => {
  fc.assert(
    fc.property(fc.array(arbOp(doc0), { minLength: 1, maxLength: 4 }), (ops) => {
      try {
        const r = apply(doc0, { type: 'batch', ops });
        assert.equal(joinLines(apply(r.doc, r.inverse).doc), base);
      } catch (e) {
        if (!(e instanceof OpError)) throw e;
      }
    }),
    { numRuns: 150 },
  );
});

test('ops: a stale id or a wrong entity text is refused and changes nothing', () => {
  const accept = { type: 'entity/accept', line: 0, entity: 1 } as const;
  assert.throws(() => apply(doc0, { ...accept, id: 's1' }), /holds sample "s0", not "s1"/);
  assert.throws(
    () => apply(doc0, { ...accept, id: 's0', text: 'mug' }),
    /entity 1 of "s0" is "table", not "mug"/,
  );
  assert.throws(() => apply(doc0, { ...accept, line: 2, id: 'x' }), /line 3: not valid JSON/);
  assert.throws(() => apply(doc0, { ...accept, id: 's0', entity: 7 }), /has no entity 7/);
  assert.throws(
    () => apply(doc0, { type: 'sample/status', line: 0, id: 's0', status: 'approved' }),
    /cannot go from todo to approved/,
  );
  assert.equal(joinLines(doc0), base);
});

test('ops: first edit moves a todo sample to in_progress and keeps the imported proposal', () => {
  const before = stateOf(doc0, 0);
  assert.equal(before.entities[1]!.status, 'proposed');
  assert.deepEqual(before.entities[1]!.proposal, {
    tag: 'object',
    frame: 1,
    points: [
      [1, 2],
      [30, 40],
    ],
    size: [1000, 1000],
    source: 'import',
  });
  const r = apply(doc0, { type: 'entity/notGroundable', line: 0, id: 's0', entity: 0 });
  const after = stateOf(r.doc, 0);
  assert.equal(after.status, 'in_progress');
  assert.equal(after.entities[0]!.status, 'not_groundable');
  assert.equal(after.entities[1]!.status, 'proposed');
  // Pressed again, the entity is restored to what it was.
  const again = apply(r.doc, { type: 'entity/notGroundable', line: 0, id: 's0', entity: 0 });
  assert.equal(stateOf(again.doc, 0).entities[0]!.status, 'pending');
});

test('ops: accepting converts the proposal to the frame, keeps its source, adds the time', () => {
  const r = apply(doc0, {
    type: 'entity/accept',
    line: 0,
    id: 's0',
    entity: 1,
    size: [2000, 1000],
    elapsedMs: 1234.4,
  });
  const e = stateOf(r.doc, 0).entities[1]!;
  assert.equal(e.status, 'accepted');
  assert.equal(e.grounding?.source, 'import');
  assert.deepEqual(e.grounding?.points, [
    [2, 2],
    [60, 40],
  ]);
  assert.deepEqual(e.grounding?.size, [2000, 1000]);
  assert.equal(e.timeMs, 1234);
  assert.equal(e.replaced, undefined);
  // Drawing over it is an edit that keeps the proposal it replaced.
  const d = apply(r.doc, {
    type: 'entity/draw',
    line: 0,
    id: 's0',
    entity: 1,
    tag: 'object',
    frame: 0,
    points: [
      [10.123, 20],
      [30, 40.456],
    ],
    size: [2000, 1000],
  });
  const edited = stateOf(d.doc, 0).entities[1]!;
  assert.equal(edited.status, 'edited');
  assert.equal(edited.grounding?.source, 'human');
  assert.deepEqual(edited.grounding?.points, [
    [10.12, 20],
    [30, 40.46],
  ]);
  assert.equal(edited.replaced?.source, 'import');
});

test('ops: an entity with no proposal cannot be accepted; its message says what to do', () => {
  assert.throws(
    () => apply(doc0, { type: 'entity/accept', line: 0, id: 's0', entity: 0 }),
    (e: unknown) => e instanceof OpError && /"cup" has no proposal to accept; draw/.test(e.message),
  );
});
