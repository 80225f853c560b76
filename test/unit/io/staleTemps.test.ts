/** Leftover temp files (issue 10 item 7): removed on open when their writer is dead, else kept. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatasetFileError, openDataset } from '../../../src/io/datasetFile';
import { pidAlive, removeStaleTemps } from '../../../src/io/staleTemps';
import { datasetText, tempFolder } from './ioFixtures';

const TEXT = datasetText(2_000, 'ds');

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(r.status, 0);
  assert.ok(r.pid && !pidAlive(r.pid));
  return r.pid;
}

test('open removes temps of dead writers (new and old names), keeps live ones and others', async (t) => {
  const dir = tempFolder();
  const path = join(dir, 'ds.jsonl');
  writeFileSync(path, TEXT);
  const sleeper = spawn('sleep', ['30']);
  t.after(() => sleeper.kill());
  const dead = deadPid();
  const files = {
    deadNew: join(dir, `.ds.jsonl.${dead}.0123456789abcdef.tmp`),
    deadOld: join(dir, `.ds.jsonl.${dead}.1764579600000.tmp`),
    live: join(dir, `.ds.jsonl.${sleeper.pid}.0123456789abcdef.tmp`),
    ours: join(dir, `.ds.jsonl.${process.pid}.fedcba9876543210.tmp`),
    otherDataset: join(dir, `.other.jsonl.${dead}.0123456789abcdef.tmp`),
    notOurs: join(dir, '.ds.jsonl.swp'),
  };
  for (const f of Object.values(files)) writeFileSync(f, 'partial {"id":');
  const doc = await openDataset(path);
  assert.equal(doc.lines.length, TEXT.split('\n').length - 1);
  assert.equal(existsSync(files.deadNew), false);
  assert.equal(existsSync(files.deadOld), false);
  for (const kept of [files.live, files.ours, files.otherDataset, files.notOurs])
    assert.equal(existsSync(kept), true, `${kept} must stay`);
  assert.equal(readFileSync(path, 'utf8'), TEXT);
});

test('through a symlink, the temps beside the real file are the ones cleaned', async () => {
  const real = tempFolder();
  const links = tempFolder();
  writeFileSync(join(real, 'ds.jsonl'), TEXT);
  symlinkSync(join(real, 'ds.jsonl'), join(links, 'link.jsonl'));
  const stale = join(real, `.ds.jsonl.${deadPid()}.00ff00ff00ff00ff.tmp`);
  writeFileSync(stale, 'x');
  assert.deepEqual(await removeStaleTemps(join(links, 'link.jsonl')), [stale]);
});

test('a temp file is never read as data', async () => {
  const dir = tempFolder();
  const temp = join(dir, `.ds.jsonl.${deadPid()}.0123456789abcdef.tmp`);
  writeFileSync(temp, TEXT);
  await assert.rejects(
    openDataset(temp),
    (e: unknown) =>
      e instanceof DatasetFileError &&
      /is a temp file of an unfinished save, not data/.test(e.message),
  );
  assert.equal(readFileSync(temp, 'utf8'), TEXT);
});
