import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { Op } from '../../../src/core/ops';
import { EditorSession } from '../../../src/session/editorSession';
import { readSample, isProblem } from '../../../src/core/sample';
import { TEXT, fakeMedia, makeSession } from './sessionHelpers';

/** Line 0 entity 0 (an imported proposal) accepted, or line 1 entity 0 marked not groundable. */
function entityOp(raw: string, line: number, what: 'accept' | 'notGroundable'): Op {
  const s = readSample(raw, line);
  if (isProblem(s)) throw new Error(s.message);
  assert.ok(s.state.entities[0]);
  const ref = { line, id: s.fields.id, entity: 0 };
  return what === 'accept'
    ? { type: 'entity/accept', ...ref, size: [1920, 1080] }
    : { type: 'entity/notGroundable', ...ref };
}

test('an edit changes only its line; undo gives back the bytes, redo re-applies', () => {
  const { session } = makeSession();
  const before = joinLines(session.doc);
  session.edit(entityOp(session.doc.lines[1]!.raw, 1, 'notGroundable'), 'not groundable');
  const after = joinLines(session.doc);
  assert.notEqual(after, before);
  assert.equal(session.doc.lines[0]!.raw, splitLines(TEXT).lines[0]!.raw);
  assert.equal(session.doc.lines[2]!.raw, 'not json at all');
  assert.ok(session.state.dirty && session.state.canUndo);
  assert.ok(session.undo());
  assert.equal(joinLines(session.doc), before);
  assert.equal(session.state.dirty, false);
  assert.ok(session.redo());
  assert.equal(joinLines(session.doc), after);
  assert.equal(session.redo(), false);
});

test('a stale op (wrong id) throws and leaves the document unchanged', () => {
  const { session } = makeSession();
  const before = joinLines(session.doc);
  const op = { ...entityOp(session.doc.lines[1]!.raw, 1, 'notGroundable'), id: 'zzz' };
  assert.throws(() => session.edit(op, 'bad'));
  assert.equal(joinLines(session.doc), before);
  assert.equal(session.state.canUndo, false);
});

test('save is atomic and byte-identical for untouched lines; backup and restore keep unsaved work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-session-'));
  const path = join(dir, 'd.cop.jsonl');
  writeFileSync(path, TEXT);
  const { session } = makeSession(TEXT, path);
  session.edit(entityOp(session.doc.lines[0]!.raw, 0, 'accept'), 'accept');
  const backup = join(dir, 'backup');
  await session.backup(backup);
  assert.equal(readFileSync(path, 'utf8'), TEXT, 'backup does not touch the file');
  const restored = new EditorSession({
    path,
    doc: splitLines(readFileSync(backup, 'utf8')),
    mode: 'serve',
    media: fakeMedia,
    log: () => {},
    base: splitLines(TEXT),
  });
  assert.equal(restored.state.dirty, true);
  assert.equal(joinLines(restored.doc), joinLines(session.doc));
  await session.save();
  assert.equal(session.state.dirty, false);
  const saved = readFileSync(path, 'utf8').split('\n');
  const orig = TEXT.split('\n');
  assert.notEqual(saved[0], orig[0]);
  assert.deepEqual(saved.slice(1), orig.slice(1));
  const state = readSample(saved[0]!, 0);
  assert.ok(!isProblem(state), 'the saved line still reads as a sample');
  assert.equal(state.state.entities[0]?.status, 'accepted');
  assert.equal(state.state.entities[0]?.grounding?.source, 'import');
  assert.ok(saved[0]!.startsWith(orig[0]!.slice(0, -1)), 'only the groundwork key is added');
});

test('a change on disk: reload when clean, merge on other lines, conflict on the same line', () => {
  const { session } = makeSession();
  const disk1 = splitLines(TEXT.replace('"The [floor] is clear."', '"The [floor] is wet."'));
  assert.equal(session.diskChanged(disk1).kind, 'reload');
  assert.match(session.doc.lines[1]!.raw, /wet/);
  session.edit(entityOp(session.doc.lines[0]!.raw, 0, 'accept'), 'accept');
  const disk2 = splitLines(joinLines(disk1).replace('"id":"b"', '"id":"b","extra":1'));
  const merged = session.diskChanged(disk2);
  assert.equal(merged.kind, 'merged');
  assert.match(session.doc.lines[1]!.raw, /"extra":1/);
  assert.match(session.doc.lines[0]!.raw, /"accepted"/);
  assert.equal(session.state.dirty, true);
  const disk3 = splitLines(joinLines(disk2).replace('"id": "a"', '"id": "a", "x": 2'));
  const c = session.diskChanged(disk3);
  assert.equal(c.kind, 'conflict');
  assert.match(session.doc.lines[0]!.raw, /"accepted"/, 'a conflict changes nothing');
  assert.equal(session.diskChanged(disk2).kind, 'same');
});
