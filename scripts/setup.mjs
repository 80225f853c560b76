// Sets up a fresh Debian machine for Groundwork: the system packages the tests and the
// editor need (ffmpeg, chromium), the npm dependencies, and the build. Idempotent: each
// step is skipped when already done. Used by `npm run test:all` and `npm start`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const quiet = process.argv.includes('--quiet');
const log = (m) => {
  if (!quiet) console.log(`[setup] ${m}`);
};

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, opts = {}) {
  log(`${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status}`);
}

// 1. System packages: ffmpeg (video layer; the npm-shipped binaries are the fallback) and
// Debian's Chromium (browser and end-to-end tests drive it with playwright-core).
const missing = [];
if (!has('ffmpeg') || !has('ffprobe')) missing.push('ffmpeg');
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
if (missing.length) {
  const isRoot = process.getuid?.() === 0;
  if (has('apt-get') && (isRoot || has('sudo'))) {
    const pre = isRoot ? [] : ['sudo'];
    run(pre[0] ?? 'apt-get', [...(isRoot ? [] : ['apt-get']), 'update', '-q']);
    run(
      pre[0] ?? 'apt-get',
      [
        ...(isRoot ? [] : ['apt-get']),
        'install',
        '-y',
        '-q',
        '--no-install-recommends',
        ...missing,
      ],
      { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
  } else {
    console.warn(
      `[setup] missing ${missing.join(', ')}; install them (apt-get install ${missing.join(' ')}). Tests that need them will say so and skip.`,
    );
  }
} else log('ffmpeg and chromium present');

// 2. npm dependencies, from the lock file. ONNXRUNTIME_NODE_INSTALL=skip (the variable
// onnxruntime-node's install script reads) skips its CUDA download so that this works offline;
// in .npmrc the same setting made npm warn "Unknown project config" on every npm command.
const stamp = 'node_modules/.package-lock.json';
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync('package-lock.json').mtimeMs) {
  run('npm', ['ci', '--no-audit', '--no-fund'], {
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
} else log('node_modules up to date');

// 3. Build the bundles (extension, CLI, worker, webview).
run(process.execPath, ['esbuild.mjs']);
log(
  `ready (node ${process.version}, ${execFileSync('sh', ['-c', 'ffmpeg -version 2>/dev/null | head -1 || true']).toString().trim() || 'no ffmpeg on PATH'})`,
);
