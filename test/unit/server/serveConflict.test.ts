/**
 * Issue 10 item 9, the choice on a clash: another program changes a line the session also
 * edited. serve offers the clash to every page (`document/conflict/didChange`, also to a
 * page that connects later) with two choices. Reload from disk gives the file's version
 * and clears the undo history; Keep mine lets the next save write ours there, their other
 * lines merged. Keep mine holds for the clash seen only: a later change there asks again.
 * Untouched lines stay byte-identical; nothing is written over a change not seen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, serveSkipReason } from './serveProcess';
import type { TestSocket } from './serveProcess';
import { ORIGINAL, conflictNotes, reasoning, until, withServe } from './watchFixture';

const THEIRS = ORIGINAL.replace('A [pan].', 'A [pot].').replace('A [lid].', 'A [top].');
const linesOf = (text: string): string[] => text.split('\n');

/** Edits line 2 (pan -> wok), writes THEIRS, waits for the clash offered on line 2. */
async function clash(s: TestSocket, path: string): Promise<void> {
  assert.equal((await reasoning(s, 1, 'b', 'wok')).type, 'reply/ok');
  writeFileSync(path, THEIRS);
  await until('the clash offered', () => conflictNotes(s).some((c) => c.lines.includes(1)));
  const offered = conflictNotes(s).at(-1);
  assert.deepEqual(offered?.lines, [1]);
  assert.match(offered?.message ?? '', /changed on disk on line\(s\) 2 that you also edited/);
  assert.match(offered?.message ?? '', /Reload from disk drops your unsaved edits/);
  assert.match(offered?.message ?? '', /Keep mine writes your version over that change/);
}

const resolve = (s: TestSocket, choice: string): ReturnType<TestSocket['request']> =>
  s.request({ type: 'document/conflict/resolve', choice });

test(
  'Keep mine: the save writes ours on the clashing line, their other line merged',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      await clash(s, path);
      const refused = await s.request({ type: 'document/save' });
      assert.equal(refused.type, 'reply/error');
      assert.match(refused.message ?? '', /Choose "Reload from disk" or "Keep mine"/);
      assert.equal(readFileSync(path, 'utf8'), THEIRS, 'the refused save wrote nothing');

      const kept = await resolve(s, 'keep');
      assert.equal(kept.type, 'reply/ok', JSON.stringify(kept));
      await until('the clash closed', () => conflictNotes(s).at(-1)?.message === '');
      assert.ok(
        s.notes.some((n) => /the next save overwrites the change on disk/.test(n.message ?? '')),
        'the notice says the change on disk will be overwritten',
      );
      assert.equal(readFileSync(path, 'utf8'), THEIRS, 'Keep mine alone writes nothing');

      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = linesOf(readFileSync(path, 'utf8'));
      const original = linesOf(ORIGINAL);
      assert.equal(text.length, original.length);
      assert.equal(text[0], original[0], 'the untouched line is byte-identical');
      assert.match(text[1] ?? '', /A \[wok\]\./, 'ours on the clashing line, as chosen');
      assert.equal(text[2], linesOf(THEIRS)[2], 'their other line, byte for byte');
    });
  },
);

test(
  'Reload from disk: the file as it is, our edits dropped, history cleared, saves keep it',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      await clash(s, path);
      const reloaded = await resolve(s, 'reload');
      assert.equal(reloaded.type, 'reply/ok', JSON.stringify(reloaded));
      assert.deepEqual(
        { ...(reloaded.result as object), version: 0 },
        { version: 0, dirty: false, canUndo: false, canRedo: false },
      );
      await until('the clash closed', () => conflictNotes(s).at(-1)?.message === '');
      assert.ok(
        s.notes.some((n) =>
          /reloaded from disk: your unsaved edits were dropped/.test(n.message ?? ''),
        ),
      );
      const undo = await s.request({ type: 'document/undo' });
      assert.equal(undo.type, 'reply/ok');
      assert.equal((undo.result as { dirty: boolean }).dirty, false, 'nothing to undo');

      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      assert.equal(readFileSync(path, 'utf8'), THEIRS, 'the file is exactly the disk version');
      const snap = await s.request({ type: 'sample/open', line: 1 });
      assert.match(
        JSON.stringify(snap.result),
        /A \[pot\]\./,
        'the session shows the disk version',
      );
    });
  },
);

test(
  'Keep mine holds for the clash seen: a new change on that line is offered again',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      await clash(s, path);
      assert.equal((await resolve(s, 'keep')).type, 'reply/ok');
      await until('the clash closed', () => conflictNotes(s).at(-1)?.message === '');
      const again = THEIRS.replace('A [pot].', 'A [pit].');
      writeFileSync(path, again);
      await until('the new clash', () => conflictNotes(s).at(-1)?.lines.includes(1) === true);
      const refused = await s.request({ type: 'document/save' });
      assert.equal(refused.type, 'reply/error', JSON.stringify(refused));
      assert.equal(readFileSync(path, 'utf8'), again, 'the new change was not overwritten');
    });
  },
);

test(
  'a page that connects during a clash is offered it; a bad choice is refused',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      await clash(s, path);
      const url = new URL(s.ws.url);
      const [, token] = url.pathname.split('/');
      const late = await connect({ port: Number(url.port), token: token ?? '' });
      try {
        late.send({ type: 'webview/ready' });
        await until('the clash on the new page', () =>
          conflictNotes(late).some((c) => c.lines.includes(1)),
        );
        const bad = await resolve(late, 'both');
        assert.equal(bad.type, 'reply/error');
        assert.equal(bad.code, 'invalid');
        assert.equal(readFileSync(path, 'utf8'), THEIRS);
        // Undoing our edit there ends the clash without a choice, on every page.
        await s.request({ type: 'document/undo' });
        await until('the clash closed', () => conflictNotes(late).at(-1)?.message === '');
        const stale = await resolve(late, 'keep');
        assert.equal(stale.type, 'reply/error', 'a stale Keep mine arms nothing');
        assert.match(stale.message ?? '', /no clash with d\.cop\.jsonl on disk is open now/);
      } finally {
        late.close();
      }
    });
  },
);

test(
  'Reload from disk with no clash open is refused: the unsaved edit stays and saves',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      const refused = await resolve(s, 'reload');
      assert.equal(refused.type, 'reply/error', JSON.stringify(refused));
      assert.match(refused.message ?? '', /no clash .* is open now; nothing was changed/);
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      assert.match(readFileSync(path, 'utf8'), /A \[mug\]\./, 'the edit was not dropped');
    });
  },
);
