/**
 * The rules decided on the host, seen in the browser: an imported proposal on a frame the
 * video does not have cannot be accepted (issue 10 item 11), a sample with undecided
 * entities is not annotated, and a change after approval sends the sample back to review
 * with a notice saying so (issue 9 item 3, issue 12 item 4).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cleanup, copyAssets, ensureBuilt, launch, serve, shot, skipReason } from './harness';
import type { Served } from './harness';

const skip = skipReason();
let dir = '';
let served: Served | undefined;
let browser: Browser | undefined;
let page: Page;
const errors: string[] = [];

before(async () => {
  if (skip) return;
  ensureBuilt();
  dir = copyAssets();
  const line = {
    id: 'far-frame',
    video: '../videos/bedroom.mp4',
    fps: 2,
    reasoning: 'A [cup] <object> <frame 53>: (100, 200), (300, 400) </object> sits by the [bed].',
  };
  writeFileSync(join(dir, 'datasets', 'rules.cop.jsonl'), JSON.stringify(line) + '\n');
  served = await serve(join(dir, 'datasets', 'rules.cop.jsonl'), [], {
    GROUNDWORK_CACHE_DIR: join(dir, '.cache'),
  });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) cleanup(dir);
});

async function bannerMatches(re: RegExp): Promise<void> {
  const seen = (): Promise<string> =>
    page.evaluate(() => document.querySelector('[data-testid="banner"]')?.textContent ?? '');
  await page
    .waitForFunction(
      (source) =>
        new RegExp(source).test(
          document.querySelector('[data-testid="banner"]')?.textContent ?? '',
        ),
      re.source,
    )
    .catch(async (e: unknown) => {
      throw new Error(`banner "${await seen()}" does not match ${re}: ${String(e)}`);
    });
}

test(
  'a far-frame proposal is refused; approval is undone by a later change',
  { skip },
  async () => {
    await page.goto(served!.url);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sample-label"]')?.textContent === 'far-frame',
    );
    await page.getByTestId('entity-item-0').click();
    await page.waitForSelector('[data-testid="entity-item-0"][data-active="true"]');
    await page.getByTestId('stage').focus();
    await page.keyboard.press('Enter');
    await bannerMatches(/"cup": the proposal is on frame 53, but the sample has \d+ frames/);
    assert.equal(await page.getByTestId('entity-item-0').getAttribute('data-status'), 'proposed');
    await shot(page, 'rules-01-far-frame');

    await page.keyboard.press('Control+Enter');
    await bannerMatches(
      /cannot be annotated: 2 entities are not decided yet: "cup" \(proposed\), "bed" \(pending\)/,
    );
    for (const i of [0, 1]) {
      await page.getByTestId(`entity-item-${i}`).click();
      await page.keyboard.press('Delete');
      await page.waitForSelector(`[data-testid="entity-item-${i}"][data-status="not_groundable"]`);
    }
    await page.getByTestId('stage').focus();
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid="sample-status"][data-status="annotated"]');
    await page.keyboard.press('a');
    await page.waitForSelector('[data-testid="sample-status"][data-status="approved"]');

    // A change to an entity of the approved sample: back to annotated, and the view says why.
    await page.getByTestId('entity-item-1').click();
    await page.keyboard.press('1');
    await page.waitForSelector('[data-testid="sample-status"][data-status="annotated"]');
    await bannerMatches(/went back to annotated: approved samples are reviewed again/);
    await shot(page, 'rules-02-back-to-review');
    await page.keyboard.press('Control+s');
    await page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
    const saved = readFileSync(join(dir, 'datasets', 'rules.cop.jsonl'), 'utf8');
    assert.match(saved, /"status":"annotated"/);
    assert.match(saved, /"text":"cup","status":"not_groundable"/);
    assert.deepEqual(errors, []);
  },
);
