/**
 * The extension in a real VS Code (code-server): the .vsix installs and activates cleanly;
 * the custom editor opens datasets/sample.cop.jsonl; draw a box, accept a proposal (Enter),
 * VS Code's own undo/redo (Ctrl+Z, Ctrl+Shift+Z) and save (Ctrl+S) change the file on disk;
 * the export command runs from the Command Palette; unsaved edits survive a window reload
 * (hot exit). Screenshots of the editor inside VS Code go to test-artifacts/e2e/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ASSETS,
  ROOT,
  extensionActivated,
  extensionHostProblems,
  quickOpen,
  runCommand,
  shot,
  waitAttr,
  waitForWorkbench,
  waitStage,
  webview,
} from './harness';
import { useVsCode } from './fixture';

let page: Page;
const vs = useVsCode({
  name: 'editor',
  onOpen: (session) => {
    page = session.page;
  },
  // Export includes annotated samples not approved yet (the flow below annotates one).
  open: { settings: { 'groundwork.export.includeUnapproved': true } },
});
const skip = vs.skip;

const DATASET = 'datasets/sample.cop.jsonl';
const file = (): string => join(vs.dir, DATASET);
const shared = (): string[] => readFileSync(join(ASSETS, DATASET), 'utf8').split('\n');

interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    customEditors?: { viewType: string }[];
  };
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

const status = (i: number): Promise<string | null> =>
  webview(page).getByTestId(`entity-item-${i}`).getAttribute('data-status');

/** The editor tab of the dataset shows VS Code's dirty marker. */
async function tabDirty(): Promise<boolean> {
  return (
    (await page.locator('.tabs-container .tab.dirty', { hasText: 'sample.cop.jsonl' }).count()) > 0
  );
}

async function waitDirty(dirty: boolean): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const tab = [...document.querySelectorAll('.tabs-container .tab')].find((t) =>
        t.textContent?.includes('sample.cop.jsonl'),
      );
      return !!tab && tab.classList.contains('dirty') === want;
    },
    dirty,
    { timeout: 20_000 },
  );
}

test(
  'the .vsix installs into code-server; the custom editor opens the dataset; activation logs no error',
  { skip },
  async () => {
    assert.ok(
      manifest.contributes?.customEditors?.some((e) => e.viewType === 'groundwork.copEditor'),
      'package.json contributes the custom editor groundwork.copEditor',
    );
    await quickOpen(page, DATASET);
    // The custom editor, not the text editor: its webview draws the first sample's frame.
    await waitStage(page, undefined, 90_000);
    await webview(page).getByTestId('sample-label').waitFor({ state: 'attached' });
    assert.equal(
      await webview(page).getByTestId('sample-label').textContent(),
      'bathroom-cloth-0001',
    );
    await shot(page, '01-editor-open');
    assert.ok(
      extensionActivated(vs.s.server),
      'the extension host log says groundwork.groundwork activated',
    );
    const problems = extensionHostProblems(vs.s.server, 'editor');
    assert.deepEqual(
      problems,
      [],
      `no activation failure or error from groundwork in the extension host log:\n${problems.join('\n---\n')}`,
    );
  },
);

test(
  'draw a box, accept a proposal with Enter, Ctrl+Z / Ctrl+Shift+Z, Ctrl+Enter, Ctrl+S writes the file',
  { skip },
  async () => {
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

    // The other entities are not groundable; Ctrl+Enter marks the sample annotated and opens the next todo.
    for (const i of [1, 2, 4]) {
      await wv.getByTestId(`entity-item-${i}`).click();
      await page.keyboard.press('Delete');
      await waitAttr(page, `entity-item-${i}`, 'data-status', 'not_groundable');
    }
    await page.keyboard.press('Control+Enter');
    await wv
      .locator('[data-testid="sample-label"]', { hasText: 'bedroom-nightstand-0002' })
      .waitFor({ state: 'attached', timeout: 20_000 });

    // VS Code's save.
    await page.keyboard.press('Control+s');
    await waitDirty(false);
    const before = shared();
    const saved = readFileSync(file(), 'utf8').split('\n');
    assert.equal(saved.length, before.length);
    for (const i of [1, 2, 3, 4])
      assert.equal(saved[i], before[i], `line ${i + 1} is byte-identical`);
    assert.ok(
      saved[0]!.startsWith(before[0]!.slice(0, -1) + ', "groundwork": '),
      'line 1 only gains the groundwork key',
    );
    const state = (
      JSON.parse(saved[0]!) as {
        groundwork: {
          status: string;
          entities: {
            status: string;
            grounding?: { source: string; frame: number; points: number[][] };
          }[];
        };
      }
    ).groundwork;
    assert.equal(state.status, 'annotated');
    const [e0, e3] = [state.entities[0]!, state.entities[3]!];
    assert.equal(e0.status, 'accepted');
    assert.equal(e0.grounding?.source, 'human');
    assert.equal(e0.grounding?.frame, 3);
    const [p0, p1] = e0.grounding!.points as [[number, number], [number, number]];
    assert.ok(
      Math.abs(p0[0] - 880) < 4 &&
        Math.abs(p0[1] - 640) < 4 &&
        Math.abs(p1[0] - 1120) < 4 &&
        Math.abs(p1[1] - 800) < 4,
      JSON.stringify(e0.grounding!.points),
    );
    assert.equal(e3.status, 'accepted');
    assert.equal(e3.grounding?.source, 'import');
    assert.equal(e3.grounding?.frame, 7);
    assert.deepEqual(
      [1, 2, 4].map((i) => state.entities[i]?.status),
      ['not_groundable', 'not_groundable', 'not_groundable'],
    );
    await shot(page, '04-saved');
  },
);

test(
  'the export command runs from the Command Palette and writes the annotated sample',
  { skip },
  async () => {
    const exportId = manifest.contributes?.commands
      ?.map((c) => c.command)
      .find((id) => /^groundwork\.export/.test(id));
    assert.ok(exportId, 'package.json contributes an export command (groundwork.export*)');
    const out = join(vs.dir, 'datasets', 'sample.rynnbrain-raw.jsonl');
    await runCommand(page, commandTitle(exportId));
    // The command asks the format, then the destination (issue 12 item 8): the defaults.
    for (const pick of ['rynnbrain-raw', 'beside the dataset']) {
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first();
      await row.waitFor({ timeout: 20_000 });
      // A click, not Enter: an Enter pressed as the second pick opened once reached the
      // editor instead (the pick was not focused yet) and the export never ran.
      await row.click();
    }
    const deadline = Date.now() + 90_000;
    while (
      Date.now() < deadline &&
      !(existsSync(out) && readFileSync(out, 'utf8').includes('bathroom-cloth-0001'))
    )
      await page.waitForTimeout(500);
    await page.waitForTimeout(1000);
    await shot(page, '05-exported');
    assert.ok(
      existsSync(out),
      `the export wrote ${out} (datasets/ holds ${readdirSync(join(vs.dir, 'datasets')).join(', ')})`,
    );
    const records = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string;
            conversation: { role: string; content: { text: string | null }[] }[];
          },
      );
    const rec = records.find((r) => r.id === 'bathroom-cloth-0001');
    assert.ok(rec, 'the annotated sample is exported');
    const thinking = rec.conversation
      .find((t) => t.role === 'Thinking')!
      .content.map((c) => c.text ?? '')
      .join('');
    assert.match(thinking, /blue cloth <object> <frame 7>: \(644, 0\), \(1000, 738\) <\/object>/);
    assert.match(thinking, /red door handle <object> <frame 3>: /);
  },
);

/** Opens line `line` from the sample picker (rows are recycled: only a visible one counts). */
async function pickLine(wv: ReturnType<typeof webview>, line: number): Promise<void> {
  await wv.getByTestId('sample-picker-toggle').click();
  await wv.getByTestId('sample-filter').selectOption('all');
  await wv.getByTestId('sample-search').fill('');
  await wv.locator(`[data-testid="sample-row"][data-line="${line}"]:not([hidden])`).click();
}

test('unsaved edits survive a window reload (hot exit)', { skip }, async () => {
  const wv = webview(page);
  const label = async (): Promise<string | null> => wv.getByTestId('sample-label').textContent();
  // bedroom-nightstand-0002 (sample 1), entity 0: Del marks it not groundable; do not save.
  if ((await label()) !== 'bedroom-nightstand-0002') await pickLine(wv, 1);
  await wv
    .locator('[data-testid="sample-label"]', { hasText: 'bedroom-nightstand-0002' })
    .waitFor({ state: 'attached', timeout: 20_000 });
  await wv.getByTestId('entity-item-0').click();
  await page.keyboard.press('Delete');
  await waitAttr(page, 'entity-item-0', 'data-status', 'not_groundable');
  await waitDirty(true);
  const onDisk = readFileSync(file(), 'utf8');
  await shot(page, '06-before-reload');
  // VS Code writes hot-exit backups about a second after a change; the web workbench cannot
  // wait for one while it unloads, so give it that second (as any user reloading would).
  await page.waitForTimeout(2500);

  await runCommand(page, 'Developer: Reload Window');
  await page.waitForTimeout(2000);
  await waitForWorkbench(page);
  await waitStage(page, undefined, 90_000);
  await page.waitForTimeout(1000);
  await shot(page, '07-after-reload');
  if ((await label()) !== 'bedroom-nightstand-0002') await pickLine(wv, 1);
  await wv
    .locator('[data-testid="sample-label"]', { hasText: 'bedroom-nightstand-0002' })
    .waitFor({ state: 'attached', timeout: 20_000 });
  await waitAttr(page, 'entity-item-0', 'data-status', 'not_groundable', 30_000);
  assert.equal(readFileSync(file(), 'utf8'), onDisk, 'the reload did not save');
  assert.ok(
    await tabDirty(),
    'the restored editor is marked dirty (else closing it would drop the restored edit without asking)',
  );
});

test(
  'no errors from groundwork in the extension host logs over the whole session',
  { skip },
  () => {
    const problems = extensionHostProblems(vs.s.server, 'editor');
    assert.deepEqual(
      problems,
      [],
      `errors from groundwork in the extension host log:\n${problems.join('\n---\n')}`,
    );
  },
);
