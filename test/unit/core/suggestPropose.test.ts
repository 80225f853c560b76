import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayPropose, proposalVerdict } from '../../../src/core/rules/proposalRule';
import type { FrameFindings } from '../../../src/core/suggest/frameFindings';
import { kindHistory, proposeEntity } from '../../../src/core/suggest/proposeEntity';
import {
  boxKey,
  candidateProposal,
  chooseCandidate,
  rankCandidates,
  takenBoxes,
} from '../../../src/core/suggest/rankCandidates';

const frames: FrameFindings[] = [
  { size: [960, 540], sharpness: 100, detections: [] },
  {
    size: [960, 540],
    sharpness: 80,
    detections: [
      { box: [300, 0, 500, 400], score: 0.9, label: 'person' },
      { box: [150, 130, 300, 400], score: 0.7, label: 'person' },
    ],
  },
];

test('objects get the frame where the detector sees them and the best box', () => {
  const p = proposeEntity('girl in the blue skirt', [], frames, 'yolox-nano');
  assert.equal(p.kind, 'object');
  assert.equal(p.frame, 1);
  assert.deepEqual(p.proposal?.points, [
    [300, 0],
    [500, 400],
  ]);
  assert.equal(p.proposal?.source, 'model:yolox-nano');
  assert.deepEqual(p.proposal?.size, [960, 540]);
});

test('a second entity of the same class gets the next box, not the same one', () => {
  const taken = new Set<string>();
  const a = proposeEntity('the girl', [], frames, 'm', taken);
  const b = proposeEntity('the boy', [], frames, 'm', taken);
  assert.notDeepEqual(a.proposal?.points, b.proposal?.points);
  assert.deepEqual(b.proposal?.points, [
    [150, 130],
    [300, 400],
  ]);
  const c = proposeEntity('a child', [], frames, 'm', taken);
  assert.equal(c.proposal, undefined);
  assert.match(c.reason ?? '', /every matching box is already proposed for another entity/);
});

test('areas and unmatched texts get a kind and a frame but no geometry, with the reason', () => {
  const area = proposeEntity('open floor in front of the bed', [], frames, 'm');
  assert.equal(area.kind, 'area');
  assert.equal(area.frame, 0, 'the sharpest frame when the detector says nothing');
  assert.match(area.reason ?? '', /SAM/);
  assert.match(proposeEntity('blue cloth', [], frames, 'm').reason ?? '', /no detection/);
});

test('human work and imported outputs are never overwritten; model proposals refresh', () => {
  const g = {
    tag: 'object' as const,
    frame: 0,
    points: [
      [0, 0],
      [1, 1],
    ] as const,
    size: [10, 10] as const,
  };
  assert.equal(mayPropose({ text: 'a', status: 'pending' }), true);
  assert.equal(
    mayPropose({ text: 'a', status: 'accepted', grounding: { ...g, source: 'human' } }),
    false,
  );
  assert.equal(mayPropose({ text: 'a', status: 'not_groundable' }), false);
  // A person's click replaces an imported proposal; it never replaces a grounding.
  assert.deepEqual(
    proposalVerdict(
      { text: 'a', status: 'proposed', proposal: { ...g, source: 'import' } },
      'click',
    ),
    { allowed: true },
  );
  assert.deepEqual(
    proposalVerdict(
      { text: 'a', status: 'accepted', grounding: { ...g, source: 'human' } },
      'click',
    ),
    { allowed: false, reason: 'kept the human grounding' },
  );
  assert.equal(
    mayPropose({ text: 'a', status: 'proposed', proposal: { ...g, source: 'import' } }),
    false,
  );
  assert.equal(
    mayPropose({ text: 'a', status: 'proposed', proposal: { ...g, source: 'model:yolox-nano' } }),
    true,
  );
  assert.deepEqual(
    kindHistory([
      {
        entities: [
          { text: 'rug', status: 'accepted', kind: 'area' },
          { text: 'x', status: 'proposed', kind: 'object' },
        ],
      },
    ]),
    [{ text: 'rug', kind: 'area' }],
  );
});

test("the pipeline ranks, clamps, dedupes by whole pixels and keeps a person's kind", () => {
  const noisy: FrameFindings[] = [
    {
      size: [960, 540],
      sharpness: 10,
      detections: [
        { box: [300.4, 0.2, 500, 400], score: 1.7, label: 'person' },
        { box: [10, 10, 50, 50], score: 0.3, label: 'cup' },
      ],
    },
  ];
  const r = rankCandidates('the girl', [], noisy);
  assert.equal(r.candidates[0]?.score, 1, 'scores are clamped to 0..1');
  assert.deepEqual(
    r.candidates.map((c) => [c.kind, c.frame, c.label]),
    [['object', 0, 'person']],
  );
  // Another entity holding the same box (a re-scaled copy of it) takes it out.
  const held = takenBoxes(
    [{ text: 'x', status: 'proposed', proposal: candidateProposal(r, 0, 'm')! }],
    1,
  );
  assert.ok(held.has(boxKey(0, [300, 0, 500, 400])));
  assert.equal(chooseCandidate(r, held), -1);
  assert.equal(chooseCandidate(r, new Set()), 0);
  // The person chose area for a detectable text: no box, the SAM message.
  const own = rankCandidates('the girl', [], noisy, 'area');
  assert.equal(own.kind, 'area');
  assert.deepEqual(own.candidates, []);
  assert.match(own.reason ?? '', /area: points need a model click \(SAM\)/);
});
