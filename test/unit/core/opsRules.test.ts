/**
 * The rule engine through `apply`: random sequences of intents never leave an illegal sample
 * or entity state, an edit after approval sends the sample back to review, illegal moves and
 * out-of-range geometry are refused with a message, and `line/raw` keeps the line one JSON
 * line that only changes Groundwork's own value.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import type { SampleState } from '../../../src/core/model';
import { OpError, apply } from '../../../src/core/ops';
import type { Op } from '../../../src/core/ops';
import { isDecided } from '../../../src/core/rules/entityStatus';
import { canTransition, sampleProblems } from '../../../src/core/rules/sampleStatus';
import { isProblem, readSample } from '../../../src/core/sample';
import { arbOp } from './opsArbitrary';

const human = {
  tag: 'object',
  frame: 0,
  points: [
    [1, 2],
    [30, 40],
  ],
  size: [640, 480],
  source: 'human',
};
const approved = {
  status: 'approved',
  entities: [
    { text: 'mug', status: 'accepted', kind: 'object', grounding: human },
    { text: 'shelf', status: 'not_groundable' },
  ],
};
const lines = [
  '{"id": "s0", "frames": ["a.jpg", "b.jpg"], "reasoning": "a [cup] on the [table] <object> <frame 1>: (1, 2), (30, 40) </object>"}',
  `{"id":"s1","frames":["a.jpg"],"reasoning":"the [mug] on the [shelf]","groundwork":${JSON.stringify(approved)}}`,
  '{"id":"s2","video":"v.mp4","reasoning":"the [floor area] and [door]"}',
];
const doc0: DatasetDoc = splitLines(lines.join('\n') + '\n');

function stateOf(doc: DatasetDoc, line: number): SampleState {
  const s = readSample(doc.lines[line]!.raw, line);
  assert.ok(!isProblem(s), 'line is a sample');
  return s.state;
}

function tryApply(doc: DatasetDoc, op: Op): ReturnType<typeof apply> | undefined {
  try {
    return apply(doc, op);
  } catch (e) {
    if (!(e instanceof OpError)) throw e;
    return undefined;
  }
}

test('property: random sequences of ops never produce an illegal sample or entity state', () => {
  fc.assert(
    fc.property(fc.array(arbOp(doc0), { minLength: 1, maxLength: 25 }), (ops) => {
      let doc = doc0;
      for (const op of ops) {
        const r = tryApply(doc, op);
        if (!r) continue;
        for (const line of [0, 1, 2]) {
          const before = stateOf(doc, line);
          const after = stateOf(r.doc, line);
          assert.deepEqual(sampleProblems(after), [], `line ${line} after ${JSON.stringify(op)}`);
          // A person's move is a legal transition; the automatic ones are the rule's.
          if (op.type === 'sample/status' && op.line === line)
            assert.ok(canTransition(before.status, after.status));
        }
        doc = r.doc;
      }
    }),
    { numRuns: 300 },
  );
});

test('property: a change to an entity of an approved sample sends it back to annotated', () => {
  const entityOps = arbOp(doc0).filter(
    (op) =>
      op.type.startsWith('entity/') &&
      op.type !== 'entity/propose' &&
      'line' in op &&
      op.line === 1,
  );
  fc.assert(
    fc.property(entityOps, (op) => {
      const r = tryApply(doc0, op);
      if (!r) return;
      const after = stateOf(r.doc, 1);
      const decided = after.entities.every(isDecided);
      assert.equal(after.status, decided ? 'annotated' : 'in_progress');
      assert.match(
        r.notes.join(' '),
        decided
          ? /went back to annotated: approved samples are reviewed again/
          : /went back to in progress/,
      );
    }),
    { numRuns: 200 },
  );
});

test('rules: the state machine through review, with what happened said', () => {
  const ref = { line: 2, id: 's2' } as const;
  let doc = doc0;
  // annotated only when every entity is decided: the error names the pending ones.
  assert.throws(
    () => apply(doc, { ...ref, type: 'sample/status', status: 'annotated' }),
    /cannot be annotated: 2 entities are not decided yet: "floor area" \(pending\), "door" \(pending\)/,
  );
  for (const entity of [0, 1])
    doc = apply(doc, { ...ref, entity, type: 'entity/notGroundable' }).doc;
  assert.equal(stateOf(doc, 2).status, 'in_progress');
  doc = apply(doc, { ...ref, type: 'sample/status', status: 'annotated' }).doc;
  // A reviewer's fix of an annotated sample keeps it annotated, so that it can be approved.
  const fix = apply(doc, {
    ...ref,
    entity: 1,
    type: 'entity/draw',
    tag: 'object',
    frame: 3,
    points: [
      [5, 5],
      [50, 60],
    ],
    size: [640, 480],
  });
  assert.equal(stateOf(fix.doc, 2).status, 'annotated');
  assert.deepEqual(fix.notes, []);
  doc = apply(fix.doc, {
    ...ref,
    type: 'sample/status',
    status: 'rejected',
    comment: 'door box too loose',
  }).doc;
  assert.throws(
    () => apply(doc, { ...ref, type: 'sample/status', status: 'approved' }),
    /cannot go from rejected to approved; from rejected it can go to in progress/,
  );
  // A change to a rejected sample makes it in progress again; the comment stays for the annotator.
  const rework = apply(doc, { ...ref, entity: 1, type: 'entity/kind', kind: 'area' });
  assert.equal(stateOf(rework.doc, 2).status, 'in_progress');
  assert.equal(stateOf(rework.doc, 2).comment, 'door box too loose');
  assert.match(rework.notes[0] ?? '', /went back to in progress: a rejected sample is reworked/);
  // Undoing an entity back to pending on an annotated sample is not left "annotated".
  const undecided = apply(fix.doc, { ...ref, entity: 0, type: 'entity/notGroundable' });
  assert.equal(stateOf(undecided.doc, 2).status, 'in_progress');
  assert.match(undecided.notes[0] ?? '', /"floor area" \(pending\) is not decided/);
});

test('geometry: frames, coordinates and sizes out of range are refused, nothing changes', () => {
  const draw = {
    type: 'entity/draw',
    line: 0,
    id: 's0',
    entity: 0,
    tag: 'object',
    frame: 1,
    points: [
      [1, 2],
      [30, 40],
    ],
    size: [640, 480],
  } as const;
  const cases: [Op, RegExp][] = [
    [{ ...draw, frame: 99_999_999 }, /frame 99999999 is out of range: the sample has 2 frames/],
    [
      {
        ...draw,
        points: [
          [-1e7, 2],
          [1e7, 40],
        ],
      },
      /point \(-10000000, 2\) is outside the 640 x 480 frame/,
    ],
    [
      {
        ...draw,
        points: [
          [Number.NaN, 2],
          [3, 4],
        ],
      },
      /not finite/,
    ],
    [{ ...draw, size: [1e-300, 1e-300] }, /is not a frame size/],
    [{ ...draw, size: [1e9, 480] }, /is not a frame size/],
    [{ ...draw, points: [[1, 2]] }, /an object box needs 2 corner points/],
    [
      {
        type: 'entity/propose',
        line: 0,
        id: 's0',
        entity: 0,
        proposal: { ...draw, frame: 53, source: 'model:yolox-nano' },
      },
      /the proposal's frame 53 is out of range/,
    ],
  ];
  for (const [op, message] of cases) assert.throws(() => apply(doc0, op), message);
  // A small margin past the edge (a drag) is fine.
  assert.ok(
    apply(doc0, {
      ...draw,
      points: [
        [-5, -5],
        [645, 485],
      ],
    }),
  );
  // An imported <frame 53> on a 2-frame sample cannot be accepted.
  const imported = splitLines(
    '{"id":"f","frames":["a.jpg","b.jpg"],"reasoning":"the [cup] <object> <frame 53>: (1, 2), (30, 40) </object>"}\n',
  );
  assert.throws(
    () => apply(imported, { type: 'entity/accept', line: 0, id: 'f', entity: 0 }),
    /the proposal is on frame 53, but the sample has 2 frames; draw its geometry instead/,
  );
  // A video's frame count comes from the host when it knows it.
  const video = apply(doc0, { ...draw, line: 2, id: 's2', frame: 30 }, {});
  assert.ok(video);
  assert.throws(
    () => apply(doc0, { ...draw, line: 2, id: 's2', frame: 30 }, { frameCount: () => 20 }),
    /frame 30 is out of range: the sample has 20 frames/,
  );
  assert.equal(joinLines(doc0), lines.join('\n') + '\n');
});

test('line/raw from a view keeps one JSON line that only changes the groundwork value', () => {
  const raw = doc0.lines[1]!.raw;
  const cases: [string, RegExp][] = [
    [
      raw + '\n{"id":"x","reasoning":"injected"}',
      /line break at character \d+; a line must stay one line/,
    ],
    [raw.slice(0, -1), /not valid JSON/],
    [
      raw.replace('"the [mug]', '"a [mug]'),
      /changes "reasoning"; a view may only change the "groundwork" value/,
    ],
    [raw.replace('"id":"s1"', '"id":"s9"'), /changes "id"/],
    [
      raw
        .replace('"status":"approved"', '"status":"approved","x":1')
        .replace('"accepted"', '"pending"'),
      /not legal/,
    ],
  ];
  for (const [text, message] of cases)
    assert.throws(() => apply(doc0, { type: 'line/raw', line: 1, raw: text }), message);
  // A legal state, but reached by a move the state machine forbids (approved -> in progress).
  assert.throws(
    () =>
      apply(doc0, {
        type: 'line/raw',
        line: 1,
        raw: raw.replace('"status":"approved"', '"status":"in_progress"'),
      }),
    /moves the sample from approved to in_progress, which the state machine does not allow/,
  );
  assert.equal(joinLines(doc0), lines.join('\n') + '\n', 'nothing lost');
  const legal = raw.replace('"status":"approved"', '"status":"annotated"');
  const r = apply(doc0, { type: 'line/raw', line: 1, raw: legal });
  assert.equal(r.doc.lines[1]!.raw, legal);
  assert.deepEqual(r.inverse, { type: 'line/restore', line: 1, raw });
  // The host's own inverse is checked for line structure too.
  assert.throws(() => apply(doc0, { type: 'line/restore', line: 1, raw: 'a\nb' }), /line break/);
});

test('an entity a file calls "rejected" opens as not groundable and is written back unchanged', () => {
  const old = `{"id":"o","frames":["a.jpg"],"reasoning":"the [cup] and [plate]","groundwork":{"status":"in_progress","entities":[{"text":"cup","status":"rejected"},{"text":"plate","status":"pending"}]}}`;
  const doc = splitLines(old + '\n');
  const s = stateOf(doc, 0);
  assert.equal(s.entities[0]!.status, 'not_groundable');
  // Untouched, the bytes stay; an edit of the sample writes today's word.
  assert.equal(joinLines(doc), old + '\n');
  const r = apply(doc, { type: 'entity/notGroundable', line: 0, id: 'o', entity: 1 });
  assert.match(r.doc.lines[0]!.raw, /"text":"cup","status":"not_groundable"/);
  assert.equal(joinLines(apply(r.doc, r.inverse).doc), old + '\n');
});
