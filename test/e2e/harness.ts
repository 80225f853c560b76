/**
 * End-to-end harness: the extension packed as a .vsix (scripts/package.mjs), installed into a
 * real VS Code (code-server from scripts/vscode/, installed on first use), driven through
 * Debian's Chromium with playwright-core. The workspace is a temp copy of ../shared/assets.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
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
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, FrameLocator, Page } from 'playwright-core';

/** The project root. */
export const ROOT = resolve(__dirname, '..', '..');
/** The shared assets, beside the project. */
export const ASSETS = resolve(ROOT, '..', 'shared', 'assets');
/** Where screenshots and kept logs go (gitignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const CHROMIUM = '/usr/bin/chromium';

/** Why the code-server tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(join(ASSETS, 'datasets', 'sample.cop.jsonl')))
    return `shared assets not found at ${ASSETS}; the e2e tests need ../shared/assets`;
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  return undefined;
}

/** scripts/vscode/server.mjs, as far as the tests use it. */
export interface CodeServer {
  readonly port: number;
  readonly userDataDir: string;
  url(folder?: string): string;
  output(): string;
  extensionHostLogs(): string[];
  stop(): Promise<void>;
}
interface ServerModule {
  startCodeServer(o: {
    folder?: string;
    vsix?: string[];
    trust?: boolean;
    settings?: Record<string, unknown>;
    keybindings?: string;
    log?: (m: string) => void;
  }): Promise<CodeServer>;
}
interface PackageModule {
  packageVsix(o: { out?: string; build?: boolean; log?: (m: string) => void }): { vsix?: string };
}

const importScript = async <T>(rel: string): Promise<T> =>
  (await import(pathToFileURL(join(ROOT, rel)).href)) as T;
const log = (m: string): void => console.log(`# ${m}`);

function hashTree(h: ReturnType<typeof createHash>, p: string): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort())
      if (!name.endsWith('.map')) hashTree(h, join(p, name));
  } else {
    h.update(p).update(readFileSync(p));
  }
}

/**
 * The .vsix for this machine, built by `scripts/package.mjs` (esbuild --production, then
 * vsce). Packed once per content: test files run as separate processes and share it through
 * .cache/e2e/, keyed by a hash of everything that ships from the checkout.
 * GROUNDWORK_E2E_VSIX=<file.vsix> tests that package instead.
 */
export async function ensureVsix(): Promise<string> {
  // A prebuilt package to test instead (e.g. a CI artifact).
  if (process.env.GROUNDWORK_E2E_VSIX) return resolve(process.env.GROUNDWORK_E2E_VSIX);
  const pkg = await importScript<PackageModule>('scripts/package.mjs');
  const { spawnSync } = await import('node:child_process');
  const b = spawnSync(process.execPath, ['esbuild.mjs', '--production'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (b.status !== 0) throw new Error('esbuild --production failed');
  const h = createHash('sha256');
  for (const p of [
    'package.json',
    'package-lock.json',
    'README.md',
    'LICENSE',
    '.vscodeignore',
    'dist',
    'media',
    'models',
  ])
    hashTree(h, join(ROOT, p));
  const key = h.digest('hex').slice(0, 16);
  const dir = join(ROOT, '.cache', 'e2e');
  const vsix = join(dir, `groundwork-${key}.vsix`);
  if (existsSync(vsix)) return vsix;
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir))
    if (old.endsWith('.vsix')) rmSync(join(dir, old), { force: true });
  const t0 = Date.now();
  pkg.packageVsix({ out: vsix, build: false, log });
  log(`packaged ${vsix} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return vsix;
}

/** A temp workspace holding a copy of the assets (datasets/, frames/, videos/). */
export function copyAssets(prefix = 'gw-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const d of ['datasets', 'frames', 'videos'])
    if (existsSync(join(ASSETS, d))) cpSync(join(ASSETS, d), join(dir, d), { recursive: true });
  // ../shared is read-only; the copy is the user's own, writable workspace.
  chmodTree(dir);
  return dir;
}

function chmodTree(p: string): void {
  const st = statSync(p);
  chmodSync(p, st.mode | 0o200);
  if (st.isDirectory()) for (const name of readdirSync(p)) chmodTree(join(p, name));
}

/** A running code-server with our extension, and a Chromium page on the workbench. */
export interface Session {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly folder: string;
  /** Errors the page reported (console errors, page errors). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Starts code-server with the .vsix installed, opens `folder` in Chromium, waits for the workbench. */
export async function openVsCode(
  folder: string,
  opts: { trust?: boolean; settings?: Record<string, unknown>; keybindings?: string } = {},
): Promise<Session> {
  const vsix = await ensureVsix();
  const { startCodeServer } = await importScript<ServerModule>('scripts/vscode/server.mjs');
  const t0 = Date.now();
  const server = await startCodeServer({
    folder,
    vsix: [vsix],
    trust: opts.trust ?? true,
    log,
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.keybindings !== undefined ? { keybindings: opts.keybindings } : {}),
  });
  log(`code-server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1500, height: 920 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(server.url(folder));
  await waitForWorkbench(page);
  return {
    server,
    browser,
    page,
    folder,
    errors,
    close: async () => {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}

/** Waits until the workbench has loaded and the extension host has started. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await page.waitForSelector('.statusbar', { timeout: 30_000 });
  await page.waitForTimeout(1000);
}

/**
 * Opens the Quick Input with `key` (Ctrl+P files, Ctrl+Shift+P commands) and types `text`.
 * Keys only reach the workbench when it has focus, so on a miss it focuses the side bar
 * (a click there changes nothing) and tries again.
 */
async function quickInput(page: Page, key: string, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 4000 });
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
      await page
        .locator('.part.sidebar .composite.title')
        .first()
        .click()
        .catch(() => {});
    }
  }
  await input.fill(text);
}

/** Opens a workspace file by its relative path through Quick Open (Ctrl+P). */
export async function quickOpen(page: Page, relPath: string): Promise<void> {
  await quickInput(page, 'Control+P', relPath);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** Runs a command from the Command Palette by its title, e.g. "Groundwork: Export Dataset". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, 'Control+Shift+P', `>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** The editor webview's inner document (VS Code nests it: iframe.webview.ready > #active-frame). */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Waits until the webview's stage shows frame `n` drawn (any frame when n is undefined). */
export async function waitStage(page: Page, n?: number, timeout = 60_000): Promise<void> {
  const sel =
    n === undefined
      ? '[data-testid="stage"][data-ready="true"]'
      : `[data-testid="stage"][data-frame="${n}"][data-ready="true"]`;
  await webview(page).locator(sel).waitFor({ timeout });
}

/** Waits for an attribute value on a webview element. */
export async function waitAttr(
  page: Page,
  testid: string,
  name: string,
  value: string,
  timeout = 20_000,
): Promise<void> {
  await webview(page).locator(`[data-testid="${testid}"][${name}="${value}"]`).waitFor({ timeout });
}

/** Saves a screenshot of the whole VS Code window under test-artifacts/e2e/. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Entries of the extension host logs that report our extension failing: "Activating extension
 * ... failed", or any error entry (with its stack) that runs through our installed code
 * (`groundwork.groundwork-<version>/`) or names the extension. Copies the logs to
 * test-artifacts/e2e/.
 */
export function extensionHostProblems(server: CodeServer, name: string): string[] {
  const files = server.extensionHostLogs();
  mkdirSync(ARTIFACTS, { recursive: true });
  const problems: string[] = [];
  for (const [i, f] of files.entries()) {
    const text = readFileSync(f, 'utf8');
    writeFileSync(join(ARTIFACTS, `${name}-exthost-${i + 1}.log`), text);
    // An entry starts with a timestamp; stack lines continue it.
    const entries = text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/);
    for (const entry of entries) {
      const ours = /groundwork\.groundwork/i.test(entry);
      if (
        /Activating extension .*groundwork.* failed/i.test(entry) ||
        (ours && /^\S+ \S+ \[error\]/.test(entry))
      ) {
        problems.push(entry.split('\n').slice(0, 8).join('\n'));
      }
    }
  }
  return problems;
}

/** True once the extension host log says our extension activated. */
export function extensionActivated(server: CodeServer): boolean {
  return server
    .extensionHostLogs()
    .some((f) =>
      /ExtensionService#_doActivateExtension groundwork\.groundwork/.test(readFileSync(f, 'utf8')),
    );
}
