/**
 * Runs the host-side suite (./suite) inside desktop VS Code with @vscode/test-electron.
 * Desktop VS Code comes from GROUNDWORK_VSCODE_EXECUTABLE, or a download where the network
 * allows one (cached in .vscode-test/). Where neither works, or Linux has no display, it says
 * why instead of running: the caller turns that into a skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Where desktop VS Code is, or why there is none. */
export async function findVsCode(): Promise<{ executable: string } | { reason: string }> {
  const given = process.env.GROUNDWORK_VSCODE_EXECUTABLE;
  if (given)
    return existsSync(given)
      ? { executable: given }
      : { reason: `GROUNDWORK_VSCODE_EXECUTABLE=${given} does not exist` };
  try {
    const executable = await downloadAndUnzipVSCode({
      version: 'stable',
      cachePath: join(ROOT, '.vscode-test'),
      timeout: 20_000,
    });
    return { executable };
  } catch (e) {
    return {
      reason: `no desktop VS Code: GROUNDWORK_VSCODE_EXECUTABLE is not set and the download failed (${e instanceof Error ? e.message : String(e)}); the code-server tests cover the extension in a real VS Code`,
    };
  }
}

/** A display for Electron on Linux: $DISPLAY, or an Xvfb we start (and stop). */
function ensureDisplay(): { display: string; xvfb?: ChildProcess } | { reason: string } {
  if (process.platform !== 'linux' || process.env.DISPLAY)
    return { display: process.env.DISPLAY ?? '' };
  if (spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status !== 0)
    return { reason: 'no DISPLAY and no Xvfb (apt-get install xvfb) for desktop VS Code' };
  const display = ':97';
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  return { display, xvfb };
}

/** Bundles the suite, opens `workspace` in desktop VS Code with the extension under development, runs it. */
export async function runElectronSuite(
  executable: string,
  workspace: string,
): Promise<{ skipped?: string }> {
  const out = join(ROOT, '.cache', 'e2e', 'electron');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(__dirname, 'suite', 'index.ts')],
    outfile: join(out, 'suite.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const display = ensureDisplay();
  if ('reason' in display) return { skipped: display.reason };
  // runTests starts VS Code with this process's environment.
  if (display.display) process.env.DISPLAY = display.display;
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(out, 'suite.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
        '--no-sandbox',
      ],
      extensionTestsEnv: { GROUNDWORK_TEST: '1' },
    });
  } finally {
    display.xvfb?.kill('SIGTERM');
  }
  return {};
}
