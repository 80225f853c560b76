/**
 * The VS Code front's open (issue 15 loose end): it reads through `workspace.fs`, so the
 * checks `openDataset` makes must be made beside it: a FIFO, a folder or a temp file is
 * refused with a message naming it before anything is read, and stale temps of crashed
 * saves are removed after the read, a live writer's kept.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatasetFileError } from '../../../src/io/datasetFile';
import { pidAlive } from '../../../src/io/staleTemps';
import { checkLocalDataset, tidyLocalDataset } from '../../../src/session/localDataset';

const LINE = '{"id":"a","reasoning":"x"}\n';

test('a FIFO, a folder and a temp file are refused before any read; a dataset passes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-local-'));
  const fifo = join(dir, 'pipe.jsonl');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) t.diagnostic(`mkfifo unavailable (${made.stderr}); FIFO case not run`);
  else
    await assert.rejects(
      checkLocalDataset(fifo),
      (e: unknown) =>
        e instanceof DatasetFileError && /pipe\.jsonl: is a FIFO.*Nothing was read/.test(e.message),
    );
  await assert.rejects(checkLocalDataset(dir), /is a directory/);
  const temp = join(dir, `.ds.jsonl.${process.pid}.0123456789abcdef.tmp`);
  writeFileSync(temp, LINE);
  await assert.rejects(checkLocalDataset(temp), /temp file of an unfinished save/);
  assert.equal(readFileSync(temp, 'utf8'), LINE, 'the refused file is untouched');
  const ok = join(dir, 'ds.jsonl');
  writeFileSync(ok, LINE);
  await checkLocalDataset(ok);
});

test('stale temps of dead writers are removed, a live writer keeps its temp', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-local-'));
  const path = join(dir, 'ds.jsonl');
  writeFileSync(path, LINE);
  const gone = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(gone.pid && !pidAlive(gone.pid));
  const sleeper = spawn('sleep', ['30']);
  t.after(() => sleeper.kill());
  const stale = join(dir, `.ds.jsonl.${gone.pid}.0123456789abcdef.tmp`);
  const live = join(dir, `.ds.jsonl.${sleeper.pid}.0123456789abcdef.tmp`);
  writeFileSync(stale, 'partial');
  writeFileSync(live, 'partial');
  assert.deepEqual(await tidyLocalDataset(path), [stale]);
  assert.equal(existsSync(stale), false);
  assert.equal(existsSync(live), true);
  assert.equal(readFileSync(path, 'utf8'), LINE, 'the dataset itself is untouched');
});
