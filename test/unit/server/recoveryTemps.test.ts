/**
 * Issue 10 items 7 and 8: serve's recovery slot is written through temp files, and a serve
 * killed mid-write leaves them. The next start removes the temps of a dead pid (never one of
 * a live process) before reading the slot, never reads one as data, and still offers the
 * recovery. Planted temps check the rule; a real `kill -9` during a recovery write checks
 * that what such a kill leaves is cleaned and the edit still recovered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, watch } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { splitLines } from '../../../src/core/dataset';
import { RecoveryFile } from '../../../src/server/recoveryFile';
import { planRecovery } from '../../../src/server/serveRecovery';
import { connect, serveSkipReason, startServeChild } from './serveProcess';
import { ORIGINAL, reasoning, until } from './watchFixture';

/** A pid that ran and has exited (so no process has it now, barring a quick reuse). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid > 0);
  return r.pid;
}

const temps = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.tmp')) : [];

test('stale temps of the recovery slot: a dead pid’s go, a live one’s stay, the recovery is offered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-rectemps-'));
  const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    const path = join(dir, 'd.cop.jsonl');
    writeFileSync(path, ORIGINAL);
    const recovery = join(dir, 'recovery');
    const file = await RecoveryFile.of(path, recovery);
    const base = splitLines(ORIGINAL);
    const edited = splitLines(ORIGINAL.replace('A [pan].', 'A [wok].'));
    await file.write(edited, base);
    const text = basename(file.textPath);
    const meta = text.replace(/\.cop\.jsonl$/, '.json');
    const dead = deadPid();
    // What a kill mid-write leaves: a partial text temp and a partial meta temp.
    const stale = [
      `.${text}.${dead}.00aa11bb22cc33dd.tmp`,
      `.${meta}.${dead}.44ee55ff66aa77bb.tmp`,
    ];
    const alive = `.${text}.${live.pid}.8899aabbccddeeff.tmp`;
    for (const n of stale) writeFileSync(join(recovery, n), '{"id":"a","frames":["a.pn');
    writeFileSync(join(recovery, alive), 'a live serve is writing this');

    const plan = await planRecovery(path, 'recover', recovery);
    assert.deepEqual(
      [...(plan.staleTemps ?? [])].map((p) => basename(p)).sort(),
      [...stale].sort(),
      'exactly the dead pid’s temps are reported',
    );
    assert.deepEqual(temps(recovery), [alive], 'the live process’s temp stays');
    const opened = plan.recover?.(base);
    assert.ok(opened, 'the recovery is still offered');
    assert.match(opened.lines[1]?.raw ?? '', /A \[wok\]\./);
    assert.equal(readFileSync(path, 'utf8'), ORIGINAL, 'the dataset is untouched');
  } finally {
    live.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'kill -9 while serve writes its recovery: the next start removes the temp and recovers',
  { skip: serveSkipReason(), timeout: 180_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-rectemps-'));
    try {
      const path = join(dir, 'd.cop.jsonl');
      // Big enough that a recovery write takes a while: the kill has a window to land in.
      const filler = JSON.stringify({ id: 'z', frames: ['z.png'], reasoning: 'x'.repeat(2000) });
      const big =
        ORIGINAL +
        Array.from({ length: 12_000 }, (_, i) => filler.replace('"z"', `"z${i}"`)).join('\n') +
        '\n';
      writeFileSync(path, big);
      const recovery = join(dir, 'recovery');
      const env = { GROUNDWORK_RECOVERY_DIR: recovery };
      let caught = 0;
      for (let attempt = 0; attempt < 5 && caught === 0; attempt++) {
        rmSync(recovery, { recursive: true, force: true });
        const child = await startServeChild(path, ['--discard-recovery'], env);
        const s = await connect(child);
        assert.equal((await reasoning(s, 1, 'b', 'wok')).type, 'reply/ok');
        await until(
          'the first recovery',
          () =>
            existsSync(recovery) &&
            readdirSync(recovery).filter((n) => !n.endsWith('.tmp')).length === 2,
          20_000,
        );
        // Kill the moment the next write's temp appears.
        const watcher = watch(recovery, (_e, name) => {
          if (name?.endsWith('.tmp')) child.child.kill('SIGKILL');
        });
        s.send({
          type: 'document/op/apply',
          label: 'reasoning',
          op: { type: 'sample/reasoning', line: 0, id: 'a', reasoning: 'A [mug].' },
        });
        await Promise.race([
          new Promise((done) => child.child.once('exit', done)),
          new Promise((done) => setTimeout(done, 15_000)),
        ]);
        watcher.close();
        await child.stop('SIGKILL');
        caught = temps(recovery).length;
        t.diagnostic(`attempt ${attempt + 1}: ${temps(recovery).join(', ') || 'no temp left'}`);
      }
      assert.ok(caught > 0, 'a kill landed during a recovery write (5 tries)');
      const child = await startServeChild(path, ['--recover'], env);
      try {
        assert.match(child.output(), /recovered unsaved edits/);
        assert.match(child.output(), /removed a stale recovery temp file .*\.tmp/);
        assert.deepEqual(temps(recovery), [], 'the dead serve’s temps are gone');
        const s = await connect(child);
        assert.equal((await s.request({ type: 'document/save' })).type, 'reply/ok');
        assert.match(
          readFileSync(path, 'utf8').split('\n')[1] ?? '',
          /A \[wok\]\./,
          'the edit of the complete recovery is saved',
        );
        s.close();
      } finally {
        await child.stop('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
