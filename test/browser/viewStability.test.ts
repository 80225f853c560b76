/**
 * Issue 13 items 2 and 7 in Chromium against `groundwork serve`: an arriving suggestion (the
 * real YOLOX-nano, asked by itself when a sample opens) changes neither the frame on screen
 * nor the stage's box; the filmstrip marks the proposed frame and `J` jumps there; a banner
 * message overlays the stage instead of pushing it; keys reach the editor once it is clicked
 * and the header says where they go.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  ASSETS,
  cleanup,
  copyAssets,
  ensureBuilt,
  launch,
  pickSample,
  serve,
  shot,
  skipReason,
  waitFrame,
} from './harness';
import type { Served } from './harness';

const YOLOX = join(ASSETS, '..', 'models', 'yolox_nano_416.onnx');
const skip = skipReason() ?? (existsSync(YOLOX) ? undefined : `YOLOX-nano not found at ${YOLOX}`);
if (skip) console.log(`# skipped view stability browser tests: ${skip}`);

let dir = '';
let served: Served | undefined;
let browser: Browser | undefined;
const errors: string[] = [];

before(async () => {
  if (skip) return;
  ensureBuilt();
  dir = copyAssets();
  served = await serve(
    join(dir, 'datasets', 'sample.cop.jsonl'),
    ['--device', 'cpu', '--models-dir', join(ASSETS, '..', 'models')],
    { GROUNDWORK_CACHE_DIR: join(dir, '.cache') },
    true,
  );
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) cleanup(dir);
});

async function newPage(): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return page;
}

/** The stage's box, view transform and frame: what must not change by itself. */
async function stageView(page: Page): Promise<string> {
  const stage = page.getByTestId('stage');
  const box = await stage.boundingBox();
  assert.ok(box, 'the stage is laid out');
  const view = await stage.getAttribute('data-view');
  const frame = await stage.getAttribute('data-frame');
  return JSON.stringify({ box, view, frame });
}

test(
  'an arriving suggestion leaves the frame and the stage box alone; the filmstrip marks it; J jumps',
  { skip, timeout: 300_000 },
  async () => {
    const page = await newPage();
    await page.goto(served!.url);
    await waitFrame(page, 0);
    // Stand on frame 2 before the models answer (G, type, Enter: absolute); YOLOX-nano
    // proposes frame 7 for the red door handle (the old code jumped 0 -> 7 here).
    await page.keyboard.press('g');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await waitFrame(page, 2);
    const suggestion = page.getByTestId('active-entity-suggestion');
    assert.notEqual(
      await suggestion.getAttribute('data-state'),
      'done',
      'the suggestion must arrive after this point for the test to mean anything',
    );
    const standing = await stageView(page);
    await page.waitForSelector('[data-testid="active-entity-suggestion"][data-state="done"]', {
      timeout: 240_000,
    });
    // Let the arrival's re-render and any frame load finish before comparing.
    await page.waitForTimeout(500);
    assert.equal(await stageView(page), standing, 'frame, stage box and view unchanged');
    const text = (await suggestion.textContent()) ?? '';
    const proposed = Number(/frame (\d+)/.exec(text)?.[1]);
    assert.ok(Number.isInteger(proposed), `the suggestion names its frame: ${text}`);
    assert.notEqual(proposed, 2, 'the model proposed another frame than the one on screen');
    const marked = await page.locator('.thumb.proposed').getAttribute('data-index');
    assert.equal(marked, String(proposed), 'the filmstrip marks the proposed frame');
    await shot(page, 'view-01-suggestion-arrived');
    await page.keyboard.press('j');
    await waitFrame(page, proposed);
    await shot(page, 'view-02-jumped');
    // Entity 3 carries an imported proposal on frame 7: marked until Enter accepts it (item 10).
    await page.getByTestId('entity-item-3').click();
    await page.waitForSelector('.thumb.proposed[data-index="7"]');
    await page.getByTestId('stage').click();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="entity-item-3"][data-status="accepted"]');
    assert.equal(await page.locator('.thumb.proposed').count(), 0);
    await page.close();
  },
);

test('a banner message overlays the stage: the stage box does not move', { skip }, async () => {
  const page = await newPage();
  await page.goto(served!.url);
  await waitFrame(page, 0);
  await page.getByTestId('stage').click();
  const before = await page.getByTestId('stage').boundingBox();
  // Entity 4 marked not groundable has no proposed frame: J says so in the banner (info).
  await page.getByTestId('entity-item-4').click();
  await page.keyboard.press('Delete');
  await page.waitForSelector('[data-testid="entity-item-4"][data-status="not_groundable"]');
  await page.keyboard.press('j');
  await page.waitForSelector('[data-testid="banner"]:not([hidden])');
  assert.match((await page.getByTestId('banner').textContent()) ?? '', /no proposed frame/);
  assert.deepEqual(await page.getByTestId('stage').boundingBox(), before);
  await shot(page, 'view-03-banner-overlays');
  // The entity's message goes when another entity becomes active (item 10).
  await page.keyboard.press('Tab');
  await page.waitForSelector('[data-testid="banner"][hidden]', { state: 'attached' });
  await page.close();
});

test(
  'keys reach the editor once it is clicked, and the header says where keys go',
  { skip },
  async () => {
    const page = await newPage();
    await page.goto(served!.url);
    await waitFrame(page, 0);
    await page.getByTestId('stage').click();
    await page.locator('[data-testid="keys-state"][data-keys="editor"]').waitFor();
    // VS Code takes focus away from the webview (a click in the samples tree): the window
    // blurs and the document no longer has focus. The page cannot lose focus in headless
    // Chromium, so that is what the page is told here.
    await page.evaluate(() => {
      document.hasFocus = () => false;
      window.dispatchEvent(new Event('blur'));
    });
    await page.locator('[data-testid="keys-state"][data-keys="elsewhere"]').waitFor();
    assert.match((await page.getByTestId('keys-state').textContent()) ?? '', /click for keys/);
    await shot(page, 'view-04-keys-elsewhere');
    // A click on the editor gives it the keys back, and says so.
    await page.evaluate(() => {
      document.hasFocus = Document.prototype.hasFocus.bind(document);
    });
    await page.getByTestId('stage').click();
    await page.locator('[data-testid="keys-state"][data-keys="editor"]').waitFor();
    await page.keyboard.press('ArrowRight');
    await waitFrame(page, 1);
    // A text field of the editor takes the keys, and the chip says so; Esc gives them back.
    await page.keyboard.press('g');
    await page.locator('[data-testid="keys-state"][data-keys="field"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="keys-state"][data-keys="editor"]').waitFor();
    // The sample dropdown gives the keys back after a choice (a focused select ate letters).
    await pickSample(page, 1);
    await page.locator('[data-testid="keys-state"][data-keys="editor"]').waitFor();
    await shot(page, 'view-05-keys-editor');
    assert.deepEqual(errors, []);
    await page.close();
  },
);
