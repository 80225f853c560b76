/**
 * The review loop of issue 12 in Chromium against `groundwork serve --user`: Shift+N walks
 * the annotated samples oldest first (by annotatedAt), A approves and R rejects with a
 * comment, each moving on; the final box and the model's proposal are compared (IoU, W
 * toggles the stage); a rejected sample shows its comment when reopened; the saved file
 * names the reviewer. The annotator's side (a second serve, another --user) is in
 * reviewAnnotator.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cleanup, ensureBuilt, launch, openSample, serve, shot, skipReason } from './harness';
import type { Served } from './harness';
import { REVIEW_DATASET, writeReviewDataset } from './reviewDataset';

const skip = skipReason();
if (skip) console.log(`# skipped review queue browser tests: ${skip}`);

let dir = '';
let served: Served | undefined;
let browser: Browser | undefined;
let page: Page;
const errors: string[] = [];

before(async () => {
  if (skip) return;
  ensureBuilt();
  dir = writeReviewDataset();
  served = await serve(join(dir, REVIEW_DATASET), ['--user', 'rita reviewer']);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) cleanup(dir);
});

async function label(): Promise<string | null> {
  return page.getByTestId('sample-label').textContent();
}

async function waitLabel(id: string): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sample-label"]')?.textContent === want,
    id,
  );
}

test('Shift+N walks annotated samples oldest first; A and R move on', { skip }, async () => {
  await page.goto(served!.url);
  await page.waitForSelector('[data-testid="stage"][data-ready="true"]');
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Shift+N');
  // r-early (line 2) was annotated at 09:00, before r-mid (10:00) and r-late (12:00).
  await waitLabel('r-early');
  assert.equal(await page.getByTestId('review-bar').getAttribute('data-reviewing'), 'true');
  await page.keyboard.press('a');
  await waitLabel('r-mid');
  assert.equal(await page.getByTestId('sample-status').getAttribute('data-status'), 'annotated');
  await page.keyboard.press('r');
  const input = page.getByTestId('reject-comment');
  await input.waitFor({ state: 'visible' });
  await input.fill('the cup box is too loose');
  await input.press('Enter');
  await waitLabel('r-late');
  // r-late's cup was edited from a model proposal: the review bar shows their IoU.
  const compare = page.getByTestId('review-compare');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="review-compare"]')?.textContent !== '',
  );
  // Final (100,100)-(300,300) vs proposal (150,150)-(350,350): 150² / (2·200² - 150²).
  const want = (150 * 150) / (2 * 200 * 200 - 150 * 150);
  assert.equal(await compare.getAttribute('data-iou'), want.toFixed(3));
  assert.match((await compare.textContent()) ?? '', /IoU 0\.39/);
  await page.waitForSelector('[data-testid="stage"][data-dashed=""]');
  await page.keyboard.press('w');
  await page.waitForSelector('[data-testid="stage"][data-dashed="0"]');
  await shot(page, 'review-queue-01-proposal');
  await page.keyboard.press('w');
  await page.waitForSelector('[data-testid="stage"][data-dashed=""]');
  await page.keyboard.press('a');
  await page.waitForFunction(() =>
    /no annotated samples left to review/.test(
      document.querySelector('[data-testid="banner"]')?.textContent ?? '',
    ),
  );
  assert.equal(await label(), 'r-late', 'the last one stays open');
  assert.equal(await page.getByTestId('review-bar').getAttribute('data-reviewing'), 'false');
});

test('a rejected sample shows the reviewer comment when reopened', { skip }, async () => {
  await openSample(page, 0, 'r-todo');
  assert.equal(await page.getByTestId('comment-thread').getAttribute('data-count'), '0');
  await openSample(page, 3, 'r-mid');
  const item = page.getByTestId('comment-item-0');
  await item.waitFor({ state: 'visible' });
  assert.equal(await item.getByTestId('comment-text').textContent(), 'the cup box is too loose');
  assert.equal(await item.getByTestId('comment-author').textContent(), 'rita reviewer');
  assert.equal(await page.getByTestId('sample-status').getAttribute('data-status'), 'rejected');
  await shot(page, 'review-queue-02-comment');
});

test('the saved file records the reviewer, the history and the thread', { skip }, async () => {
  await page.getByTestId('btn-save').click();
  await page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
  const lines = readFileSync(join(dir, REVIEW_DATASET), 'utf8').split('\n');
  const state = (line: number): Record<string, unknown> =>
    (JSON.parse(lines[line] ?? '{}') as { groundwork: Record<string, unknown> }).groundwork;
  const early = state(2);
  assert.equal(early.status, 'approved');
  assert.equal(early.reviewedBy, 'rita reviewer');
  assert.match(String(early.reviewedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(early.annotatedBy, 'ann', 'the annotator is kept');
  const mid = state(3);
  assert.equal(mid.status, 'rejected');
  assert.deepEqual(
    (mid.comments as { author: string; text: string }[]).map((c) => [c.author, c.text]),
    [['rita reviewer', 'the cup box is too loose']],
  );
  assert.deepEqual(
    (mid.history as { status: string; by: string }[]).map((h) => [h.status, h.by]),
    [['rejected', 'rita reviewer']],
  );
  // Lines nobody touched are byte for byte what was written.
  assert.equal(lines[4], readFileSync(join(dir, `${REVIEW_DATASET}.orig`), 'utf8').split('\n')[4]);
  assert.deepEqual(errors, []);
});
