/**
 * Who did what (issue 12 item 1): `apply` with an actor stamps entity decisions, status
 * moves and a bounded history, puts a reject comment into the thread, and `sample/comment`
 * answers in it; without an actor nothing is stamped, and every change stays inside the
 * `groundwork` value (the rest of the line is byte for byte).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import type { SampleState } from '../../../src/core/model';
import { OpError, apply } from '../../../src/core/ops';
import type { ApplyContext, Op } from '../../../src/core/ops';
import { HISTORY_LIMIT } from '../../../src/core/rules/identity';
import { isProblem, readSample } from '../../../src/core/sample';

const LINE =
  '{"id": "s0", "frames": ["a.jpg", "b.jpg"], "extra": [1, 2.50], "reasoning": "a [cup] <object> <frame 1>: (1, 2), (30, 40) </object> on the [table]"}';

function docOf(raw = LINE): DatasetDoc {
  return splitLines(raw + '\n');
}

function stateOf(doc: DatasetDoc): SampleState {
  const s = readSample(doc.lines[0]!.raw, 0);
  assert.ok(!isProblem(s));
  return s.state;
}

function as(user: string, minute: number): ApplyContext {
  return { actor: { user, now: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z` } };
}

const draw: Op = {
  type: 'entity/draw',
  line: 0,
  id: 's0',
  entity: 1,
  tag: 'object',
  frame: 0,
  points: [
    [5, 5],
    [50, 60],
  ],
  size: [640, 480],
};
const accept: Op = { type: 'entity/accept', line: 0, id: 's0', entity: 0 };
const status = (to: SampleState['status'], comment?: string): Op => ({
  type: 'sample/status',
  line: 0,
  id: 's0',
  status: to,
  ...(comment !== undefined ? { comment } : {}),
});

/** Annotated by ann at minute 1..3 (accept, draw, Ctrl+Enter). */
function annotated(): DatasetDoc {
  let doc = apply(docOf(), accept, as('ann', 1)).doc;
  doc = apply(doc, draw, as('ann', 2)).doc;
  return apply(doc, status('annotated'), as('ann', 3)).doc;
}

test('entity decisions and status moves record who and when', () => {
  const doc = annotated();
  const st = stateOf(doc);
  assert.equal(st.entities[0]?.groundedBy, 'ann');
  assert.equal(st.entities[0]?.groundedAt, '2026-12-01T10:01:00.000Z');
  assert.equal(st.entities[1]?.groundedAt, '2026-12-01T10:02:00.000Z');
  assert.equal(st.annotatedBy, 'ann');
  assert.equal(st.annotatedAt, '2026-12-01T10:03:00.000Z');
  assert.deepEqual(
    st.history?.map((h) => [h.status, h.by]),
    [
      ['in_progress', 'ann'],
      ['annotated', 'ann'],
    ],
  );
  const reviewed = stateOf(apply(doc, status('approved'), as('rev', 9)).doc);
  assert.equal(reviewed.reviewedBy, 'rev');
  assert.equal(reviewed.reviewedAt, '2026-12-01T10:09:00.000Z');
  assert.equal(reviewed.annotatedBy, 'ann', 'the annotator is kept after review');
  // Everything but the groundwork value is the original text.
  const raw = apply(doc, status('approved'), as('rev', 9)).doc.lines[0]!.raw;
  assert.ok(raw.startsWith('{"id": "s0", "frames": ["a.jpg", "b.jpg"], "extra": [1, 2.50],'));
});

test('a kind choice or a model proposal stamps nothing; taking a decision back unstamps', () => {
  const kind: Op = { type: 'entity/kind', line: 0, id: 's0', entity: 1, kind: 'area' };
  assert.equal(stateOf(apply(docOf(), kind, as('ann', 1)).doc).entities[1]?.groundedBy, undefined);
  const ng: Op = { type: 'entity/notGroundable', line: 0, id: 's0', entity: 1 };
  const once = apply(docOf(), ng, as('ann', 1)).doc;
  assert.equal(stateOf(once).entities[1]?.groundedBy, 'ann');
  const back = apply(once, ng, as('ann', 2)).doc;
  assert.equal(stateOf(back).entities[1]?.status, 'pending');
  assert.equal(stateOf(back).entities[1]?.groundedBy, undefined);
});

test('without an actor nothing is stamped (batch tools and old callers)', () => {
  let doc = apply(docOf(), accept).doc;
  doc = apply(doc, draw).doc;
  doc = apply(doc, status('annotated')).doc;
  const st = stateOf(doc);
  assert.equal(st.annotatedBy, undefined);
  assert.equal(st.history, undefined);
  assert.equal(st.entities[0]?.groundedBy, undefined);
});

test('a reject comment goes into the thread; the annotator answers with sample/comment', () => {
  const rejected = apply(annotated(), status('rejected', ' box too loose '), as('rev', 5)).doc;
  const answer: Op = { type: 'sample/comment', line: 0, id: 's0', text: 'fixed it', entity: 1 };
  const st = stateOf(apply(rejected, answer, as('ann', 6)).doc);
  assert.equal(st.status, 'rejected', 'a comment moves no status');
  assert.equal(st.comment, ' box too loose ', 'the legacy field keeps what was sent');
  assert.deepEqual(st.comments, [
    { author: 'rev', at: '2026-12-01T10:05:00.000Z', text: 'box too loose' },
    { author: 'ann', at: '2026-12-01T10:06:00.000Z', text: 'fixed it', entity: 1 },
  ]);
  assert.equal(st.history?.at(-1)?.comment, 'box too loose');
  assert.equal(st.reviewedBy, 'rev');
});

test('a second rejection with a new comment adds it to the thread', () => {
  const once = apply(annotated(), status('rejected', 'first'), as('rev', 5)).doc;
  const twice = stateOf(apply(once, status('rejected', 'second'), as('rev', 6)).doc);
  assert.deepEqual(
    twice.comments?.map((c) => c.text),
    ['first', 'second'],
  );
  assert.equal(twice.history?.length, 3, 'staying rejected is no status change');
});

test('sample/comment refuses empty text and an entity that does not exist, changing nothing', () => {
  const doc = docOf();
  const blank: Op = { type: 'sample/comment', line: 0, id: 's0', text: '   ' };
  assert.throws(
    () => apply(doc, blank, as('ann', 1)),
    (e: unknown) => {
      assert.ok(e instanceof OpError);
      assert.match(e.message, /needs some text/);
      return true;
    },
  );
  const far: Op = { type: 'sample/comment', line: 0, id: 's0', text: 'x', entity: 9 };
  assert.throws(() => apply(doc, far, as('ann', 1)), /has no entity 9/);
  assert.equal(doc.lines[0]!.raw, LINE);
});

test('an edit after approval returns the sample to annotated, recorded in the history', () => {
  const approved = apply(annotated(), status('approved'), as('rev', 5)).doc;
  const edit: Op = {
    ...draw,
    points: [
      [6, 6],
      [40, 40],
    ],
  } as Op;
  const st = stateOf(apply(approved, edit, as('rev', 7)).doc);
  assert.equal(st.status, 'annotated');
  assert.deepEqual(st.history?.at(-1), {
    status: 'annotated',
    by: 'rev',
    at: '2026-12-01T10:07:00.000Z',
  });
});

test('property: the history keeps the last HISTORY_LIMIT status changes, newest last', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), (rounds) => {
      let doc = annotated();
      let changes = 2;
      for (let k = 0; k < rounds; k++) {
        doc = apply(doc, status('approved'), as(`rev${k}`, k % 60)).doc;
        doc = apply(doc, status('annotated'), as(`ann${k}`, k % 60)).doc;
        changes += 2;
      }
      const history = stateOf(doc).history ?? [];
      assert.equal(history.length, Math.min(HISTORY_LIMIT, changes));
      assert.deepEqual(history.at(-1), {
        status: 'annotated',
        by: `ann${rounds - 1}`,
        at: `2026-12-01T10:${String((rounds - 1) % 60).padStart(2, '0')}:00.000Z`,
      });
    }),
    { numRuns: 40 },
  );
});

test('undo of a stamped change gives back the original bytes', () => {
  const doc = docOf();
  const r = apply(doc, accept, as('ann', 1));
  assert.equal(apply(r.doc, r.inverse).doc.lines[0]!.raw, LINE);
});
