import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatCop, parseCop } from '../../../src/core/chainOfPoint';
import type { CopGrounding } from '../../../src/core/chainOfPoint';
import { GROUNDING_TAGS } from '../../../src/core/model';

const strip = (r: ReturnType<typeof parseCop>) =>
  r.groundings.map(({ tag, frame, points }) => ({ tag, frame, points }));

// Verbatim RynnBrain cookbook outputs (../shared/assets/README.md).
test('golden: real RynnBrain object output', () => {
  const r = parseCop('a [blue cloth] <object>  <frame 7>:; (644, 0), (1000, 738) </object> hangs');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(strip(r), [
    {
      tag: 'object',
      frame: 7,
      points: [
        [644, 0],
        [1000, 738],
      ],
    },
  ]);
  assert.equal(
    formatCop(strip(r)[0] as CopGrounding),
    '<object> <frame 7>: (644, 0), (1000, 738) </object>',
  );
});

test('golden: real RynnBrain area output', () => {
  const text =
    '<area> <frame 5>: ; (328, 812), (308, 817), (314, 817), (316, 818), (323, 814) </area>';
  const r = parseCop(text);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(strip(r), [
    {
      tag: 'area',
      frame: 5,
      points: [
        [328, 812],
        [308, 817],
        [314, 817],
        [316, 818],
        [323, 814],
      ],
    },
  ]);
  assert.equal(
    formatCop(strip(r)[0] as CopGrounding),
    '<area> <frame 5>: (328, 812), (308, 817), (314, 817), (316, 818), (323, 814) </area>',
  );
});

const variants: [string, CopGrounding][] = [
  [
    '<frame53> without a space: <object><frame53>: (1, 2), (3, 4)</object>',
    {
      tag: 'object',
      frame: 53,
      points: [
        [1, 2],
        [3, 4],
      ],
    },
  ],
  [
    '<object><frame 3>, (1, 2), (3, 4)</object>',
    {
      tag: 'object',
      frame: 3,
      points: [
        [1, 2],
        [3, 4],
      ],
    },
  ],
  [
    '<traj> <frame 2>: (1, 1), (5, 5), (9, 9) </traj>',
    {
      tag: 'trajectory',
      frame: 2,
      points: [
        [1, 1],
        [5, 5],
        [9, 9],
      ],
    },
  ],
  [
    '<trajectory> <frame 2>: (1, 1), (5, 5) </traj>',
    {
      tag: 'trajectory',
      frame: 2,
      points: [
        [1, 1],
        [5, 5],
      ],
    },
  ],
  [
    '<affordance>\n  <frame 0> :\n (500,  500)\n</affordance>',
    { tag: 'affordance', frame: 0, points: [[500, 500]] },
  ],
  [
    '<grasp_pose> <frame 1>: (1, 2), (3, 4), (5, 6), (7, 8) </grasp_pose>',
    {
      tag: 'grasp_pose',
      frame: 1,
      points: [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ],
    },
  ],
  ['<area> <frame 4>: <image>; (10, 20) </area>', { tag: 'area', frame: 4, points: [[10, 20]] }],
  [
    '<object> <frame 4>: <|vision_start|><|image_pad|><|vision_end|>; (1, 2), (3, 4) </object>',
    {
      tag: 'object',
      frame: 4,
      points: [
        [1, 2],
        [3, 4],
      ],
    },
  ],
  [
    '<OBJECT> <Frame 9>: (1, 2); (3, 4) </OBJECT>',
    {
      tag: 'object',
      frame: 9,
      points: [
        [1, 2],
        [3, 4],
      ],
    },
  ],
];
for (const [text, want] of variants) {
  test(`variant accepted: ${JSON.stringify(text).slice(0, 60)}`, () => {
    const r = parseCop(text);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(strip(r), [want]);
  });
}

const bad: [string, RegExp, number][] = [
  ['x <box> <frame 1>: (1, 2) </box>', /unknown grounding tag <box>/, 2],
  ['x <object> <frame 1>: (1, 2), (3, 4)', /unclosed <object>/, 2],
  ['<area> <frame 1>: (1x, 2) </area>', /bad number "1x" for x/, 18],
  ['<area> (1, 2) </area>', /must be followed by <frame n>/, 7],
  ['<area> <frame 1>: (1, 2) </object>', /<area> closed by <\/object>/, 25],
  ['text </object> more', /<\/object> without a matching opening tag/, 5],
];
for (const [text, re, offset] of bad) {
  test(`reported, not thrown: ${text}`, () => {
    const r = parseCop(text);
    assert.equal(r.groundings.length, 0);
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
    assert.match(r.errors[0]!.message, re);
    assert.equal(r.errors[0]!.offset, offset);
  });
}

test('parser never throws on arbitrary text', () => {
  fc.assert(
    fc.property(
      fc.string({
        unit: fc.constantFrom(
          '<',
          '>',
          '/',
          '(',
          ')',
          ',',
          ';',
          ':',
          ' ',
          '1',
          'a',
          'object',
          'frame',
          'area',
          '\n',
        ),
      }),
      (s) => {
        const r = parseCop(s);
        return Array.isArray(r.groundings) && Array.isArray(r.errors);
      },
    ),
  );
});

const arbGrounding: fc.Arbitrary<CopGrounding> = fc.constantFrom(...GROUNDING_TAGS).chain((tag) => {
  const coord = fc.integer({ min: 0, max: 1000 });
  const pt = fc.tuple(coord, coord);
  const n = {
    object: [2, 2],
    area: [1, 8],
    affordance: [1, 1],
    trajectory: [2, 10],
    grasp_pose: [4, 4],
  }[tag] as [number, number];
  return fc.record(
    {
      tag: fc.constant(tag),
      frame: fc.nat(500),
      points: fc.array(pt, { minLength: n[0], maxLength: n[1] }),
    },
    { noNullPrototype: true },
  );
});

test('property: parse(format(g)) == g', () => {
  fc.assert(
    fc.property(arbGrounding, (g) => {
      const r = parseCop(formatCop(g));
      assert.deepEqual(r.errors, []);
      assert.deepEqual(strip(r), [g]);
    }),
    { numRuns: 500 },
  );
});

test('property: format(parse(text)) is canonical and stable', () => {
  fc.assert(
    fc.property(
      arbGrounding,
      fc.constantFrom(' ', '  ', '\n', ''),
      fc.constantFrom(':', ':;', ': ;', ','),
      (g, ws, sep) => {
        const messy = `<${g.tag === 'trajectory' ? 'traj' : g.tag}>${ws}<frame${ws || ' '}${g.frame}>${sep}${ws}${g.points.map(([x, y]) => `(${x},${ws}${y})`).join(`,${ws}`)}${ws}</${g.tag}>`;
        const once = formatCop(strip(parseCop(messy))[0] as CopGrounding);
        assert.equal(once, formatCop(g));
        assert.equal(formatCop(strip(parseCop(once))[0] as CopGrounding), once);
      },
    ),
    { numRuns: 300 },
  );
});
