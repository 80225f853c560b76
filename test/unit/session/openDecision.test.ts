import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinLines, splitLines } from '../../../src/core/dataset';
import { chooseOpenedDocument, readOpenedDocument } from '../../../src/session/createSession';
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

test("the provider's read: a backup that ENOENTs opens the file, clean, with a log line", async () => {
  const logs: string[] = [];
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/b/123'"), {
    code: 'ENOENT',
  });
  const opened = await readOpenedDocument({
    path: '/d/d.cop.jsonl',
    readFile: async () => Buffer.from(TEXT),
    readBackup: async () => {
      throw enoent;
    },
    log: (level, m) => logs.push(`${level}: ${m}`),
  });
  assert.equal(joinLines(opened.doc), TEXT);
  assert.equal(opened.base, undefined);
  assert.equal(sessionFor(opened).state.dirty, false);
  assert.match(logs.join('\n'), /hot-exit backup is gone or unreadable, opening the file \(ENOENT/);
  // A backup that is there and differs still wins, dirty.
  const restored = await readOpenedDocument({
    path: '/d/d.cop.jsonl',
    readFile: async () => Buffer.from(TEXT),
    readBackup: async () => Buffer.from(TEXT.replace('is clear', 'is wet')),
    log: () => undefined,
  });
  assert.equal(sessionFor(restored).state.dirty, true);
  assert.match(joinLines(restored.doc), /is wet/);
  // The file itself missing is still an error: nothing to fall back to.
  await assert.rejects(
    readOpenedDocument({
      path: '/d/d.cop.jsonl',
      readFile: async () => {
        throw enoent;
      },
      log: () => undefined,
    }),
    /ENOENT/,
  );
});
