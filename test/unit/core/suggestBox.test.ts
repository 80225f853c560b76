import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cycleCandidate,
  entityConfidence,
  labelsForText,
  matchDetections,
} from '../../../src/core/suggest/boxMatch';
import type { Detection } from '../../../src/core/suggest/boxMatch';

const dets: Detection[] = [
  { box: [0, 0, 10, 10], score: 0.5, label: 'person' },
  { box: [20, 0, 30, 10], score: 0.9, label: 'person' },
  { box: [0, 20, 50, 60], score: 0.8, label: 'bed' },
  { box: [5, 5, 8, 8], score: 0.7, label: 'cup' },
  { box: [40, 40, 60, 60], score: 0.6, label: 'dining table' },
];

test('people words map to person; the head noun decides, not trailing nouns', () => {
  for (const t of [
    'girl in the blue skirt',
    'the boy',
    'two children',
    'a man',
    'the woman',
    'left hand',
  ]) {
    assert.deepEqual([...labelsForText(t).keys()], ['person'], t);
  }
  assert.deepEqual([...labelsForText('the cup on the table').keys()], ['cup']);
  assert.deepEqual([...labelsForText('the dining table').keys()], ['dining table']);
  assert.deepEqual([...labelsForText('the teddy bear').keys()], ['teddy bear']);
});

test('words without a COCO class propose nothing rather than a wrong box', () => {
  assert.equal(labelsForText('the blue cloth in the bathroom').size, 0);
  assert.equal(labelsForText('a towel').size, 0);
  assert.deepEqual(matchDetections('the blue cloth in the bathroom', dets), []);
});

test('matches are best first and the cycle key wraps', () => {
  const m = matchDetections('girl in the blue skirt', dets);
  assert.deepEqual(
    m.map((c) => c.detection.score),
    [0.9, 0.5],
  );
  assert.equal(cycleCandidate(m, 0)?.detection.score, 0.9);
  assert.equal(cycleCandidate(m, 1)?.detection.score, 0.5);
  assert.equal(cycleCandidate(m, 2)?.detection.score, 0.9);
  assert.equal(cycleCandidate(m, -1)?.detection.score, 0.5);
  assert.equal(cycleCandidate([], 3), undefined);
  assert.equal(entityConfidence('the bed', dets), 0.8);
  assert.equal(entityConfidence('the lamp', dets), 0);
});
