/**
 * The words and keys of a clash with the disk (diskClash.ts): a clash is only where the two
 * sides hold different text, its key changes with the disk's text there (so Keep mine holds
 * for the change seen only), and the messages name the lines and both choices. Outside
 * serve a view asking to resolve a clash is refused and nothing changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinLines, splitLines } from '../../../src/core/dataset';
import { clashNotice, clashRefusal, findClash, keptNotice } from '../../../src/server/diskClash';
import { attachView, makeSession } from '../session/sessionHelpers';
import { ORIGINAL } from './watchFixture';

const mine = splitLines(ORIGINAL.replace('A [pan].', 'A [wok].'));
const disk = (noun: string) => splitLines(ORIGINAL.replace('A [pan].', `A [${noun}].`));

test('a clash is where the texts differ; its key follows the disk text there', () => {
  assert.equal(findClash('d', [1], mine, disk('wok'), 'h'), undefined, 'the same edit on both');
  const pot = findClash('d', [1], mine, disk('pot'), 'h1');
  const pit = findClash('d', [1], mine, disk('pit'), 'h2');
  assert.ok(pot && pit);
  assert.deepEqual(pot.lines, [1]);
  assert.equal(pot.sameLength, true);
  assert.equal(
    findClash('d', [1], mine, disk('pot'), 'other hash')?.key,
    pot.key,
    'text, not hash',
  );
  assert.notEqual(pit.key, pot.key, 'another change there is another clash');
  assert.match(pot.what, /^d changed on disk on line\(s\) 2 that you also edited$/);
});

test('another line count: the whole file is the clash, keyed by its hash', () => {
  const shorter = splitLines(ORIGINAL.split('\n').slice(0, 2).join('\n') + '\n');
  const c = findClash('d', [2], mine, shorter, 'hash-a');
  assert.ok(c);
  assert.equal(c.sameLength, false);
  assert.notEqual(findClash('d', [2], mine, shorter, 'hash-b')?.key, c.key);
  assert.match(c.what, /now has 2 line\(s\), the editor 3/);
  assert.match(clashNotice(c), /Keep mine replaces the whole file on disk/);
});

test('the messages name the lines and both choices', () => {
  const c = findClash('d', [1], mine, disk('pot'), 'h');
  assert.ok(c);
  assert.match(clashNotice(c), /Reload from disk drops your unsaved edits; Keep mine writes/);
  assert.match(
    clashRefusal(c),
    /^not saved: .*line\(s\) 2.*Choose "Reload from disk" or "Keep mine"/,
  );
  assert.match(clashRefusal(c), /nothing was written\.$/);
  assert.match(keptNotice(c), /line\(s\) 2: the next save overwrites the change on disk there/);
});

test('outside serve, a view asking to resolve a clash is refused and nothing changes', async () => {
  const { session } = makeSession();
  const before = joinLines(session.doc);
  const view = attachView(session);
  view.send({ type: 'document/conflict/resolve', choice: 'reload' }, 7);
  const reply = await view.replyTo(7);
  assert.deepEqual(
    { type: (reply.body as { type: string }).type, code: (reply.body as { code?: string }).code },
    { type: 'reply/error', code: 'unsupported' },
  );
  assert.equal(joinLines(session.doc), before);
});
