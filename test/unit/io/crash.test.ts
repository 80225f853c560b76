/**
 * kill -9 during saves at random moments (issue 10 item 7, "Must show"): the dataset is
 * always a whole version (old or new), and the next open leaves no stale temp file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { openDataset } from '../../../src/io/datasetFile';
import { datasetText, tempFilesIn, tempFolder } from './ioFixtures';

const TRIALS = Number(process.env.GW_CRASH_TRIALS ?? 50);

// Bundled once: a plain node child starts in ~50 ms, so 50 trials fit CI easily.
function buildChild(dir: string): string {
  const out = join(dir, 'crashChild.js');
  buildSync({
    entryPoints: [join(__dirname, 'crashChild.ts')],
    bundle: true,
    platform: 'node',
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

function runAndKill(child: string, args: string[], delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let killed = false;
    p.stdout.on('data', () => {
      if (killed) return;
      killed = true;
      setTimeout(() => p.kill('SIGKILL'), delayMs);
    });
    p.on('error', fail);
    p.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`child exited ${code} ${signal}`)),
    );
  });
}

test(`kill -9 during save, ${TRIALS} random moments: old or new, never broken; no temp after open`, async () => {
  const work = tempFolder('gw-crash-');
  const child = buildChild(work);
  const versions = {
    old: datasetText(400_000, 'old'),
    a: datasetText(900_000, 'a'),
    b: datasetText(1_300_000, 'b'),
  };
  writeFileSync(join(work, 'a.txt'), versions.a);
  writeFileSync(join(work, 'b.txt'), versions.b);
  const seen = { old: 0, a: 0, b: 0, leftover: 0 };
  const started = Date.now();
  for (let i = 0; i < TRIALS; i++) {
    const dir = tempFolder('gw-crash-trial-');
    const path = join(dir, 'ds.jsonl');
    writeFileSync(path, versions.old);
    await runAndKill(child, [path, join(work, 'a.txt'), join(work, 'b.txt')], Math.random() * 60);
    const text = readFileSync(path, 'utf8');
    const which = (Object.keys(versions) as (keyof typeof versions)[]).find(
      (k) => versions[k] === text,
    );
    assert.ok(which, `trial ${i}: the file is no whole version (${text.length} chars)`);
    seen[which]++;
    if (tempFilesIn(dir).length) seen.leftover++;
    const doc = await openDataset(path);
    assert.ok(doc.lines.length > 0);
    assert.deepEqual(tempFilesIn(dir), [], `trial ${i}: a stale temp file survived the open`);
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `crash test: ${TRIALS} trials in ${seconds.toFixed(1)} s; old ${seen.old}, new ${seen.a + seen.b}; a temp file was left by the kill in ${seen.leftover} and removed by the next open\n`,
  );
  // The kill must land mid-save in some trials, or the test proves nothing.
  assert.ok(seen.leftover > 0, 'no trial caught a save in progress');
});
