/**
 * Browser test harness: a temp copy of ../shared/assets (datasets/, frames/, videos/ keeping
 * the layout so `../frames/...` resolves), `groundwork serve` from the built dist/cli.js,
 * and Chromium through playwright-core. Skips with a reason when the assets are absent.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';

/** The project root. */
export const ROOT = resolve(__dirname, '..', '..');
/** The shared assets, beside the project. */
export const ASSETS = resolve(ROOT, '..', 'shared', 'assets');
/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');
const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(join(ASSETS, 'datasets', 'sample.cop.jsonl')))
    return `shared assets not found at ${ASSETS}; browser tests need ../shared/assets`;
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}`;
  return undefined;
}

/** Builds dist/ once if the bundles are missing. */
export function ensureBuilt(): void {
  if (
    existsSync(join(ROOT, 'dist', 'cli.js')) &&
    existsSync(join(ROOT, 'dist', 'webview.js')) &&
    existsSync(join(ROOT, 'dist', 'webview.css')) &&
    !process.env.GROUNDWORK_REBUILD
  )
    return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** A temp workspace holding a copy of the assets. */
export function copyAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-browser-'));
  for (const d of ['datasets', 'frames', 'videos'])
    if (existsSync(join(ASSETS, d))) cpSync(join(ASSETS, d), join(dir, d), { recursive: true });
  return dir;
}

/** A running `groundwork serve`. */
export interface Served {
  readonly url: string;
  readonly proc: ChildProcess;
  readonly log: string[];
  stop(): Promise<void>;
}

/**
 * Starts `groundwork serve <dataset>` and resolves with the URL it prints. Models are off
 * (`--no-models`) unless `models` is set, so that no suggestion lands in the middle of a
 * test that draws by hand.
 */
export function serve(
  dataset: string,
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  models = false,
): Promise<Served> {
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'cli.js'), 'serve', dataset, ...extra, ...(models ? [] : ['--no-models'])],
    {
      cwd: ROOT,
      // Crash recoveries of test datasets go with their temp folder, not into ~/.local/state.
      env: {
        ...process.env,
        GROUNDWORK_RECOVERY_DIR: resolve(dataset, '..', '..', '.recovery'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  return new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`serve did not start: ${log.join('')}`)), 20000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({
          url: m[0],
          proc,
          log,
          stop: () =>
            new Promise<void>((done) => {
              if (proc.exitCode !== null) {
                done();
                return;
              }
              proc.once('exit', () => done());
              proc.kill('SIGTERM');
            }),
        });
      }
    });
    proc.stderr?.on('data', (d: Buffer) => log.push(String(d)));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited ${code}: ${log.join('')}`));
    });
  });
}

/** Launches Chromium with the flags this machine needs. */
export function launch(): Promise<Browser> {
  return chromium.launch({
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
}

/** Saves a screenshot under test-artifacts/browser/. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Waits until the stage shows frame `n` drawn. */
export async function waitFrame(page: Page, n: number, timeout = 30000): Promise<void> {
  await page.waitForSelector(`[data-testid="stage"][data-frame="${n}"][data-ready="true"]`, {
    timeout,
  });
}

/** Removes a temp dir. */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Screen position of source pixel (x, y) on the stage, from its `data-view` transform. */
export async function stagePoint(
  page: Page,
  x: number,
  y: number,
): Promise<{ x: number; y: number }> {
  const stage = page.getByTestId('stage');
  const box = await stage.boundingBox();
  const view = await stage.getAttribute('data-view');
  assert.ok(box && view, 'stage has a box and a view transform');
  const [s, ox, oy] = view.split(',').map(Number) as [number, number, number];
  return { x: box.x + ox + x * s, y: box.y + oy + y * s };
}

/**
 * Picks line `line` (0-based) in the sample picker (issue 14: a virtualised list, not a
 * `<select>`): opens it, searches `id` when given (a large list draws only the rows in view),
 * and clicks the row. `root` is a page or a webview frame.
 */
export async function pickSample(
  root: { locator(selector: string): Locator; getByTestId(id: string): Locator },
  line: number | string,
  id?: string,
): Promise<void> {
  await root.getByTestId('sample-picker-toggle').click();
  await root.getByTestId('sample-filter').selectOption('all');
  await root.getByTestId('sample-search').fill(id ?? '');
  // Rows are recycled as the list scrolls: a hidden one may still carry an old line.
  await root.locator(`[data-testid="sample-row"][data-line="${line}"]:not([hidden])`).click();
}

/** Opens the sample on line `line` (0-based) from the sample picker and waits for its id. */
export async function openSample(page: Page, line: number | string, id: string): Promise<void> {
  await pickSample(page, line, id);
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sample-label"]')?.textContent === want,
    id,
  );
}
