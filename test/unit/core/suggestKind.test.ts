import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestKind } from '../../../src/core/suggest/kindSuggest';
import { headNoun } from '../../../src/core/suggest/headNoun';

test('head nouns: determiners dropped, cut at prepositions, plurals singular', () => {
  assert.equal(headNoun('the girl in the blue skirt'), 'girl');
  assert.equal(headNoun('the open floor in front of the bed'), 'floor');
  assert.equal(headNoun('the vacant section of the dark brown nightstand'), 'section');
  assert.equal(headNoun('Two children'), 'child');
  assert.equal(headNoun('the white floral wallpaper'), 'wallpaper');
  assert.equal(headNoun('the shelves'), 'shelf');
});

test('lexicon: region nouns are areas, other nouns objects', () => {
  assert.equal(suggestKind('the open floor in front of the bed').kind, 'area');
  assert.equal(suggestKind('the vacant section of the dark brown nightstand').kind, 'area');
  assert.equal(suggestKind('top of the dresser').kind, 'area');
  assert.equal(suggestKind('the empty space on the table').kind, 'area');
  assert.equal(suggestKind('the blue cloth in the bathroom').kind, 'object');
  assert.equal(suggestKind('girl in the blue skirt').kind, 'object');
  assert.equal(suggestKind('girl in the blue skirt').reason, 'lexicon');
});

test('corrections learned from the dataset override the lexicon by head noun', () => {
  const history = [
    { text: 'the white floral wallpaper', kind: 'area' as const },
    { text: 'striped wallpapers', kind: 'area' as const },
    { text: 'the wallpaper border', kind: 'object' as const },
  ];
  const s = suggestKind('the wallpaper behind the bed', history);
  assert.equal(s.kind, 'area');
  assert.equal(s.reason, 'learned');
  assert.ok(Math.abs(s.confidence - 1) < 1e-9, 'the border example has another head noun');
  const floor = suggestKind('the floor', [{ text: 'wooden floor', kind: 'object' }]);
  assert.equal(floor.kind, 'object');
});

test('a tie between learned kinds goes to the most recent choice', () => {
  const s = suggestKind('a rug', [
    { text: 'the rug', kind: 'area' },
    { text: 'red rug', kind: 'object' },
  ]);
  assert.equal(s.kind, 'object');
  assert.equal(s.confidence, 0.5);
});
