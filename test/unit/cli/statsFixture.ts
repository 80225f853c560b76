/**
 * Crafted datasets for the stats golden tests, with known proposals and finals. The
 * expected figures are worked out by hand in the comments beside each entity, so the
 * tests compare against arithmetic, not against a run of the code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Pt = [number, number];
type Size = [number, number];

/** A grounding literal (the shape stored under `groundwork`). */
export function box(source: string, points: Pt[], size: Size = [1000, 1000], frame = 0) {
  return { tag: 'object', frame, points, size, source };
}

/** An area grounding literal. */
export function area(source: string, points: Pt[], size: Size = [1000, 1000], frame = 0) {
  return { tag: 'area', frame, points, size, source };
}

function line(id: string, texts: string[], state: Record<string, unknown>): string {
  return JSON.stringify({
    id,
    frames: ['f0.jpg', 'f1.jpg'],
    question: 'where?',
    reasoning: texts.map((t) => `the [${t}]`).join(' and '),
    answer: 'there',
    groundwork: state,
  });
}

const owl = 'model:owlv2';
const sam = 'model:sam';

/** Three samples: two by alice and bob with identity fields, one from an older file without. */
export function writeGoldenDataset(dir: string): string {
  const path = join(dir, 'golden.cop.jsonl');
  const s1 = line('s1', ['cup', 'table', 'door'], {
    status: 'approved',
    annotatedBy: 'alice',
    annotatedAt: '2026-11-30T10:00:00Z',
    reviewedBy: 'rev',
    reviewedAt: '2026-11-30T12:00:00Z',
    history: [
      { status: 'in_progress', by: 'alice', at: '2026-11-30T08:00:00Z' },
      { status: 'annotated', by: 'alice', at: '2026-11-30T10:00:00Z' },
      { status: 'approved', by: 'rev', at: '2026-11-30T12:00:00Z' },
    ],
    entities: [
      // owlv2 accepted as is: IoU 1.
      {
        text: 'cup',
        status: 'accepted',
        kind: 'object',
        grounding: box(owl, [
          [0, 0],
          [100, 100],
        ]),
        proposal: box(owl, [
          [0, 0],
          [100, 100],
        ]),
        timeMs: 1000,
        groundedBy: 'alice',
        groundedAt: '2026-11-30T09:00:00Z',
      },
      // owlv2 edited: 100x100 -> 100x50 inside it: IoU 5000 / 10000 = 0.5. The time is
      // 20:00 at UTC-2, which is still 22:00 on 2026-11-30 in UTC.
      {
        text: 'table',
        status: 'edited',
        kind: 'object',
        grounding: box('human', [
          [0, 0],
          [100, 50],
        ]),
        replaced: box(owl, [
          [0, 0],
          [100, 100],
        ]),
        timeMs: 3000,
        groundedBy: 'alice',
        groundedAt: '2026-11-30T20:00:00-02:00',
      },
      // import edited: the proposal's [1000,1000] space rescaled into [2000,1000] is the
      // whole frame (2e6 px); the final 1000x500 box lies inside: IoU 5e5 / 2e6 = 0.25.
      {
        text: 'door',
        status: 'edited',
        kind: 'object',
        grounding: box(
          'human',
          [
            [500, 250],
            [1500, 750],
          ],
          [2000, 1000],
        ),
        replaced: box('import', [
          [0, 0],
          [1000, 1000],
        ]),
        timeMs: 5000,
        groundedBy: 'bob',
        groundedAt: '2026-12-01T07:00:00Z',
      },
    ],
  });
  const s2 = line('s2', ['floor', 'mug', 'chair', 'lamp'], {
    status: 'rejected',
    annotatedBy: 'bob',
    annotatedAt: '2026-12-01T11:00:00Z',
    reviewedBy: 'carol',
    reviewedAt: '2026-12-01T12:00:00Z',
    comment: 'floor is off',
    history: [
      { status: 'annotated', by: 'bob', at: '2026-12-01T08:00:00Z' },
      { status: 'rejected', by: 'rev', at: '2026-12-01T09:00:00Z', comment: 'mug?' },
      { status: 'in_progress', by: 'bob', at: '2026-12-01T10:00:00Z' },
      { status: 'annotated', by: 'bob', at: '2026-12-01T11:00:00Z' },
      { status: 'rejected', by: 'carol', at: '2026-12-01T12:00:00Z', comment: 'floor is off' },
    ],
    entities: [
      // sam area edited. Proposal (100,100),(200,200) in [1000,1000] -> (200,100),(400,200) in
      // [2000,1000]; final (206,108) is hypot(6,8) = 10 px from (200,100), (400,200) 0 px:
      // mean 5 px. Normalised: final (103,108) vs (100,100) = hypot(3,8) = 8.5440, and 0:
      // mean 4.2720.
      {
        text: 'floor',
        status: 'edited',
        kind: 'area',
        grounding: area(
          'human',
          [
            [206, 108],
            [400, 200],
          ],
          [2000, 1000],
        ),
        replaced: area(sam, [
          [100, 100],
          [200, 200],
        ]),
        timeMs: 7000,
        groundedBy: 'bob',
        groundedAt: '2026-12-01T08:00:00Z',
      },
      {
        text: 'mug',
        status: 'not_groundable',
        proposal: box(owl, [
          [10, 10],
          [20, 20],
        ]),
        timeMs: 2000,
        groundedBy: 'bob',
        groundedAt: '2026-12-01T08:00:00Z',
      },
      {
        text: 'chair',
        status: 'proposed',
        proposal: box(owl, [
          [30, 30],
          [40, 40],
        ]),
      },
      // Drawn with no proposal: in no model's row, counted as drawn without a proposal.
      {
        text: 'lamp',
        status: 'accepted',
        kind: 'object',
        grounding: box('human', [
          [1, 1],
          [9, 9],
        ]),
        timeMs: 4000,
        groundedBy: 'bob',
        groundedAt: '2026-12-01T09:00:00Z',
      },
    ],
  });
  // A file from before identity was recorded: person and reviewer are unknown, no day.
  const s3 = line('s3', ['box'], {
    status: 'approved',
    entities: [
      {
        text: 'box',
        status: 'accepted',
        grounding: box(owl, [
          [5, 5],
          [50, 50],
        ]),
        proposal: box(owl, [
          [5, 5],
          [50, 50],
        ]),
        timeMs: 9000,
      },
    ],
  });
  writeFileSync(path, [s1, s2, s3].join('\n') + '\n');
  return path;
}

/** Two files grounding the same samples (x1, x2; x3 only in a, x4 only in b). */
export function writeAgreementPair(dir: string): { a: string; b: string } {
  const a = join(dir, 'alice.jsonl');
  const b = join(dir, 'bob.jsonl');
  const decided = (text: string, grounding: unknown, by: string) => ({
    text,
    status: 'accepted',
    grounding,
    groundedBy: by,
  });
  const ng = (text: string) => ({ text, status: 'not_groundable' });
  const sample = (id: string, texts: string[], entities: unknown[]) =>
    line(id, texts, { status: 'annotated', entities });
  const x1 = ['cup', 'plate', 'fork', 'napkin'];
  const x2 = ['knife', 'spoon', 'bowl'];
  writeFileSync(
    a,
    [
      sample('x1', x1, [
        // cup: 100x100 vs its top half 100x50: IoU 0.5.
        decided(
          'cup',
          box('human', [
            [0, 0],
            [100, 100],
          ]),
          'alice',
        ),
        // plate: [2000,1000] box rescaled into b's [1000,1000] is b's box exactly: IoU 1.
        decided(
          'plate',
          box(
            'human',
            [
              [0, 0],
              [200, 100],
            ],
            [2000, 1000],
          ),
          'alice',
        ),
        ng('fork'),
        decided(
          'napkin',
          box('human', [
            [0, 0],
            [10, 10],
          ]),
          'alice',
        ),
      ]),
      sample('x2', x2, [
        decided(
          'knife',
          box(
            'human',
            [
              [0, 0],
              [10, 10],
            ],
            [1000, 1000],
            0,
          ),
          'alice',
        ),
        decided(
          'spoon',
          box('human', [
            [0, 0],
            [10, 10],
          ]),
          'alice',
        ),
        decided('bowl', area('human', [[5, 5]]), 'alice'),
      ]),
      sample(
        'x3',
        ['cup'],
        [
          decided(
            'cup',
            box('human', [
              [0, 0],
              [1, 1],
            ]),
            'alice',
          ),
        ],
      ),
    ].join('\n') + '\n',
  );
  writeFileSync(
    b,
    [
      sample(
        'x4',
        ['cup'],
        [
          decided(
            'cup',
            box('human', [
              [0, 0],
              [1, 1],
            ]),
            'bob',
          ),
        ],
      ),
      sample('x1', x1, [
        decided(
          'cup',
          box('human', [
            [0, 0],
            [100, 50],
          ]),
          'bob',
        ),
        decided(
          'plate',
          box('human', [
            [0, 0],
            [100, 100],
          ]),
          'bob',
        ),
        ng('fork'),
        { text: 'napkin', status: 'pending' },
      ]),
      sample('x2', x2, [
        decided(
          'knife',
          box(
            'human',
            [
              [0, 0],
              [10, 10],
            ],
            [1000, 1000],
            1,
          ),
          'bob',
        ),
        ng('spoon'),
        decided('bowl', area('human', [[6, 6]]), 'bob'),
      ]),
    ].join('\n') + '\n',
  );
  return { a, b };
}
