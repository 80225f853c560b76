/**
 * Comments can be edited and deleted by their authors (issue 12's thread): an edit keeps the
 * time it was written and records when it changed, a delete removes only that comment, the
 * inverse restores the line byte for byte, and anyone else's attempt is refused with a
 * message that names the author, leaving the line untouched.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import type { SampleState } from '../../../src/core/model';
import { OpError, apply } from '../../../src/core/ops';
import type { ApplyContext, Op } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';

const LINE =
  '{"id": "c0", "frames": ["a.jpg"], "keep": [1, 2.50], "reasoning": "a [cup] on the [table]"}';

function stateOf(doc: DatasetDoc): SampleState {
  const s = readSample(doc.lines[0]!.raw, 0);
  assert.ok(!isProblem(s));
  return s.state;
}

function as(user: string, minute: number): ApplyContext {
  return { actor: { user, now: `2026-12-01T11:${String(minute).padStart(2, '0')}:00.000Z` } };
}

/** A thread of three comments: rev, ann, rev. */
function thread(): DatasetDoc {
  let doc = splitLines(LINE + '\n');
  const say = (text: string): Op => ({ type: 'sample/comment', line: 0, id: 'c0', text });
  doc = apply(doc, say('box too loose'), as('rev', 1)).doc;
  doc = apply(doc, say('fixed, plaese look'), as('ann', 2)).doc;
  return apply(doc, say('thanks'), as('rev', 3)).doc;
}

const edit = (index: number, text?: string): Op => ({
  type: 'sample/comment-edit',
  line: 0,
  id: 'c0',
  index,
  ...(text !== undefined ? { text } : {}),
});

test('the author edits a comment: new text, same time, editedAt; undo restores the bytes', () => {
  const before = thread();
  const { doc, inverse } = apply(before, edit(1, ' fixed, please look '), as('ann', 9));
  const comments = stateOf(doc).comments ?? [];
  assert.deepEqual(comments[1], {
    author: 'ann',
    at: '2026-12-01T11:02:00.000Z',
    text: 'fixed, please look',
    editedAt: '2026-12-01T11:09:00.000Z',
  });
  assert.deepEqual(
    comments.map((c) => c.text),
    ['box too loose', 'fixed, please look', 'thanks'],
  );
  assert.ok(doc.lines[0]!.raw.startsWith(LINE.slice(0, -1)), 'the input fields stay byte for byte');
  assert.equal(apply(doc, inverse).doc.lines[0]!.raw, before.lines[0]!.raw);
});

test('the author deletes a comment: only that one goes, in order', () => {
  const { doc, inverse } = apply(thread(), edit(0), as('rev', 9));
  assert.deepEqual(
    (stateOf(doc).comments ?? []).map((c) => `${c.author}: ${c.text}`),
    ['ann: fixed, plaese look', 'rev: thanks'],
  );
  assert.equal(apply(doc, inverse).doc.lines[0]!.raw, thread().lines[0]!.raw);
});

test('someone else, a missing comment or an empty edit is refused; the line is unchanged', () => {
  const doc = thread();
  const raw = doc.lines[0]!.raw;
  const refused = (op: Op, ctx: ApplyContext, re: RegExp): void =>
    assert.throws(
      () => apply(doc, op, ctx),
      (e: unknown) => {
        assert.ok(e instanceof OpError, 'an OpError, shown to the person');
        assert.match(e.message, re);
        return true;
      },
    );
  refused(
    edit(1, 'rewritten by the reviewer'),
    as('rev', 9),
    /only ann can change their comment \(you are rev\)/,
  );
  refused(edit(0), as('ann', 9), /only rev can change their comment \(you are ann\)/);
  refused(edit(1, 'x'), {}, /only ann can change their comment \(you are unknown\)/);
  refused(edit(7, 'x'), as('ann', 9), /there is no comment 8 in this thread/);
  refused(edit(1, '   '), as('ann', 9), /needs some text \(or delete it\)/);
  assert.equal(doc.lines[0]!.raw, raw);
});
