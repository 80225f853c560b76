/**
 * Issue 10 item 9: serve never overwrites a change it has not seen. Another writer changes a
 * line: a notice comes, and the next save keeps that line and ours. A change on the same
 * line as an unsaved edit is refused with the line named, the file untouched, until the
 * person chooses (serveConflict.test.ts). A change written just before a save is caught by
 * the check before writing, without waiting for the watcher. A dataset opened through a
 * symlink sees changes made to the target in its own folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { serveSkipReason } from './serveProcess';
import { ORIGINAL, conflictNotes, reasoning, until, withServe } from './watchFixture';

test(
  'another writer changes another line: a notice, and the save keeps both',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      writeFileSync(path, ORIGINAL.replace('A [lid].', 'A [top].'));
      await until('the merge notice', () =>
        s.notes.some((n) => n.type === 'notice/didPost' && /changed on disk/.test(n.message ?? '')),
      );
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[mug\]\./, 'our edit');
      assert.match(text, /A \[top\]\./, "the other writer's line");
      assert.match(text, /A \[pan\]\./);
    });
  },
);

test(
  'a change written right before the save is merged by the check before writing',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      writeFileSync(path, ORIGINAL.replace('A [pan].', 'A [pot].'));
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[mug\]\./);
      assert.match(text, /A \[pot\]\./, 'the unseen change is not overwritten');
    });
  },
);

test(
  'a change on the line we edited: every save is refused and says why, the file kept',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 1, 'b', 'wok')).type, 'reply/ok');
      const theirs = ORIGINAL.replace('A [pan].', 'A [pot].').replace('A [lid].', 'A [top].');
      writeFileSync(path, theirs);
      for (const attempt of ['first', 'second']) {
        const refused = await s.request({ type: 'document/save' });
        assert.equal(refused.type, 'reply/error', `${attempt} save`);
        assert.equal(refused.code, 'refused');
        assert.match(refused.message ?? '', /changed on disk on line\(s\) 2 that you also edited/);
        assert.match(refused.message ?? '', /saving would overwrite that change/);
        assert.match(refused.message ?? '', /Choose "Reload from disk" or "Keep mine"/);
        assert.equal(readFileSync(path, 'utf8'), theirs, 'nothing was written over their change');
      }
    });
  },
);

test(
  'a clash resolved by undoing our edit: the save keeps the file’s version',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 1, 'b', 'wok')).type, 'reply/ok');
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      const theirs = ORIGINAL.replace('A [pan].', 'A [pot].');
      writeFileSync(path, theirs);
      await until('the clash', () =>
        conflictNotes(s).some((c) => /that you also edited/.test(c.message)),
      );
      await s.request({ type: 'document/undo' });
      await s.request({ type: 'document/undo' });
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[pot\]\./, 'their line');
      assert.match(text, /A \[mug\]\./, 'our remaining edit');
    });
  },
);

test(
  'our own saves are never taken for outside changes: edit, save, edit, save in a burst',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      for (let round = 0; round < 5; round++) {
        const replies = await Promise.all([
          reasoning(s, 1, 'b', `wok${round}a`),
          s.request({ type: 'document/save' }),
          reasoning(s, 1, 'b', `wok${round}b`),
          s.request({ type: 'document/save' }),
        ]);
        for (const r of replies) assert.equal(r.type, 'reply/ok', JSON.stringify(r));
        assert.match(readFileSync(path, 'utf8'), new RegExp(`A \\[wok${round}b\\]\\.`));
        await new Promise((r) => setTimeout(r, round * 60));
      }
      assert.ok(
        !s.notes.some((n) => /changed on disk/.test(n.message ?? '')),
        JSON.stringify(s.notes.filter((n) => n.type === 'notice/didPost')),
      );
    });
  },
);

for (const how of ['written in place', 'replaced by a rename'] as const)
  test(
    `a dataset opened through a symlink: a change to the target (${how}) is seen at once`,
    { skip: serveSkipReason(), timeout: 60_000 },
    async () => {
      let target = '';
      await withServe(
        async (s, path) => {
          assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
          const theirs = ORIGINAL.replace('A [lid].', 'A [top].');
          if (how === 'written in place') writeFileSync(target, theirs);
          else {
            writeFileSync(`${target}.new`, theirs);
            renameSync(`${target}.new`, target);
          }
          // No save yet: only the watch on the target's folder can bring this notice.
          await until('the merge notice', () =>
            s.notes.some((n) => /changed on disk: 1 line\(s\) taken/.test(n.message ?? '')),
          );
          const saved = await s.request({ type: 'document/save' });
          assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
          assert.ok(lstatSync(path).isSymbolicLink(), 'the link stays a link');
          const text = readFileSync(target, 'utf8');
          assert.match(text, /A \[mug\]\./, 'our edit, written through the link');
          assert.match(text, /A \[top\]\./, "the other writer's change to the target");
        },
        (dir) => {
          mkdirSync(join(dir, 'real'));
          mkdirSync(join(dir, 'links'));
          target = join(dir, 'real', 'd.cop.jsonl');
          writeFileSync(target, ORIGINAL);
          const link = join(dir, 'links', 'd.cop.jsonl');
          symlinkSync(join('..', 'real', 'd.cop.jsonl'), link);
          return link;
        },
      );
    },
  );

test(
  'a symlink pointed at another file: changes to the new target are seen, the old one untouched',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    let dir = '';
    await withServe(
      async (s, path) => {
        const next = join(dir, 'other', 'd.cop.jsonl');
        mkdirSync(join(dir, 'other'));
        writeFileSync(next, ORIGINAL);
        // Re-pointed the way tools do it: a new link renamed over the old one.
        symlinkSync(next, `${path}.new`);
        renameSync(`${path}.new`, path);
        // The link's folder saw that; give the watch its settle time to follow the link.
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
        writeFileSync(next, ORIGINAL.replace('A [lid].', 'A [top].'));
        await until('the merge notice', () =>
          s.notes.some((n) => /changed on disk: 1 line\(s\) taken/.test(n.message ?? '')),
        );
        assert.equal((await s.request({ type: 'document/save' })).type, 'reply/ok');
        const text = readFileSync(next, 'utf8');
        assert.match(text, /A \[mug\]\./);
        assert.match(text, /A \[top\]\./);
        assert.equal(readFileSync(join(dir, 'real', 'd.cop.jsonl'), 'utf8'), ORIGINAL);
      },
      (made) => {
        dir = made;
        mkdirSync(join(made, 'real'));
        mkdirSync(join(made, 'links'));
        writeFileSync(join(made, 'real', 'd.cop.jsonl'), ORIGINAL);
        const link = join(made, 'links', 'd.cop.jsonl');
        symlinkSync(join('..', 'real', 'd.cop.jsonl'), link);
        return link;
      },
    );
  },
);
