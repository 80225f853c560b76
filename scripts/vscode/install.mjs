// Installs a real VS Code for tests and the demo: code-server from npm, and the Node 24 it
// requires (the npm package `node-<os>-<arch>`, which carries the headers its native modules
// build against). Everything goes under .tools/ (ignored); only the npm registry is used.
// Idempotent: a marker file names the installed versions, so a second call returns at once.
//
//   node scripts/vscode/install.mjs          install if missing, print the paths
//   node scripts/vscode/install.mjs --force  reinstall
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The code-server release we test against (VS Code 1.139). */
export const CODE_SERVER_VERSION = '4.139.1';
/** The Node that code-server's postinstall insists on (major 24), pinned for repeatability. */
export const NODE_VERSION = '24.15.0';

/**
 * Install-script policy for code-server and VS Code's server dependencies (npm's
 * `allowScripts`). Approved: what builds the native modules VS Code's server needs on
 * Linux/macOS. Denied: windows-only modules, ssh2/cpu-features (optional crypto), koffi, and
 * kerberos (needs libkrb5 headers; only used for proxy authentication, loaded lazily).
 */
const SCRIPT_POLICY = {
  'code-server': true,
  argon2: true,
  '@parcel/watcher': true,
  '@vscode/deviceid': true,
  '@vscode/fs-copyfile': true,
  '@vscode/native-watchdog': true,
  '@vscode/spdlog': true,
  '@vscode/sqlite3': true,
  'node-pty': true,
  kerberos: false,
  koffi: false,
  ssh2: false,
  'cpu-features': false,
  '@vscode/windows-process-tree': false,
  '@vscode/windows-registry': false,
};

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the tools live for a given checkout. */
export function toolPaths(root = repoRoot) {
  const tools = join(root, '.tools');
  const nodePkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const nodeHome = join(tools, 'node24', 'node_modules', nodePkg);
  const codeServerHome = join(tools, 'code-server', 'node_modules', 'code-server');
  return {
    tools,
    nodePkg,
    nodeHome,
    node: process.platform === 'win32' ? join(nodeHome, 'node.exe') : join(nodeHome, 'bin', 'node'),
    codeServerHome,
    /** code-server's real entry point; run it with `node` above, never with the shell wrapper. */
    codeServerEntry: join(codeServerHome, 'out', 'node', 'entry.js'),
    marker: join(tools, 'code-server', '.groundwork-installed.json'),
  };
}

function npmCli() {
  // npm's own JS entry, so that it can be run by the Node 24 binary.
  const result = spawnSync('npm', ['root', '-g'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  const cli = join(result.stdout.trim(), 'npm', 'bin', 'npm-cli.js');
  if (result.status !== 0 || !existsSync(cli))
    throw new Error(`cannot find npm-cli.js (npm root -g said: ${result.stdout}${result.stderr})`);
  return cli;
}

function run(cmd, args, opts, log) {
  log(`$ ${[cmd, ...args].join(' ')}  (in ${opts.cwd})`);
  const result = spawnSync(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...opts,
  });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(
      `${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${tail}`,
    );
  }
  return result;
}

/** True when the pinned versions are installed and complete. */
export function isInstalled(root = repoRoot) {
  const paths = toolPaths(root);
  if (!existsSync(paths.marker) || !existsSync(paths.node) || !existsSync(paths.codeServerEntry))
    return false;
  try {
    const marker = JSON.parse(readFileSync(paths.marker, 'utf8'));
    return marker.codeServer === CODE_SERVER_VERSION && marker.node === NODE_VERSION;
  } catch {
    return false;
  }
}

/**
 * Installs Node 24 and code-server under .tools/ unless already there; returns toolPaths().
 * Each piece is installed into a temporary folder and renamed into place, so an interrupted
 * install never leaves a half-built tool that a later call would trust.
 */
export function installCodeServer({
  root = repoRoot,
  force = false,
  log = (m) => console.error(`[vscode-install] ${m}`),
} = {}) {
  const paths = toolPaths(root);
  if (!force && isInstalled(root)) return paths;
  mkdirSync(paths.tools, { recursive: true });
  const t0 = Date.now();
  ensureBuildTools(log);
  const npm = npmCli();
  const nodeDir = join(paths.tools, 'node24');
  const csDir = join(paths.tools, 'code-server');

  // 1. Node 24, unpacked from npm (no scripts needed).
  if (force || !existsSync(paths.node) || !versionOk(paths.node)) {
    const tmp = `${nodeDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(
      join(tmp, 'package.json'),
      JSON.stringify({ name: 'groundwork-node24', private: true }),
    );
    run(
      process.execPath,
      [
        npm,
        'install',
        '--no-save',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `${paths.nodePkg}@${NODE_VERSION}`,
      ],
      { cwd: tmp },
      log,
    );
    rmSync(nodeDir, { recursive: true, force: true });
    renameSync(tmp, nodeDir);
  }

  // 2. code-server. Its postinstall builds VS Code's native modules with a nested, project-
  //    scoped `npm install`, where npm 11 rejects --allow-scripts (and npm exports any
  //    allow-scripts setting to nested npms as if it were that flag). So: unpack without
  //    scripts, write the policy into each nested project's package.json (the sanctioned
  //    place, and the only one that can deny), and run the postinstall ourselves under
  //    Node 24 so it sees node v24 and compiles against Node 24's headers.
  const tmp = `${csDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(
    join(tmp, 'package.json'),
    JSON.stringify({ name: 'groundwork-code-server', private: true }),
  );
  const env = {
    ...process.env,
    PATH: `${dirname(paths.node)}${delimiter}${process.env.PATH}`,
    npm_config_nodedir: paths.nodeHome,
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  run(
    paths.node,
    [
      npm,
      'install',
      '--no-save',
      '--ignore-scripts',
      '--omit=dev',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    { cwd: tmp, env },
    log,
  );
  const pkg = join(tmp, 'node_modules', 'code-server');
  for (const project of [join(pkg, 'lib', 'vscode'), join(pkg, 'lib', 'vscode', 'extensions')]) {
    const file = join(project, 'package.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...manifest, allowScripts: SCRIPT_POLICY }, null, 2));
  }
  // argon2 (password hashing, unused with --auth none) loads its shipped prebuilds at run time.
  const userAgent = `npm/${spawnSync(paths.node, [npm, '-v'], { encoding: 'utf8', env }).stdout.trim()} node/v${NODE_VERSION} ${process.platform} ${process.arch} workspaces/false`;
  run(
    'sh',
    ['./postinstall.sh'],
    { cwd: pkg, env: { ...env, npm_config_user_agent: userAgent } },
    log,
  );
  const entry = join(tmp, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  // The native module that VS Code's server cannot start without; fail here, not at first use.
  const pty = join(tmp, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', 'node-pty');
  if (!existsSync(pty))
    throw new Error(
      'code-server postinstall did not install lib/vscode dependencies (node-pty missing)',
    );
  writeFileSync(
    join(tmp, '.groundwork-installed.json'),
    JSON.stringify(
      {
        codeServer: CODE_SERVER_VERSION,
        node: NODE_VERSION,
        installedAt: new Date().toISOString(),
        seconds: (Date.now() - t0) / 1000,
      },
      null,
      2,
    ),
  );
  rmSync(csDir, { recursive: true, force: true });
  renameSync(tmp, csDir);
  log(
    `installed code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return paths;
}

/**
 * VS Code's server has native modules (node-pty, spdlog, sqlite3...) that code-server's
 * postinstall compiles: it needs python3, make and a C++ compiler. On Debian as root (CI),
 * install what is missing from the Debian archive; elsewhere, say what to install.
 */
function ensureBuildTools(log) {
  const has = (cmd) =>
    spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  const missing = ['python3', 'make', 'g++'].filter((c) => !has(c));
  if (missing.length === 0 || process.platform === 'win32') return;
  const packages = [
    ...new Set(missing.map((c) => (c === 'python3' ? 'python3' : 'build-essential'))),
  ];
  if (has('apt-get') && process.getuid?.() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-q'], { cwd: '/', env }, log);
    run(
      'apt-get',
      ['install', '-y', '-q', '--no-install-recommends', ...packages],
      { cwd: '/', env },
      log,
    );
    return;
  }
  throw new Error(
    `code-server builds native modules and needs ${missing.join(', ')}: install them (e.g. apt-get install ${packages.join(' ')})`,
  );
}

function versionOk(node) {
  const result = spawnSync(node, ['-v'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === `v${NODE_VERSION}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const paths = installCodeServer({ force: process.argv.includes('--force') });
    console.log(
      JSON.stringify({ node: paths.node, codeServerEntry: paths.codeServerEntry }, null, 2),
    );
  } catch (error) {
    console.error(`[vscode-install] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
