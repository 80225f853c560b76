import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Op } from '../../../src/core/ops';
import { DEFAULT_HISTORY_LIMITS, EditHistory } from '../../../src/session/editHistory';

const raw = (line: number, text: string): Op => ({ type: 'line/raw', line, raw: text });

test('the undo history keeps at most maxEntries steps, dropping the oldest', () => {
  const h = new EditHistory({ maxEntries: 3, maxBytes: 1e9 });
  for (let i = 0; i < 10; i++) h.push(`e${i}`, raw(0, `a${i}`), raw(0, `b${i}`));
  assert.equal(h.size.entries, 3);
  const labels: string[] = [];
  for (let e = h.popUndo(); e; e = h.popUndo()) labels.push(e.label);
  assert.deepEqual(labels, ['e9', 'e8', 'e7']);
  assert.equal(h.canUndo, false);
  assert.equal(h.dirty, true, 'the state below the kept steps is still not the saved one');
});

test('the undo history keeps at most maxBytes of ops, but always the newest step', () => {
  const h = new EditHistory({ maxEntries: 1000, maxBytes: 10_000 });
  for (let i = 0; i < 100; i++) h.push('big', raw(0, 'x'.repeat(1000)), raw(0, 'y'.repeat(1000)));
  assert.ok(h.size.bytes <= 10_000, `${h.size.bytes} bytes kept`);
  assert.ok(h.size.entries >= 4 && h.size.entries < 10, `${h.size.entries} entries kept`);
  h.push('huge', raw(0, 'z'.repeat(50_000)), raw(0, 'w'));
  assert.equal(h.size.entries, 1);
  assert.equal(h.popUndo()?.label, 'huge');
});

test('the default limits bound the history of a 60,000-edit session', () => {
  const h = new EditHistory();
  const line = 'q'.repeat(2000);
  for (let i = 0; i < 60_000; i++) h.push('edit', raw(i % 50, `${line}${i}`), raw(i % 50, line));
  assert.ok(h.size.entries <= DEFAULT_HISTORY_LIMITS.maxEntries);
  assert.ok(h.size.bytes <= DEFAULT_HISTORY_LIMITS.maxBytes);
});

test('dirty stays a comparison with the saved state across drops, undo and redo', () => {
  // Model: a counter of the state number; saved is a state number or "none".
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('push', 'undo', 'redo', 'save'), { maxLength: 60 }),
      (steps) => {
        const h = new EditHistory({ maxEntries: 4, maxBytes: 1e9 });
        const states: number[] = [0];
        let at = 0;
        let next = 1;
        let saved = 0;
        let floor = 0;
        for (const s of steps) {
          if (s === 'push') {
            h.push('e', raw(0, 'a'), raw(0, 'b'));
            states.length = at + 1;
            states.push(next++);
            at++;
            floor = Math.max(floor, at - 4);
          } else if (s === 'undo') {
            if (h.popUndo()) at--;
            assert.ok(at >= floor);
          } else if (s === 'redo') {
            if (h.popRedo()) at++;
          } else {
            h.markSaved();
            saved = states[at] as number;
          }
          assert.equal(h.dirty, states[at] !== saved);
        }
      },
    ),
  );
});
