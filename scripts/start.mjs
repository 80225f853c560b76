// `npm start`: Groundwork in a real VS Code in your browser, with a demo dataset open.
//
// On a fresh machine it installs what is missing (npm ci when node_modules is absent;
// code-server and its Node 24 under .tools/), builds and packs the extension, installs it
// into code-server, makes the demo workspace (.cache/demo/shared: a copy of
// ../shared/assets when present, else a video rendered here with ffmpeg), starts code-server
// on 127.0.0.1 and prints the URL that opens the dataset in the Groundwork editor.
// Ctrl+C stops everything it started.
//
// Flags: see HELP below (`npm start -- --help`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const given = argv[at + 1];
  if (given === undefined || given.startsWith('--')) throw new Error(`${name} needs a value`);
  return given;
};
const say = (m) => console.log(`[start] ${m}`);

const HELP = `npm start [-- flags]: Groundwork in code-server (VS Code in the browser) with a demo dataset.
  --port <n>        port to listen on, on 127.0.0.1 (default: a free one)
  --no-browser      only print the URL (the default when there is no display)
  --open            open the URL in a browser even where no display is detected
  --folder <dir>    open this folder instead of the demo (its first *.cop.jsonl opens)
  --generated       render the demo video even when ../shared/assets exists
  --fresh           recreate the demo workspace (drops edits made to it)
  --restricted      keep workspace trust on (Restricted Mode: no models run)
  --no-package      reuse the last .vsix (.cache/demo/groundwork.vsix) without rebuilding`;

if (flag('--help') || flag('-h')) {
  console.log(HELP);
  process.exit(0);
}

function run(cmd, args, env = {}) {
  say(`${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function firstDataset(folder) {
  const stack = [folder];
  while (stack.length) {
    const dir = stack.shift();
    let names;
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of names) {
      if (entry.isFile() && entry.name.endsWith('.cop.jsonl')) return join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
        stack.push(join(dir, entry.name));
    }
  }
  return undefined;
}

function openBrowser(url) {
  /** @type {[string, string[]]} */
  const opener =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const [command, args] = opener;
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => say('could not open a browser; open the URL above yourself'));
    child.unref();
  } catch {
    say('could not open a browser; open the URL above yourself');
  }
}

async function main() {
  const t0 = Date.now();
  // 1. npm dependencies (the lock file's; ONNXRUNTIME_NODE_INSTALL=skip skips onnxruntime-node's
  //    CUDA download, so it works offline, without the warning the same setting gave in .npmrc).
  if (!existsSync(join(root, 'node_modules', '.package-lock.json')))
    run('npm', ['ci', '--no-audit', '--no-fund'], { ONNXRUNTIME_NODE_INSTALL: 'skip' });

  // 2. code-server and Node 24 (once; later runs find them in .tools/).
  const { installCodeServer } = await import('./vscode/install.mjs');
  installCodeServer({ root, log: say });

  // 3. Build and pack the extension for this machine.
  const demoDir = join(root, '.cache', 'demo');
  mkdirSync(demoDir, { recursive: true });
  const vsix = join(demoDir, 'groundwork.vsix');
  if (!flag('--no-package') || !existsSync(vsix)) {
    const { packageVsix } = await import('./package.mjs');
    packageVsix({ root, out: vsix, log: say });
  }

  // 4. The workspace and the dataset to open.
  let folder;
  let dataset;
  const folderFlag = value('--folder');
  if (folderFlag) {
    folder = resolve(folderFlag);
    if (!existsSync(folder)) throw new Error(`--folder ${folder} does not exist`);
    dataset = firstDataset(folder);
  } else {
    const { makeDemo } = await import('./demo/makeDemo.mjs');
    const demo = makeDemo({ generated: flag('--generated'), fresh: flag('--fresh'), log: say });
    folder = demo.folder;
    dataset = demo.dataset;
    say(
      `demo workspace (${demo.source === 'shared' ? 'a copy of ../shared/assets' : 'rendered with ffmpeg'}): ${folder}`,
    );
  }

  // 5. code-server with the extension; its state persists in .cache/demo between runs.
  const { startCodeServer } = await import('./vscode/server.mjs');
  const { demoSettings } = await import('./vscode/demoSettings.mjs');
  const port = value('--port');
  const server = await startCodeServer({
    root,
    folder,
    vsix: [vsix],
    trust: !flag('--restricted'),
    ...(port ? { port: Number(port) } : {}),
    userDataDir: join(demoDir, 'user-data'),
    // The real YOLOX-nano beside the project, so the demo's suggestions work offline.
    settings: demoSettings(root),
    extensionsDir: join(demoDir, 'extensions'),
    log: say,
  });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping code-server');
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const url = server.url(folder);
  console.log('');
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(0)} s. Open:\n\n    ${url}\n`);
  say(`logs: ${join(demoDir, 'user-data', 'logs')}. Ctrl+C stops code-server.`);
  // The dataset opens in the Groundwork editor once a browser window connects.
  if (dataset) {
    void server.openWhenConnected(dataset).then((opened) => {
      if (opened) say(`opened ${dataset}`);
    });
  }
  const display =
    process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  if (!flag('--no-browser') && (display || flag('--open'))) openBrowser(url);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
