/**
 * The linter's import-x/no-cycle rule fails a circle (issue 9 "Must show"). The planted
 * fixtures live in test/fixtures/lint, which the normal lint run ignores; `--no-ignore` lints
 * them with the project's own config.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const eslint = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');

function lint(folder: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [eslint, '--no-ignore', folder], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('a planted value-import cycle fails lint with "Dependency cycle"', () => {
  const { status, output } = lint('test/fixtures/lint/cycle');
  assert.equal(status, 1, output);
  assert.match(output, /Dependency cycle/);
  assert.match(output, /a\.ts/);
  assert.match(output, /b\.ts/);
});

test('a type-only cycle passes lint: why importGraph.test.ts reads `import type` edges too', () => {
  // If this starts failing, the lint rule has begun to see type-only circles; the graph test
  // then guards the same thing twice, which is fine, and this test can go.
  const { status, output } = lint('test/fixtures/lint/typeCycle');
  assert.equal(status, 0, output);
});
