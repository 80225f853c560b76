// Starts and stops code-server (a real VS Code in the browser) for tests and the demo:
// loopback only, a random free port, no auth, no telemetry or update checks, a throw-away
// user-data and extensions folder, our .vsix installed. Every process it starts runs in one
// process group, and stop() (or this process exiting) kills the whole group.
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installCodeServer } from './install.mjs';

/** User settings that keep the window quiet and deterministic for tests and the demo. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'github.gitAuthentication': false,
  'workbench.enableExperiments': false,
  'window.restoreWindows': 'all',
  'files.hotExit': 'onExitAndWindowClose',
  // VS Code for the web saves after a delay by default; desktop does not. Off, so that Ctrl+S
  // and hot exit are what is tested (and what the demo shows).
  'files.autoSave': 'off',
};

const running = new Set();
process.once('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * The environment for code-server's CLI: a code-server terminal's hook would hijack the calls.
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function cliEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

/**
 * Runs code-server's CLI once (install an extension, list extensions) and returns its output.
 * @param {{ node: string, codeServerEntry: string }} tools
 * @param {string[]} args
 * @param {{ userDataDir: string, extensionsDir: string, env?: NodeJS.ProcessEnv }} options
 */
export function codeServerCli(tools, args, { userDataDir, extensionsDir, env = cliEnv() }) {
  const result = spawnSync(
    tools.node,
    [
      tools.codeServerEntry,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      ...args,
    ],
    { encoding: 'utf8', env, timeout: 120_000 },
  );
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0)
    throw new Error(
      `code-server ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${out}`,
    );
  return out;
}

/**
 * Starts code-server and resolves once it answers /healthz.
 * @param {object} o
 * @param {string} [o.root] the checkout (for .tools/)
 * @param {string} [o.folder] folder to open (also the default for url)
 * @param {string[]} [o.vsix] extensions to install first
 * @param {boolean} [o.trust=true] false keeps workspace trust on, so a folder opens in Restricted Mode
 * @param {number} [o.port=0] 0 picks a free port
 * @param {string} [o.userDataDir] default: a folder in a fresh temp folder that stop() removes
 * @param {string} [o.extensionsDir] default: a folder in the same temp folder
 * @param {Record<string, unknown>} [o.settings] user settings, merged over QUIET_SETTINGS
 * @param {string} [o.keybindings] the text of the user's keybindings.json (VS Code reads it at start)
 * @param {boolean} [o.keep] keep the temp folder after stop (to read logs later)
 * @param {NodeJS.ProcessEnv} [o.env] extra environment for code-server and its CLI
 * @param {(m: string) => void} [o.log]
 */
export async function startCodeServer(o = {}) {
  const log = o.log ?? (() => {});
  const tools = installCodeServer({ ...(o.root ? { root: o.root } : {}), log });
  const scratch = mkdtempSync(join(tmpdir(), 'gw-code-server-'));
  const userDataDir = o.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = o.extensionsDir ?? join(scratch, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const prior = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
  writeFileSync(
    settingsFile,
    JSON.stringify({ ...QUIET_SETTINGS, ...prior, ...o.settings }, null, 2),
  );
  if (o.keybindings !== undefined)
    writeFileSync(join(userDataDir, 'User', 'keybindings.json'), o.keybindings);
  // code-server would otherwise write ~/.config/code-server/config.yaml with a password.
  const config = join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env = cliEnv(o.env);

  for (const vsix of o.vsix ?? []) {
    const out = codeServerCli(tools, ['--install-extension', vsix, '--force'], {
      userDataDir,
      extensionsDir,
      env,
    });
    if (!/successfully installed/i.test(out))
      throw new Error(`installing ${vsix} into code-server said:\n${out}`);
    log(`installed ${vsix}`);
  }

  const args = [
    tools.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${o.port ?? 0}`,
    '--auth',
    'none',
    '--config',
    config,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (o.trust !== false) args.push('--disable-workspace-trust');
  if (o.folder) args.push(o.folder);
  const child = spawn(tools.node, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  running.add(child.pid);
  let output = '';
  const onData = (d) => {
    output += d.toString();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));

  let port;
  try {
    port = await new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`code-server did not start in 60 s:\n${output}`)),
        60_000,
      );
      const check = () => {
        const match = /HTTP server listening on https?:\/\/[^\s:]+:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          res(Number(match[1]));
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`code-server exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    await waitForHealth(port);
  } catch (error) {
    killGroup(child.pid, 'SIGKILL');
    running.delete(child.pid);
    throw error;
  }
  const base = `http://127.0.0.1:${port}/`;
  log(`code-server on ${base} (pid ${child.pid})`);

  let stopped;
  return {
    port,
    pid: child.pid,
    userDataDir,
    extensionsDir,
    tools,
    /** The URL that opens `folder` (default: the folder given at start). */
    url: (folder = o.folder) => (folder ? `${base}?folder=${encodeURIComponent(folder)}` : base),
    /**
     * Opens `file` in the first browser window that connects (polling code-server's CLI with
     * --reuse-window, which fails until a window of this server has the folder open). A URL
     * `payload` would open it at startup, but before the extension's editors are registered,
     * so in the text editor; this way the default editor for the file (ours) opens it.
     * Resolves true once opened; false when stop() came first.
     */
    openWhenConnected: async (file, { intervalMs = 1500 } = {}) => {
      while (!stopped) {
        const ok = await new Promise((res) => {
          execFile(
            tools.node,
            [tools.codeServerEntry, '--user-data-dir', userDataDir, '--reuse-window', file],
            { env, timeout: 30_000 },
            (err, stdout, stderr) => {
              res(!err && !/No opened code-server instances/i.test(`${stdout}${stderr}`));
            },
          );
        });
        if (ok) return true;
        await new Promise((res) => setTimeout(res, intervalMs));
      }
      return false;
    },
    /** Everything code-server printed so far. */
    output: () => output,
    /** The extension host logs of this server (there is one per window load). */
    extensionHostLogs: () =>
      findFiles(join(userDataDir, 'logs'), (name) => /exthost\.log$/i.test(name)),
    /** Kills the process group (SIGTERM, then SIGKILL after 5 s) and removes the temp folder (not folders given in o). */
    stop: () =>
      (stopped ??= (async () => {
        killGroup(child.pid, 'SIGTERM');
        const gone = await Promise.race([
          exited.then(() => true),
          new Promise((r) => setTimeout(() => r(false), 5000)),
        ]);
        // The extension host and helpers share the group; make sure none outlives the server.
        killGroup(child.pid, 'SIGKILL');
        if (!gone) await exited;
        running.delete(child.pid);
        if (!o.keep) rmSync(scratch, { recursive: true, force: true });
      })()),
  };
}

async function waitForHealth(port) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline)
      throw new Error(`code-server on port ${port} never answered /healthz`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function findFiles(dir, test) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findFiles(path, test));
    else if (test(name)) out.push(path);
  }
  return out;
}
