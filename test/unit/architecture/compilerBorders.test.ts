/**
 * The compiler guards every border (issue 9, STYLE.md): planted faults compiled with the real
 * configs must fail, each for the reason planted. Only errors inside the fixture count, so
 * work in progress elsewhere in the tree neither hides nor fakes a result.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** Compiles one fixture project; returns its status and "file:code" for errors in the fixture. */
function compileFixture(name: string): { status: number | null; errors: string[] } {
  const dir = `test/fixtures/typecheck/${name}`;
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', `${dir}/tsconfig.json`, '--noEmit', '--pretty', 'false'],
    { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
  );
  const errors = run.stdout
    .split('\n')
    .map((line) => /^(\S+?)\(\d+,\d+\): error (TS\d+)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[1]!.startsWith(dir))
    .map((match) => `${match[1]!.slice(dir.length + 1)}:${match[2]!}`);
  return { status: run.status, errors: [...new Set(errors)].sort() };
}

test('a webview module importing node:fs (or using process) fails the webview config', () => {
  const { status, errors } = compileFixture('webviewNodeImport');
  assert.notEqual(status, 0);
  // TS2307: no module node:fs; TS2591: no name process (no node types at all).
  assert.deepEqual(errors, ['readsDisk.ts:TS2307', 'readsDisk.ts:TS2591']);
});

test('node-side session code using document fails the root (node) config', () => {
  const { status, errors } = compileFixture('nodeSideDom');
  assert.notEqual(status, 0);
  assert.deepEqual(errors, ['touchesDom.ts:TS2584']);
});

test('a core module importing node:fs or using document fails the core config', () => {
  const { status, errors } = compileFixture('coreNodeImport');
  assert.notEqual(status, 0);
  assert.deepEqual(errors, ['impure.ts:TS2307', 'impure.ts:TS2584']);
});
