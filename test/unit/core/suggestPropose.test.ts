import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindHistory, mayPropose, proposeEntity } from '../../../src/core/suggest/proposeEntity';
import type { FrameFindings } from '../../../src/core/suggest/proposeEntity';

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
  assert.equal(mayPropose({ text: 'a', status: 'rejected' }), false);
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
