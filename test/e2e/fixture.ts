/**
 * One real VS Code (code-server + Chromium on its workbench) shared by the tests of a file:
 * the workspace is made and the window opened before the first test, and after the last the
 * extension host's problems are printed, the window closed and the workspace removed. A test
 * file states only what differs (its workspace, settings, keybindings, trust, extra skip).
 */
import { after, before } from 'node:test';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { copyAssets, extensionHostProblems, openVsCode, skipReason } from './harness';
import type { Session } from './harness';

/** What `openVsCode` is asked for, given the workspace folder. */
export type OpenOptions = NonNullable<Parameters<typeof openVsCode>[1]>;

/** What a test file's VS Code differs in; everything but the name has a default. */
export interface VsCodeFixtureOptions {
  /** Names the file in skip messages, temp folders and the extension host log check. */
  readonly name: string;
  /** Makes the workspace (default: a copy of the shared assets); returns the folder to open. */
  readonly workspace?: () => string | Promise<string>;
  /** The folder to remove after the last test when it is not the workspace (e.g. its parent). */
  readonly removeAfter?: () => string;
  /** Settings, keybindings and trust for the window. */
  readonly open?: OpenOptions | (() => OpenOptions | Promise<OpenOptions>);
  /**
   * Runs once the window is open, inside the same hook (Node 20 starts a file's root-level
   * `before` hooks without waiting for the one before, so a second hook cannot rely on this).
   */
  readonly onOpen?: (session: Session) => void | Promise<void>;
  /** Another reason to skip, beside the missing code-server / Chromium / shared assets. */
  readonly skip?: string;
}

/** The parts of a running VS Code; reading one before it started (or when skipped) throws. */
export class VsCodeFixture {
  /** Why the file's tests skip, or undefined when they run (pass it as the test's `skip`). */
  readonly skip: string | undefined;
  private session: Session | undefined;
  private folder: string | undefined;

  constructor(skip: string | undefined) {
    this.skip = skip;
  }

  /** The running window. */
  get s(): Session {
    if (!this.session) throw new Error('VS Code is not open (skipped, or before() failed)');
    return this.session;
  }
  /** The workbench page. */
  get page(): Page {
    return this.s.page;
  }
  /** The workspace folder opened in the window. */
  get dir(): string {
    if (this.folder === undefined) throw new Error('no workspace yet');
    return this.folder;
  }

  /** Makes the workspace and opens it. */
  async start(options: VsCodeFixtureOptions): Promise<void> {
    this.folder = options.workspace
      ? await options.workspace()
      : copyAssets(`gw-e2e-${options.name}-`);
    const open = typeof options.open === 'function' ? await options.open() : (options.open ?? {});
    this.session = await openVsCode(this.folder, open);
    await options.onOpen?.(this.session);
  }

  /** Prints the extension host's problems, closes the window, removes the workspace. */
  async stop(options: VsCodeFixtureOptions): Promise<void> {
    if (this.session) {
      const problems = extensionHostProblems(this.session.server, options.name);
      if (problems.length) console.log(`# extension host problems:\n${problems.join('\n')}`);
      await this.session.close();
    }
    const remove = options.removeAfter?.() ?? this.folder;
    if (remove) rmSync(remove, { recursive: true, force: true });
  }
}

/**
 * Registers the file's before/after hooks for one VS Code window and returns its handle; a
 * skip is printed once with its reason.
 */
export function useVsCode(options: VsCodeFixtureOptions): VsCodeFixture {
  const skip = skipReason() ?? options.skip;
  if (skip) console.log(`# skipped the ${options.name} e2e tests: ${skip}`);
  const vs = new VsCodeFixture(skip);
  before(async () => {
    if (!skip) await vs.start(options);
  });
  after(async () => {
    await vs.stop(options);
  });
  return vs;
}
