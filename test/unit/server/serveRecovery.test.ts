/**
 * Issue 10 item 8, second half: unsaved work survives a crash of serve itself. After an
 * unsaved edit and `kill -9`, the next start refuses to run over the recovery and says how
 * to choose; `--recover` opens the edit (dirty) and a save writes it and removes the
 * recovery; `--discard-recovery` drops it. The dataset is never touched by the crash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, connect, serveSkipReason, startServeChild } from './serveProcess';

const ORIGINAL =
  '{"id":"a","frames":["a.png"],"reasoning":"A [cup]."}\n' +
  '{"id":"b","frames":["b.png"],"reasoning":"A [pan]."}\n';

async function until(what: string, check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The recovery's text and meta files (not the atomic writer's temp files). */
function recoveryFiles(recovery: string): string[] {
  if (!existsSync(recovery)) return [];
  return readdirSync(recovery).filter((f) => /^[0-9a-f]+\.(cop\.jsonl|json)$/.test(f));
}

function setup(): { dir: string; path: string; env: Record<string, string>; recovery: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-recover-'));
  const path = join(dir, 'd.cop.jsonl');
  writeFileSync(path, ORIGINAL);
  const recovery = join(dir, 'recovery');
  return { dir, path, recovery, env: { GROUNDWORK_RECOVERY_DIR: recovery } };
}

/** Starts serve, makes one unsaved edit on line 1, waits for the recovery, kills -9. */
async function crashAfterEdit(path: string, env: Record<string, string>, recovery: string) {
  const before = readFileSync(path, 'utf8');
  const child = await startServeChild(path, [], env);
  try {
    const s = await connect(child);
    const r = await s.request({
      type: 'document/op/apply',
      label: 'reasoning',
      op: { type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'A [wok].' },
    });
    assert.equal(r.type, 'reply/ok', JSON.stringify(r));
    await until('the recovery file', () => recoveryFiles(recovery).length === 2);
  } finally {
    await child.stop('SIGKILL');
  }
  assert.equal(readFileSync(path, 'utf8'), before, 'the crash left the dataset untouched');
}

test(
  'kill -9 after an unsaved edit: the next serve offers the recovery and --recover restores it',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    const { dir, path, env, recovery } = setup();
    try {
      await crashAfterEdit(path, env, recovery);

      const refused = spawnSync(process.execPath, [CLI, 'serve', path, '--no-models'], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.notEqual(refused.status, 0, 'serve does not start over a recovery');
      assert.match(refused.stderr, /unsaved edits of .*d\.cop\.jsonl .* were kept in /);
      assert.match(refused.stderr, /--recover/);
      assert.match(refused.stderr, /--discard-recovery/);

      const child = await startServeChild(path, ['--recover'], env);
      try {
        assert.match(child.output(), /recovered unsaved edits/);
        const s = await connect(child);
        const state = await s.request({ type: 'document/redo' });
        assert.equal((state.result as { dirty: boolean }).dirty, true, 'recovered = unsaved');
        const saved = await s.request({ type: 'document/save' });
        assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
        const text = readFileSync(path, 'utf8');
        assert.match(text, /A \[wok\]\./, 'the recovered edit is saved');
        assert.match(text, /A \[cup\]\./, 'the other line is untouched');
        await until(
          'the recovery to go after the save',
          () => recoveryFiles(recovery).length === 0,
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

test(
  '--recover merges lines changed on disk since the crash; --discard-recovery drops it',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    const { dir, path, env, recovery } = setup();
    try {
      await crashAfterEdit(path, env, recovery);
      // Another program edits line 0 while serve is down.
      writeFileSync(path, ORIGINAL.replace('A [cup].', 'A [jug].'));
      const child = await startServeChild(path, ['--recover'], env);
      try {
        const s = await connect(child);
        assert.equal((await s.request({ type: 'document/save' })).type, 'reply/ok');
        const text = readFileSync(path, 'utf8');
        assert.match(text, /A \[jug\]\./, "the other program's line is kept");
        assert.match(text, /A \[wok\]\./, 'the recovered line is kept');
        await until(
          'the recovery to go after the save',
          () => recoveryFiles(recovery).length === 0,
        );
        s.close();
      } finally {
        await child.stop('SIGKILL');
      }
      // The edit again, so the file differs from the recovery's text.
      writeFileSync(path, ORIGINAL);

      await crashAfterEdit(path, env, recovery);
      const clean = await startServeChild(path, ['--discard-recovery'], env);
      try {
        assert.match(clean.output(), /discarded the recovery/);
        assert.equal(recoveryFiles(recovery).length, 0);
      } finally {
        await clean.stop('SIGTERM');
      }
      assert.equal(readFileSync(path, 'utf8'), ORIGINAL, 'discarding leaves the file as it was');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a clean stop with nothing unsaved leaves no recovery; with unsaved edits it keeps one',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    const { dir, path, env, recovery } = setup();
    try {
      const child = await startServeChild(path, [], env);
      const s = await connect(child);
      await s.request({
        type: 'document/op/apply',
        label: 'reasoning',
        op: { type: 'sample/reasoning', line: 0, id: 'a', reasoning: 'A [bowl].' },
      });
      s.close();
      await child.stop('SIGTERM');
      assert.match(child.output(), /kept in a recovery file/);
      assert.equal(recoveryFiles(recovery).length, 2, 'the unsaved edit is kept on a clean stop');
      const again = await startServeChild(path, ['--recover'], env);
      const s2 = await connect(again);
      assert.equal((await s2.request({ type: 'document/save' })).type, 'reply/ok');
      s2.close();
      await again.stop('SIGTERM');
      assert.match(readFileSync(path, 'utf8'), /A \[bowl\]\./);
      assert.equal(recoveryFiles(recovery).length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('--recover with --discard-recovery is a usage error', { skip: serveSkipReason() }, () => {
  const { dir, path, env } = setup();
  try {
    const r = spawnSync(
      process.execPath,
      [CLI, 'serve', path, '--no-models', '--recover', '--discard-recovery'],
      { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 },
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--recover and --discard-recovery exclude each other/);
    assert.equal(readFileSync(path, 'utf8'), ORIGINAL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
