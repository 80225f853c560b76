// Runs the test suites with Node's own test runner, so CI reads one summary.
// `node scripts/test.mjs [unit|browser|e2e ...]`; with no argument: every suite.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const suites = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['static', 'unit', 'browser', 'e2e'];

function find(dir) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (/\.test\.(ts|mts)$/.test(name)) out.push(path);
  }
  return out;
}

const needsBuild =
  suites.some((s) => s !== 'unit' && s !== 'static') || process.env.GROUNDWORK_BUILD === '1';
if (needsBuild) {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let failed = false;
for (const suite of suites) {
  if (suite === 'static') {
    // The compilers guard every border (webview, node, core, protocol, scripts), the linter
    // guards style and import cycles, the formatter layout. All three must be clean.
    for (const script of ['typecheck', 'lint', 'format:check']) {
      console.log(`# static: npm run -s ${script}`);
      const run = spawnSync('npm', ['run', '-s', script], { stdio: 'inherit' });
      if (run.status !== 0) {
        console.log(`not ok - ${script} failed`);
        failed = true;
      } else console.log(`ok - ${script}`);
    }
    continue;
  }
  const files = find(join('test', suite));
  if (files.length === 0) {
    console.log(`# suite ${suite}: no test files`);
    continue;
  }
  console.log(`# suite ${suite}: ${files.length} files`);
  // Every suite gets a temp folder of its own, removed afterwards, so the gw-* folders the
  // tests make (datasets, caches, sockets) never pile up in /tmp across runs.
  const scratch = mkdtempSync(join(tmpdir(), `groundwork-${suite}-`));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
    {
      stdio: 'inherit',
      env: { ...process.env, GROUNDWORK_TEST: '1', TMPDIR: scratch },
    },
  );
  rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
