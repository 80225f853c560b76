/**
 * The extension in a real VS Code (code-server): the .vsix installs and activates cleanly;
 * the custom editor opens datasets/sample.cop.jsonl; draw a box, accept a proposal (Enter),
 * VS Code's own undo/redo (Ctrl+Z, Ctrl+Shift+Z) and save (Ctrl+S) change the file on disk;
 * the export command runs from the Command Palette; unsaved edits survive a window reload
 * (hot exit). Screenshots of the editor inside VS Code go to test-artifacts/e2e/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ASSETS, ROOT, copyAssets, extensionActivated, extensionHostProblems, openVsCode, quickOpen, runCommand,
  shot, skipReason, waitAttr, waitForWorkbench, waitStage, webview,
} from './harness';
import type { Session } from './harness';

const skip = skipReason();
if (skip) console.log(`# skipped e2e (code-server) tests: ${skip}`);

const DATASET = 'datasets/sample.cop.jsonl';
let dir = '';
let s: Session | undefined;
let page: Page;
const file = (): string => join(dir, DATASET);
const shared = (): string[] => readFileSync(join(ASSETS, DATASET), 'utf8').split('\n');

interface Manifest {
  contributes?: { commands?: { command: string; title: string; category?: string }[]; customEditors?: { viewType: string }[] };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** The palette title of a contributed command ("Category: Title"). */
function commandTitle(id: string): string {
  const c = manifest.contributes?.commands?.find((x) => x.command === id);
  assert.ok(c, `package.json contributes the command ${id}`);
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

/** Screen position of source pixel (x, y) on the stage (data-view = "scale,offsetX,offsetY"). */
async function at(x: number, y: number): Promise<{ x: number; y: number }> {
  const stage = webview(page).getByTestId('stage');
  const box = await stage.boundingBox();
  const view = await stage.getAttribute('data-view');
  assert.ok(box && view, 'stage has a box and a view transform');
  const [k, ox, oy] = view.split(',').map(Number) as [number, number, number];
  return { x: box.x + ox + x * k, y: box.y + oy + y * k };
}

const status = (i: number): Promise<string | null> => webview(page).getByTestId(`entity-item-${i}`).getAttribute('data-status');

/** The editor tab of the dataset shows VS Code's dirty marker. */
async function tabDirty(): Promise<boolean> {
  return (await page.locator('.tabs-container .tab.dirty', { hasText: 'sample.cop.jsonl' }).count()) > 0;
}

async function waitDirty(dirty: boolean): Promise<void> {
  await page.waitForFunction((want) => {
    const tab = [...document.querySelectorAll('.tabs-container .tab')].find((t) => t.textContent?.includes('sample.cop.jsonl'));
    return !!tab && tab.classList.contains('dirty') === want;
  }, dirty, { timeout: 20_000 });
}

before(async () => {
  if (skip) return;
  dir = copyAssets();
  s = await openVsCode(dir);
  page = s.page;
});

after(async () => {
  if (s) {
    const problems = extensionHostProblems(s.server, 'editor');
    if (problems.length) console.log(`# extension host problems:\n${problems.join('\n')}`);
    await s.close();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the .vsix installs into code-server; the custom editor opens the dataset; activation logs no error', { skip }, async () => {
  assert.ok(manifest.contributes?.customEditors?.some((e) => e.viewType === 'groundwork.copEditor'), 'package.json contributes the custom editor groundwork.copEditor');
  await quickOpen(page, DATASET);
  // The custom editor, not the text editor: its webview draws the first sample's frame.
  await waitStage(page, undefined, 90_000);
  await webview(page).getByTestId('sample-label').waitFor();
  assert.equal(await webview(page).getByTestId('sample-label').textContent(), 'bathroom-cloth-0001');
  await shot(page, '01-editor-open');
  assert.ok(extensionActivated(s!.server), 'the extension host log says groundwork.groundwork activated');
  assert.deepEqual(extensionHostProblems(s!.server, 'editor'), [], 'no activation failure or error for groundwork in the extension host log');
});

test('draw a box, accept a proposal with Enter, Ctrl+Z / Ctrl+Shift+Z, Ctrl+S writes the file', { skip }, async () => {
  const wv = webview(page);
  await waitStage(page, 0);
  // Frame 3, box tool, drag a box for entity 0 ("red door handle").
  for (let k = 0; k < 3; k++) await wv.getByTestId('btn-next').click();
  await waitStage(page, 3);
  await wv.getByTestId('tool-box').click();
  const a = await at(880, 640);
  const b = await at(1120, 800);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
  await waitAttr(page, 'entity-item-0', 'data-status', 'accepted');
  assert.equal(await wv.getByTestId('entity-item-0').getAttribute('data-source'), 'human');
  await waitDirty(true);
  await shot(page, '02-box-drawn');

  // Entity 3 ("blue cloth") carries an imported proposal on frame 7: Enter accepts it.
  await wv.getByTestId('entity-3').first().click();
  await waitStage(page, 7);
  await page.keyboard.press('Enter');
  await waitAttr(page, 'entity-item-3', 'data-status', 'accepted');
  assert.equal(await wv.getByTestId('entity-item-3').getAttribute('data-source'), 'import');
  await shot(page, '03-proposal-accepted');

  // VS Code's undo and redo (the webview forwards the keys to the workbench).
  await page.keyboard.press('Control+z');
  await waitAttr(page, 'entity-item-3', 'data-status', 'proposed');
  assert.equal(await status(0), 'accepted', 'undo takes back only the last gesture');
  await page.keyboard.press('Control+Shift+z');
  await waitAttr(page, 'entity-item-3', 'data-status', 'accepted');

  // VS Code's save.
  await page.keyboard.press('Control+s');
  await waitDirty(false);
  const before = shared();
  const saved = readFileSync(file(), 'utf8').split('\n');
  assert.equal(saved.length, before.length);
  for (const i of [1, 2, 3, 4]) assert.equal(saved[i], before[i], `line ${i + 1} is byte-identical`);
  assert.ok(saved[0]!.startsWith(before[0]!.slice(0, -1) + ', "groundwork": '), 'line 1 only gains the groundwork key');
  const state = (JSON.parse(saved[0]!) as { groundwork: { entities: { status: string; grounding?: { source: string; frame: number; points: number[][] } }[] } }).groundwork;
  const [e0, e3] = [state.entities[0]!, state.entities[3]!];
  assert.equal(e0.status, 'accepted');
  assert.equal(e0.grounding?.source, 'human');
  assert.equal(e0.grounding?.frame, 3);
  const [p0, p1] = e0.grounding!.points as [[number, number], [number, number]];
  assert.ok(Math.abs(p0[0] - 880) < 4 && Math.abs(p0[1] - 640) < 4 && Math.abs(p1[0] - 1120) < 4 && Math.abs(p1[1] - 800) < 4, JSON.stringify(e0.grounding!.points));
  assert.equal(e3.status, 'accepted');
  assert.equal(e3.grounding?.source, 'import');
  assert.equal(e3.grounding?.frame, 7);
  await shot(page, '04-saved');
});

test('the export command runs from the Command Palette and writes the export', { skip }, async () => {
  const datasets = join(dir, 'datasets');
  const beforeFiles = new Set(readdirSync(datasets));
  await runCommand(page, commandTitle('groundwork.export'));
  // The command may ask for a format or a destination; take the defaults.
  for (let k = 0; k < 4; k++) {
    await page.waitForTimeout(1500);
    const quickInput = page.locator('.quick-input-widget');
    if (!(await quickInput.isVisible())) break;
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => [...document.querySelectorAll('.notifications-toasts .notification-list-item, .notification-toast')].some((n) => /export/i.test(n.textContent ?? '')), undefined, { timeout: 60_000 }).catch(() => {});
  await shot(page, '05-export');
  const deadline = Date.now() + 60_000;
  let added: string[] = [];
  while (Date.now() < deadline) {
    added = readdirSync(datasets).filter((f) => !beforeFiles.has(f) && f.endsWith('.jsonl'));
    if (added.length) break;
    await page.waitForTimeout(500);
  }
  assert.ok(added.length > 0, `the export wrote a .jsonl beside the dataset (datasets/ holds ${readdirSync(datasets).join(', ')})`);
  const out = readFileSync(join(datasets, added[0]!), 'utf8').trim();
  assert.ok(out.length > 0, `${added[0]} is not empty`);
});

test('unsaved edits survive a window reload (hot exit)', { skip }, async () => {
  const wv = webview(page);
  // Entity 1 ("metal storage rack"): Del marks it not groundable; do not save.
  await wv.getByTestId('entity-item-1').click();
  await page.keyboard.press('Delete');
  await waitAttr(page, 'entity-item-1', 'data-status', 'rejected');
  await waitDirty(true);
  const onDisk = readFileSync(file(), 'utf8');
  await shot(page, '06-before-reload');

  await runCommand(page, 'Developer: Reload Window');
  await page.waitForTimeout(2000);
  await waitForWorkbench(page);
  await waitStage(page, undefined, 90_000);
  await waitAttr(page, 'entity-item-1', 'data-status', 'rejected', 30_000);
  assert.ok(await tabDirty(), 'the restored editor is still dirty');
  assert.equal(await status(0), 'accepted', 'saved state is there too');
  assert.equal(readFileSync(file(), 'utf8'), onDisk, 'the reload did not save');
  await shot(page, '07-restored-after-reload');
  assert.ok(existsSync(file()));
});
