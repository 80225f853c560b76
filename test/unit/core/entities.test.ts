import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractEntities } from '../../../src/core/entities';

test('entities: spans, and a grounding tag right after a span becomes its proposal', () => {
  const r = extractEntities(
    'a [blue cloth] <object>  <frame 7>:; (644, 0), (1000, 738) </object> hangs above the [floor].',
  );
  assert.deepEqual(
    r.entities.map((e) => e.text),
    ['blue cloth', 'floor'],
  );
  assert.equal(r.entities[0]!.proposal?.tag, 'object');
  assert.deepEqual(r.entities[0]!.proposal?.points, [
    [644, 0],
    [1000, 738],
  ]);
  assert.equal(r.entities[1]!.proposal, undefined);
  assert.deepEqual(r.issues, []);
});

test('entities: a tag that does not directly follow a span is no proposal', () => {
  const r = extractEntities('a [cup], then <object> <frame 1>: (1, 2), (3, 4) </object>');
  assert.equal(r.entities[0]!.proposal, undefined);
  assert.equal(r.groundings.length, 1);
});

test('entities: duplicates are kept and reported', () => {
  const r = extractEntities('[bed] and another [Bed]');
  assert.equal(r.entities.length, 2);
  assert.equal(r.issues.length, 1);
  assert.match(r.issues[0]!.message, /duplicate entity "Bed" \(also at offset 0\)/);
  assert.equal(r.issues[0]!.offset, 18);
});

test('entities: unbalanced brackets are reported with offsets', () => {
  const r = extractEntities('a ] b [c] d [e');
  assert.deepEqual(
    r.entities.map((e) => e.text),
    ['c'],
  );
  assert.deepEqual(
    r.issues.map((i) => [i.offset, i.message]),
    [
      [2, 'unbalanced "]" with no "[" before it'],
      [12, 'unbalanced "[" never closed; it is not an entity'],
    ],
  );
});

test('entities: nested brackets give the outer span and a report', () => {
  const r = extractEntities('the [cup on the [table]] here');
  assert.deepEqual(
    r.entities.map((e) => e.text),
    ['cup on the [table]'],
  );
  assert.match(r.issues[0]!.message, /nested "\[" inside the entity opened at offset 4/);
});

test('entities: brackets inside grounding tags are ignored and reported', () => {
  const r = extractEntities('[pot] <area> <frame 1>: <img [x]>; (1, 2) </area> ok');
  assert.deepEqual(
    r.entities.map((e) => e.text),
    ['pot'],
  );
  assert.ok(
    r.issues.some((i) => /inside a <area> grounding tag is ignored/.test(i.message)),
    JSON.stringify(r.issues),
  );
});

test('entities: a reasoning with no brackets has no entities and no issues', () => {
  const r = extractEntities('Nothing is marked here.');
  assert.equal(r.entities.length, 0);
  assert.equal(r.issues.length, 0);
});
