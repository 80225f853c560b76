/**
 * `serve --user` (issue 12 item 1): an empty or missing name is a usage error before any
 * file is read or a port opened (the named person is then in the saved file: see
 * test/browser/reviewQueue.test.ts). Runs the built dist/cli.js (`node esbuild.mjs`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const NO_DIST = existsSync(CLI) ? false : `needs ${CLI}: run node esbuild.mjs first`;
if (NO_DIST) console.log(`# skipped serve --user tests: ${NO_DIST}`);

function serve(...args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'serve', '/nonexistent/ds.cop.jsonl', ...args], {
    timeout: 10_000,
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

test('serve --user with an empty or missing name is a usage error', { skip: NO_DIST }, () => {
  const empty = serve('--user', '  ');
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--user needs a name/);
  const missing = serve('--user');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--user <value>' argument missing/);
});

test('serve --user is taken: a missing dataset is what stops it', { skip: NO_DIST }, () => {
  const r = serve('--user', 'rita');
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.stderr, /--user|unknown option/i);
  assert.match(r.stderr, /nonexistent/);
});
