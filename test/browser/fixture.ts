/**
 * One served editor and one Chromium page on it, shared by the tests of a file: the
 * workspace, `groundwork serve`, the browser and the page are made before the first test and
 * removed after the last, so a test file states only what differs (its dataset, flags, size).
 */
import { after, before } from 'node:test';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cleanup, copyAssets, ensureBuilt, launch, serve } from './harness';
import type { Served } from './harness';

/** What a test file's editor differs in; everything has a default. */
export interface ServedEditorOptions {
  /** Makes the workspace; default: a copy of the assets, serving datasets/sample.cop.jsonl. */
  readonly workspace?: () => { dir: string; dataset: string };
  /** Extra `groundwork serve` arguments. */
  readonly args?: readonly string[];
  /** Extra environment for serve (the frame cache always lives in the workspace). */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether the models run (default off, so no suggestion lands while a test draws). */
  readonly models?: boolean;
  /** The page's viewport. */
  readonly viewport?: { width: number; height: number };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the served editor has no ${what} (skipped?)`);
  return value;
}

/** The parts of a running editor; reading one before it started throws. */
export class ServedEditor {
  /** Errors the page threw, for tests that check there were none. */
  readonly errors: string[] = [];
  private workspace: string | undefined;
  private server: Served | undefined;
  private chromium: Browser | undefined;
  private tab: Page | undefined;

  /** The temp workspace folder. */
  get dir(): string {
    return ready(this.workspace, 'workspace');
  }
  /** The running `groundwork serve`. */
  get served(): Served {
    return ready(this.server, 'server');
  }
  /** The browser. */
  get browser(): Browser {
    return ready(this.chromium, 'browser');
  }
  /** The page (not yet navigated: tests go to `served.url` themselves). */
  get page(): Page {
    return ready(this.tab, 'page');
  }

  /** Makes the workspace and starts serve, Chromium and the page. */
  async start(options: ServedEditorOptions): Promise<void> {
    ensureBuilt();
    const made = options.workspace?.() ?? defaultWorkspace();
    this.workspace = made.dir;
    this.server = await serve(
      made.dataset,
      options.args ?? [],
      { GROUNDWORK_CACHE_DIR: join(made.dir, '.cache'), ...options.env },
      options.models ?? false,
    );
    this.chromium = await launch();
    this.tab = await this.chromium.newPage({
      viewport: options.viewport ?? { width: 1400, height: 860 },
    });
    this.tab.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
  }

  /** Closes what `start` opened and removes the workspace. */
  async stop(): Promise<void> {
    await this.chromium?.close();
    await this.server?.stop();
    if (this.workspace) cleanup(this.workspace);
  }
}

function defaultWorkspace(): { dir: string; dataset: string } {
  const dir = copyAssets();
  return { dir, dataset: join(dir, 'datasets', 'sample.cop.jsonl') };
}

/**
 * Registers the before/after hooks of a test file's editor and returns it. With `skip` set
 * nothing starts (the tests skip themselves with that reason).
 */
export function useServedEditor(
  skip: string | undefined,
  options: ServedEditorOptions = {},
): ServedEditor {
  const editor = new ServedEditor();
  before(async () => {
    if (!skip) await editor.start(options);
  });
  after(() => editor.stop());
  return editor;
}
