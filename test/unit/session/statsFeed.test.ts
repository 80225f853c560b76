/**
 * The dashboard's live feed (src/session/statsFeed.ts) on a plain session: a document edit
 * posts fresh figures once after the pause (a burst is one recount), an overlay does not,
 * a hidden view is rendered whole when shown again, and dispose stops it.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { isProblem, readSample } from '../../../src/core/sample';
import type { StatsReportData } from '../../../src/io/statsReport';
import { StatsFeed } from '../../../src/session/statsFeed';
import { makeSession } from './sessionHelpers';

function recorder(visible = true) {
  const log: { kind: 'render' | 'post'; data: StatsReportData }[] = [];
  return {
    log,
    view: {
      visible,
      render: (data: StatsReportData) => log.push({ kind: 'render', data }),
      post: (data: StatsReportData) => log.push({ kind: 'post', data }),
    },
  };
}

function notGroundable(raw: string, line: number) {
  const s = readSample(raw, line);
  if (isProblem(s)) throw new Error(s.message);
  return { type: 'entity/notGroundable' as const, line, id: s.fields.id, entity: 0 };
}

const status = (d: StatsReportData) => d.stats.entityStatus;

test('an edit posts the new figures once after the pause; overlays post nothing', async () => {
  const { session } = makeSession();
  const { log, view } = recorder();
  const feed = new StatsFeed(session, view, 20);
  assert.deepEqual(
    log.map((e) => e.kind),
    ['render'],
  );
  assert.equal(status(log[0]!.data).not_groundable, undefined);
  session.edit(notGroundable(session.doc.lines[1]!.raw, 1), 'not groundable');
  session.undo();
  session.redo();
  await sleep(60);
  assert.deepEqual(
    log.map((e) => e.kind),
    ['render', 'post'],
    'three changes, one recount',
  );
  assert.equal(status(log[1]!.data).not_groundable, 1);
  session.suggest(1, 'b', 0, 'floor', {
    tag: 'object',
    frame: 0,
    points: [
      [1, 1],
      [9, 9],
    ],
    size: [1920, 1080],
    source: 'model:owl',
  });
  await sleep(40);
  assert.equal(log.length, 2);
  feed.dispose();
  session.undo();
  await sleep(40);
  assert.equal(log.length, 2, 'nothing after dispose');
});

test('a hidden view is marked stale and gets a whole page when shown', async () => {
  const { session } = makeSession();
  const { log, view } = recorder(false);
  const feed = new StatsFeed(session, view, 10);
  session.edit(notGroundable(session.doc.lines[1]!.raw, 1), 'not groundable');
  await sleep(40);
  assert.deepEqual(
    log.map((e) => e.kind),
    ['render'],
    'a hidden view is not posted to',
  );
  feed.shown();
  assert.equal(log.length, 1, 'still hidden: nothing');
  view.visible = true;
  feed.shown();
  assert.deepEqual(
    log.map((e) => e.kind),
    ['render', 'render'],
  );
  assert.equal(status(log[1]!.data).not_groundable, 1);
  feed.shown();
  assert.equal(log.length, 2, 'not stale any more');
  feed.dispose();
});

test('the pause grows with the document: a large dataset keeps the host between recounts', () => {
  const { session } = makeSession();
  const feed = new StatsFeed(session, recorder().view, 20);
  assert.equal(feed.pauseMs, 20, 'a small document: the pause asked for');
  const big = Array.from({ length: 20000 }, (_, i) =>
    JSON.stringify({ id: `s${i}`, frames: ['a.jpg'], reasoning: 'A [cup] on a [table].' }),
  ).join('\n');
  const slow = new StatsFeed(makeSession(big).session, recorder().view, 20);
  assert.equal(slow.pauseMs, 2000, '0.1 ms a line');
  feed.dispose();
  slow.dispose();
});
