/**
 * The session's side of issue 12: the review queue (annotated samples oldest first, then by
 * line; Next to review moves on and wraps), rejected samples first in Next todo, the
 * summaries the sample list's tooltip shows, who the person is (setting, git, OS user) and
 * a session that stamps its edits with that person.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitLines } from '../../../src/core/dataset';
import { isProblem, readSample } from '../../../src/core/sample';
import { EditorSession } from '../../../src/session/editorSession';
import { gitUserName, resolveUser, userReader } from '../../../src/session/identity';
import { nextToReview, nextTodo, reviewQueue, summaryAt } from '../../../src/session/sampleIndex';
import { fakeMedia } from './sessionHelpers';

function sample(id: string, state?: object): string {
  const s = `{"id":"${id}","frames":["a.jpg"],"reasoning":"the [cup]"`;
  return state ? `${s},"groundwork":${JSON.stringify(state)}}` : `${s}}`;
}
const done = [{ text: 'cup', status: 'not_groundable' }];
const annotated = (at?: string): object => ({
  status: 'annotated',
  entities: done,
  ...(at ? { annotatedAt: at, annotatedBy: 'ann' } : {}),
});

test('the review queue is oldest annotated first; Next to review moves on and wraps', () => {
  const doc = splitLines(
    [
      sample('todo'),
      sample('late', annotated('2026-11-30T12:00:00.000Z')),
      sample('early', annotated('2026-11-30T09:00:00.000Z')),
      'not json',
      sample('old', annotated()),
      sample('tie', annotated('2026-11-30T09:00:00.000Z')),
      sample('ok', { status: 'approved', entities: done }),
    ].join('\n'),
  );
  // No annotatedAt (a file from before identities) has waited longest; ties go by line.
  assert.deepEqual(reviewQueue(doc), [4, 2, 5, 1]);
  assert.equal(nextToReview(doc, -1), 4);
  assert.equal(nextToReview(doc, 4), 2);
  assert.equal(nextToReview(doc, 5), 1);
  assert.equal(nextToReview(doc, 1), 4, 'wraps to the oldest');
  assert.equal(nextToReview(doc, 0), 4, 'from a sample outside the queue: the oldest');
  assert.equal(nextToReview(splitLines(sample('todo')), -1), null);
});

test('property: Next to review from the queue visits every annotated sample once', () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), { maxLength: 12 }),
      (ats) => {
        const doc = splitLines(
          ats
            .map((m, i) =>
              m === undefined
                ? sample(`t${i}`)
                : sample(`a${i}`, annotated(`2026-11-30T0${m}:00Z`)),
            )
            .join('\n'),
        );
        const queue = reviewQueue(doc);
        const seen: number[] = [];
        let at = -1;
        for (let k = 0; k < queue.length; k++) {
          const next = nextToReview(doc, at);
          assert.ok(next !== null);
          seen.push(next);
          at = next;
        }
        assert.deepEqual(seen, queue);
        const times = queue.map((l) => ats[l] as number);
        assert.deepEqual(
          times,
          times.slice().sort((a, b) => a - b),
        );
      },
    ),
  );
});

test('Next todo: rejected samples first (after the current one, wrapping), then todo', () => {
  const rejected = { status: 'rejected', entities: done, comment: 'redo' };
  const doc = splitLines(
    [sample('t0'), sample('r1', rejected), sample('t2'), sample('r3', rejected)].join('\n'),
  );
  assert.equal(nextTodo(doc, 1), 3);
  assert.equal(nextTodo(doc, 3), 1);
  assert.equal(nextTodo(doc, -1), 1);
  const none = splitLines([sample('t0'), sample('t1')].join('\n'));
  assert.equal(nextTodo(none, 0), 1);
});

test('summaries carry the people and the newest comment for the tooltip', () => {
  const doc = splitLines(
    [
      sample('c', {
        ...annotated('2026-11-30T09:00:00.000Z'),
        status: 'rejected',
        reviewedBy: 'rita',
        comments: [
          { author: 'rita', at: '2026-11-30T10:00:00.000Z', text: 'too loose' },
          { author: 'ann', at: '2026-11-30T11:00:00.000Z', text: 'x'.repeat(1000) },
        ],
      }),
      sample('legacy', { status: 'rejected', entities: done, comment: 'old words' }),
      sample('bad', { status: 'todo', entities: [], comments: 'not a list', annotatedBy: 7 }),
    ].join('\n'),
  );
  const c = summaryAt(doc, 0);
  assert.equal(c.annotatedBy, 'ann');
  assert.equal(c.reviewedBy, 'rita');
  assert.equal(c.commentCount, 2);
  assert.equal(c.lastComment?.author, 'ann');
  assert.equal(c.lastComment?.text.length, 300, 'cut for a tooltip line');
  assert.deepEqual(summaryAt(doc, 1).lastComment, {
    author: 'reviewer',
    at: '',
    text: 'old words',
  });
  const bad = summaryAt(doc, 2);
  assert.equal(bad.annotatedBy, undefined, 'a number is no name');
  assert.equal(bad.commentCount, undefined);
});

test('identity: the setting, else git user.name, else the OS user', async () => {
  const src = { cwd: '/nowhere', git: async () => 'Git Person', osUser: () => 'osuser' };
  assert.equal(await resolveUser('  Set Name ', src), 'Set Name');
  assert.equal(await resolveUser('', src), 'Git Person');
  assert.equal(await resolveUser(undefined, { ...src, git: async () => undefined }), 'osuser');
  assert.equal(
    await resolveUser(undefined, { cwd: '/x', git: async () => '  ', osUser: () => undefined }),
    undefined,
  );
  let setting: string | undefined = '';
  const read = userReader(() => setting, 'fallback');
  assert.equal(read(), 'fallback');
  setting = 'changed later';
  assert.equal(read(), 'changed later', 'the setting is read at each edit');
});

test('gitUserName reads the repository of the folder; none outside one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-ident-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, 'config', 'user.name', 'Repo Person']);
  } catch {
    t.skip('git is not installed here');
    return;
  }
  assert.equal(await gitUserName(dir), 'Repo Person');
  assert.equal(await gitUserName(join(dir, 'missing')), undefined);
});

test('a session stamps its edits with the person; without one nothing is stamped', () => {
  const text = sample('s') + '\n';
  let user: string | undefined = 'anna';
  const make = (): EditorSession =>
    new EditorSession({
      path: '/tmp/none.cop.jsonl',
      doc: splitLines(text),
      mode: 'serve',
      media: fakeMedia,
      log: () => undefined,
      user: () => user,
    });
  const state = (s: EditorSession) => {
    const v = readSample(s.doc.lines[0]!.raw, 0);
    assert.ok(!isProblem(v));
    return v.state;
  };
  const session = make();
  session.edit({ type: 'entity/notGroundable', line: 0, id: 's', entity: 0 }, 'ng');
  session.edit({ type: 'sample/status', line: 0, id: 's', status: 'annotated' }, 'done');
  assert.equal(state(session).annotatedBy, 'anna');
  assert.equal(state(session).entities[0]?.groundedBy, 'anna');
  session.undo();
  user = 'bert';
  session.redo();
  assert.equal(state(session).annotatedBy, 'bert', 'a redo is made again, by whoever redoes');
  user = undefined;
  const anonymous = make();
  anonymous.edit({ type: 'entity/notGroundable', line: 0, id: 's', entity: 0 }, 'ng');
  assert.equal(state(anonymous).entities[0]?.groundedBy, undefined);
  assert.equal(state(anonymous).history, undefined);
});
