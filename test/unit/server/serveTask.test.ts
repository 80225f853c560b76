/**
 * `serve --task` (issue 15): the dataset default reaches the session, so the editor reads a
 * sample with no `task` field as `export --task` does; an unknown task is a usage error that
 * leaves the dataset as it was.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeServeSession } from '../../../src/server/serveSession';
import { CLI, serveSkipReason } from './serveProcess';

const LINE = '{"id":"a","frames":["f.jpg"],"reasoning":"A [cup].","answer":"The cup."}\n';

test('the default task reads the sample: the answer item is there, origin default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-serve-task-'));
  const path = join(dir, 'ds.jsonl');
  writeFileSync(path, LINE);
  const open = (defaultTask?: 'segment') =>
    makeServeSession(
      {
        datasetPath: path,
        models: false,
        log: () => undefined,
        user: 'tester',
        ...(defaultTask ? { defaultTask } : {}),
      },
      (abs) => `file://${abs}`,
    );
  try {
    const { session } = await open('segment');
    const snap = await session.snapshot(0);
    assert.equal(snap.task, 'segment');
    assert.equal(snap.taskOrigin, 'default');
    assert.deepEqual(
      snap.state.entities.map((e) => e.text),
      ['Answer', 'cup'],
    );
    await session.dispose();
    const plain = (await open()).session;
    const general = await plain.snapshot(0);
    assert.equal(general.task, 'general');
    assert.deepEqual(
      general.state.entities.map((e) => e.text),
      ['cup'],
    );
    await plain.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve --task with an unknown name is a usage error', { skip: serveSkipReason() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-serve-task-'));
  const path = join(dir, 'ds.jsonl');
  writeFileSync(path, LINE);
  try {
    const r = spawnSync(process.execPath, [CLI, 'serve', path, '--no-models', '--task', 'detect'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /unknown --task "detect"; one of trajectory, affordance, area, counting, segment, general/,
    );
    assert.equal(readFileSync(path, 'utf8'), LINE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
