/**
 * The pure stats module (src/core/stats): quantiles and histogram bins, IoU and point
 * displacement between groundings, the fate of each entity's proposal, people figures on
 * files without identity fields, and agreement matching. Properties check IoU's bounds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EntityState, Grounding, SampleState } from '../../../src/core/model';
import { agreement, agreementEntry } from '../../../src/core/stats/agreement';
import { groundingIou, pointDisplacement } from '../../../src/core/stats/compare';
import { distribution, quantile, unitHistogram } from '../../../src/core/stats/distribution';
import { UNKNOWN_PERSON, peopleStats, utcDay } from '../../../src/core/stats/peopleStats';
import { proposalFate, proposalOutcomes } from '../../../src/core/stats/proposalOutcomes';

function box(
  points: [[number, number], [number, number]],
  opts: Partial<Grounding> = {},
): Grounding {
  return { tag: 'object', frame: 0, points, size: [100, 100], source: 'human', ...opts };
}

test('quantiles interpolate between ranks; empty lists give nulls', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([10], 0.9), 10);
  assert.equal(quantile([], 0.5), null);
  // 0, 10, ..., 100: p90 at rank 9 exactly.
  assert.deepEqual(distribution([100, 0, 50, 10, 20, 30, 40, 60, 70, 80, 90]), {
    count: 11,
    mean: 50,
    median: 50,
    p90: 90,
  });
  assert.deepEqual(distribution([]), { count: 0, mean: null, median: null, p90: null });
});

test('IoU bins: [from, to), the last bin holds 1.0', () => {
  const bins = unitHistogram([0, 0.1, 0.0999, 0.95, 1]);
  assert.deepEqual(
    bins.map((b) => b.count),
    [2, 1, 0, 0, 0, 0, 0, 0, 0, 2],
  );
  assert.deepEqual(bins[9], { from: 0.9, to: 1, count: 2 });
});

test('groundingIou: by hand, rescaled into the final size, undefined across frames or tags', () => {
  // 10x10 vs 10x10 shifted by 5: 50 / 150.
  assert.equal(
    groundingIou(
      box([
        [0, 0],
        [10, 10],
      ]),
      box([
        [5, 0],
        [15, 10],
      ]),
    ),
    1 / 3,
  );
  // Corner order does not matter.
  assert.equal(
    groundingIou(
      box([
        [10, 10],
        [0, 0],
      ]),
      box([
        [0, 0],
        [10, 10],
      ]),
    ),
    1,
  );
  // A [1000,1000] proposal box (0..500) is 0..50 in a [100,100] frame.
  const imported = box(
    [
      [0, 0],
      [500, 500],
    ],
    { size: [1000, 1000], source: 'import' },
  );
  assert.equal(
    groundingIou(
      imported,
      box([
        [0, 0],
        [50, 50],
      ]),
    ),
    1,
  );
  assert.equal(
    groundingIou(
      box(
        [
          [0, 0],
          [1, 1],
        ],
        { frame: 1 },
      ),
      box([
        [0, 0],
        [1, 1],
      ]),
    ),
    undefined,
  );
  const area: Grounding = {
    ...box([
      [0, 0],
      [1, 1],
    ]),
    tag: 'area',
  };
  assert.equal(
    groundingIou(
      area,
      box([
        [0, 0],
        [1, 1],
      ]),
    ),
    undefined,
  );
});

test('groundingIou is within [0, 1], symmetric in one pixel space, and 1 for the same box', () => {
  const coord = fc.integer({ min: 0, max: 100 });
  const corners = fc
    .tuple(coord, coord, coord, coord)
    .filter(([x1, y1, x2, y2]) => x1 !== x2 && y1 !== y2)
    .map(([x1, y1, x2, y2]) =>
      box([
        [x1, y1],
        [x2, y2],
      ]),
    );
  fc.assert(
    fc.property(corners, corners, (a, b) => {
      const ab = groundingIou(a, b) as number;
      assert.ok(ab >= 0 && ab <= 1);
      assert.ok(Math.abs(ab - (groundingIou(b, a) as number)) < 1e-12);
      assert.equal(groundingIou(a, a), 1);
    }),
  );
});

test('pointDisplacement: mean distance to the nearest proposal point, pixels and 0-1000', () => {
  const from: Grounding = {
    ...box([
      [0, 0],
      [0, 0],
    ]),
    tag: 'area',
    points: [
      [10, 10],
      [50, 50],
    ],
  };
  const to: Grounding = {
    ...from,
    points: [
      [13, 14],
      [50, 50],
      [49, 50],
    ],
    size: [100, 100],
  };
  // (13,14) is 5 from (10,10); (50,50) 0; (49,50) 1: mean 2 px; x10 in the 1000 space.
  const d = pointDisplacement(from, to);
  assert.ok(d);
  assert.ok(Math.abs(d.px - 2) < 1e-9);
  assert.ok(Math.abs(d.norm - 20) < 1e-9);
  assert.equal(pointDisplacement(from, { ...to, frame: 2 }), undefined);
  assert.deepEqual(pointDisplacement(from, from), { px: 0, norm: 0 });
});

test('proposalFate reads the source from what each status keeps', () => {
  const owl = box(
    [
      [0, 0],
      [10, 10],
    ],
    { source: 'model:owl' },
  );
  const base: EntityState = { text: 'cup', status: 'pending' };
  assert.equal(proposalFate(base), undefined);
  assert.deepEqual(proposalFate({ ...base, status: 'accepted', grounding: owl, proposal: owl }), {
    source: 'model:owl',
    kind: 'object',
    outcome: 'accepted',
    iou: 1,
  });
  const drawn = box([
    [0, 0],
    [10, 5],
  ]);
  assert.deepEqual(proposalFate({ ...base, status: 'edited', grounding: drawn, replaced: owl }), {
    source: 'model:owl',
    kind: 'object',
    outcome: 'edited',
    iou: 0.5,
  });
  const moved = { ...owl, frame: 3, source: 'human' as const };
  assert.deepEqual(proposalFate({ ...base, status: 'edited', grounding: moved, replaced: owl }), {
    source: 'model:owl',
    kind: 'object',
    outcome: 'edited',
    movedFrame: true,
  });
  assert.equal(
    proposalFate({ ...base, status: 'not_groundable', proposal: owl })?.outcome,
    'notGroundable',
  );
  assert.equal(proposalFate({ ...base, status: 'proposed', proposal: owl })?.outcome, 'open');
  assert.equal(proposalFate({ ...base, status: 'accepted', grounding: drawn }), undefined);
  assert.deepEqual(proposalOutcomes([{ ...base, status: 'accepted', grounding: drawn }]), []);
});

test('people figures of a file with no identity fields: unknown, and no day', () => {
  const state: SampleState = {
    status: 'rejected',
    entities: [{ text: 'cup', status: 'not_groundable', timeMs: 1500 }],
  };
  const p = peopleStats([state]);
  assert.deepEqual(
    p.timePerEntity.map((t) => [t.person, t.entities]),
    [[UNKNOWN_PERSON, 1]],
  );
  assert.deepEqual(p.throughput, []);
  assert.deepEqual(
    p.reviews.map((r) => [r.reviewer, r.reviewed, r.rejectionRate]),
    [
      ['all', 1, 1],
      [UNKNOWN_PERSON, 1, 1],
    ],
  );
  assert.deepEqual(peopleStats([]).reviews, [
    { reviewer: 'all', reviewed: 0, approved: 0, rejected: 0, rejectionRate: null },
  ]);
});

test('utcDay converts offsets to UTC and ignores what is not a time', () => {
  assert.equal(utcDay('2026-11-30T23:30:00-02:00'), '2026-12-01');
  assert.equal(utcDay('2026-12-01'), '2026-12-01');
  assert.equal(utcDay('yesterday'), undefined);
  assert.equal(utcDay(undefined), undefined);
});

test('agreement matches samples by id and entities by index and text', () => {
  const g = (x: number): EntityState => ({
    text: 'cup',
    status: 'accepted',
    grounding: box([
      [x, 0],
      [x + 10, 10],
    ]),
  });
  const a = [{ id: 's', state: { status: 'annotated', entities: [g(0)] } as SampleState }];
  const b = [
    { id: 's', state: { status: 'annotated', entities: [g(5)] } as SampleState },
    // A second line with the same id in b is not compared again.
    { id: 's', state: { status: 'annotated', entities: [g(0)] } as SampleState },
  ];
  const r = agreement(a, b);
  assert.deepEqual([r.samples, r.compared, r.iou.median], [1, 1, 0.3333]);
  const renamed = [
    {
      id: 's',
      state: { status: 'annotated', entities: [{ ...g(0), text: 'mug' }] } as SampleState,
    },
  ];
  assert.equal(agreement(a, renamed).entities, 0);
});

test('agreementEntry keeps what agreement compares and drops masks', () => {
  const grounding: Grounding = {
    ...box([
      [0, 0],
      [10, 10],
    ]),
    mask: { size: [100, 100], counts: 'x'.repeat(1000) },
  };
  const state: SampleState = {
    status: 'annotated',
    history: [{ status: 'annotated', at: '2026-12-01T00:00:00Z' }],
    entities: [
      { text: 'cup', status: 'accepted', grounding, groundedBy: 'bob', timeMs: 5 },
      {
        text: 'mug',
        status: 'not_groundable',
        proposal: box([
          [1, 1],
          [2, 2],
        ]),
      },
    ],
  };
  assert.deepEqual(agreementEntry(state), {
    status: 'annotated',
    entities: [
      {
        text: 'cup',
        status: 'accepted',
        grounding: box([
          [0, 0],
          [10, 10],
        ]),
        groundedBy: 'bob',
      },
      { text: 'mug', status: 'not_groundable' },
    ],
  });
});

test('a reviewer called "all" is counted apart from the total', () => {
  const reviewed = (by: string, status: 'approved' | 'rejected'): SampleState => ({
    status,
    entities: [],
    history: [{ status, by, at: '2026-12-01T00:00:00Z' }],
  });
  const p = peopleStats([reviewed('all', 'rejected'), reviewed('eve', 'approved')]);
  assert.deepEqual(
    p.reviews.map((r) => [r.reviewer, r.reviewed, r.rejected]),
    [
      ['all', 2, 1],
      ['all', 1, 1],
      ['eve', 1, 0],
    ],
  );
});
