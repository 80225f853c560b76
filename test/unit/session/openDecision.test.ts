import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinLines, splitLines } from '../../../src/core/dataset';
import { chooseOpenedDocument } from '../../../src/session/createSession';
import { EditorSession } from '../../../src/session/editorSession';
import { TEXT, fakeMedia } from './sessionHelpers';

function sessionFor(opened: ReturnType<typeof chooseOpenedDocument>): EditorSession {
  return new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: opened.doc,
    ...(opened.base ? { base: opened.base } : {}),
    mode: 'vscode',
    media: fakeMedia,
    log: () => undefined,
  });
}

test('reload after a save: the backup is gone, so the file opens, clean', () => {
  const file = splitLines(TEXT);
  // VS Code deletes the backup after Ctrl+S; the provider reads nothing and passes undefined.
  const opened = chooseOpenedDocument(file, undefined);
  assert.equal(opened.doc, file);
  assert.equal(opened.base, undefined);
  const session = sessionFor(opened);
  assert.equal(session.state.dirty, false, 'no "save changes?" for changes that do not exist');
  assert.equal(joinLines(session.doc), TEXT);
});

test('a backup equal to the file opens clean', () => {
  const file = splitLines(TEXT);
  const opened = chooseOpenedDocument(file, splitLines(TEXT));
  assert.equal(opened.base, undefined);
  assert.equal(sessionFor(opened).state.dirty, false);
});

test('a backup that differs from the file opens dirty, its base the file', async () => {
  const file = splitLines(TEXT);
  const backup = splitLines(TEXT.replace('is clear', 'is wet'));
  const opened = chooseOpenedDocument(file, backup);
  assert.equal(opened.doc, backup);
  assert.equal(opened.base, file);
  const session = sessionFor(opened);
  assert.equal(session.state.dirty, true);
  // The file is the base of disk merges: the same file on disk changes nothing.
  assert.equal(session.diskChanged(file).kind, 'same');
  assert.match(joinLines(session.doc), /is wet/);
});
