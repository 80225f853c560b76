/**
 * Issue 10 item 16: grounding tags that do not directly follow a bracketed entity (RynnBrain
 * writes trajectories and affordances inline) are items a person verifies, counted by
 * validation, and exported in place; no grounding of the input disappears from an export
 * unless a person marked it not groundable.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { formatCop, parseCop } from '../../../src/core/chainOfPoint';
import type { CopGrounding } from '../../../src/core/chainOfPoint';
import { traceSegments, traceText } from '../../../src/core/export/trace';
import type { EntityState, Grounding, SampleState } from '../../../src/core/model';
import { validateSample } from '../../../src/core/validate';
import { view } from './rynnbrainFixtures';

const TRAJ =
  'the cup moves along <trajectory> <frame 3>: ; (120, 410), (260, 300), (700, 290) </trajectory> to the [tray]';
const AFF = 'Grip <affordance> <frame 2>: (412, 388) </affordance> of the [spoon]';

function line(reasoning: string, state?: SampleState): string {
  return JSON.stringify({
    id: 's',
    frames: ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'],
    reasoning,
    answer: 'ok',
    ...(state ? { groundwork: state } : {}),
  });
}

function decide(reasoning: string, pick: (e: EntityState, i: number) => EntityState): string {
  const s = view(line(reasoning));
  return line(reasoning, { status: 'approved', entities: s.state.entities.map(pick) });
}

const accept = (e: EntityState): EntityState =>
  e.proposal
    ? { ...e, status: 'accepted', grounding: e.proposal }
    : { ...e, status: 'not_groundable' };

test('standalone: both examples of the issue become items anchored at their tags', () => {
  const t = view(line(TRAJ));
  assert.deepEqual(
    t.extraction.entities.map((e) => [e.text, e.start, e.standalone ?? false]),
    [
      ['trajectory: cup moves along … to the tray', TRAJ.indexOf('<trajectory>'), true],
      ['tray', TRAJ.indexOf('[tray]'), false],
    ],
  );
  assert.equal(t.state.entities[0]?.status, 'proposed');
  assert.deepEqual(t.state.entities[0]?.proposal?.points, [
    [120, 410],
    [260, 300],
    [700, 290],
  ]);
  const a = view(line(AFF));
  assert.equal(a.state.entities[0]?.text, 'affordance: Grip … of the spoon');
  assert.equal(a.state.entities[0]?.proposal?.frame, 2);
});

test('standalone: exported in place when verified, removed only when not groundable', () => {
  const ok = view(decide(TRAJ, accept));
  assert.equal(
    traceText(ok),
    'the cup moves along <trajectory> <frame 3>: (120, 410), (260, 300), (700, 290) </trajectory> to the tray',
  );
  const no = view(decide(TRAJ, (e) => ({ ...e, status: 'not_groundable' })));
  assert.equal(traceText(no), 'the cup moves along to the tray');
  assert.equal(
    traceText(view(decide(AFF, accept))),
    'Grip <affordance> <frame 2>: (412, 388) </affordance> of the spoon',
  );
});

test('standalone: with interleaved images, the image goes right after its <frame n>:', () => {
  const segs = traceSegments(view(decide(AFF, accept)), { interleaveImages: true });
  assert.deepEqual(segs, [
    { type: 'text', text: 'Grip <affordance> <frame 2>:' },
    { type: 'image', frame: 2 },
    { type: 'text', text: '; (412, 388) </affordance> of the spoon' },
  ]);
});

test('standalone: validation counts an unverified one, naming it', () => {
  const s = view(line(TRAJ));
  const issues = validateSample(s, { frameCount: 4 }, { requireGrounded: true });
  const names = issues.filter((i) => i.code === 'not-grounded').map((i) => i.message);
  assert.equal(names.length, 2);
  assert.match(
    names[0] ?? '',
    /entity 0 "trajectory: cup moves along … to the tray": entity is not grounded \(status proposed\)/,
  );
  const frameOut = view(line('go <affordance> <frame 9>: (1, 1) </affordance> now'));
  assert.match(
    validateSample(frameOut, { frameCount: 4 })
      .map((i) => i.message)
      .join('\n'),
    /proposal: frame index 9 is out of range: the frame list has 4 frames/,
  );
});

// Random reasonings: words, bracketed entities with or without a tag, and standalone tags.
const word = fc.constantFrom('the', 'cup', 'moves', 'along', 'to', 'grip', 'of', 'then');
const point = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }));
const grounding: fc.Arbitrary<CopGrounding> = fc.oneof(
  fc.record({
    tag: fc.constant('affordance' as const),
    frame: fc.nat(3),
    points: fc.array(point, { minLength: 1, maxLength: 1 }),
  }),
  fc.record({
    tag: fc.constant('trajectory' as const),
    frame: fc.nat(3),
    points: fc.array(point, { minLength: 2, maxLength: 5 }),
  }),
);
const piece = fc.oneof(
  word,
  fc
    .tuple(fc.constantFrom('tray', 'spoon', 'sink', 'mug'), fc.option(grounding))
    .map(([w, g]) => (g ? `[${w}] ${formatCop(g)}` : `[${w}]`)),
  grounding.map((g) => formatCop(g).replace(': ', ': ; ')),
);
const decision = fc.constantFrom('accept', 'edit', 'not_groundable');

test('property: no grounding of the input disappears from an export unless marked not groundable', () => {
  fc.assert(
    fc.property(
      fc.array(piece, { minLength: 1, maxLength: 12 }),
      fc.array(decision, { minLength: 30, maxLength: 30 }),
      (pieces, choices) => {
        // Unique entity names keep the test about groundings, not about duplicate warnings.
        let n = 0;
        const reasoning = pieces.join(' ').replace(/\[(\w+)\]/g, (_, w: string) => `[${w}${n++}]`);
        const s = view(line(reasoning));
        const edited: Grounding = {
          tag: 'area',
          frame: 1,
          points: [[7, 7]],
          size: [1000, 1000],
          source: 'human',
        };
        const expected: string[] = [];
        const entities = s.state.entities.map((e, i): EntityState => {
          const c = choices[i] ?? 'accept';
          if (c === 'not_groundable' || (!e.proposal && c === 'accept'))
            return { ...e, status: 'not_groundable' };
          const g = c === 'edit' ? edited : (e.proposal as Grounding);
          expected.push(formatCop({ tag: g.tag, frame: g.frame, points: g.points }));
          return { ...e, status: c === 'edit' ? 'edited' : 'accepted', grounding: g };
        });
        const out = view(line(reasoning, { status: 'approved', entities }));
        const inTrace = parseCop(traceText(out)).groundings.map((g) => formatCop(g));
        assert.deepEqual(inTrace, expected);
        // And every input tag is an item: none was left out of the entity list.
        const items = s.extraction.entities.filter((e) => e.proposal).length;
        assert.equal(items, parseCop(reasoning).groundings.length);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: with proposals on, an unverified export keeps every input grounding', () => {
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
      let n = 0;
      const reasoning = pieces.join(' ').replace(/\[(\w+)\]/g, (_, w: string) => `[${w}${n++}]`);
      const s = view(line(reasoning));
      const before = parseCop(reasoning).groundings.map((g) => formatCop(g));
      const after = parseCop(traceText(s, { useProposals: true })).groundings.map((g) =>
        formatCop(g),
      );
      assert.deepEqual(after, before);
    }),
    { numRuns: 300 },
  );
});
