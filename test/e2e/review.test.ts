/**
 * The review loop inside a real VS Code (code-server), issue 12: the `groundwork.user`
 * setting names the person; *Groundwork: Next to Review* opens the oldest annotated sample
 * in review mode, Approve moves on to the next; the saved file names the reviewer from the
 * setting; the CoP Samples view's tooltip shows a rejected sample's comment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REVIEW_LINES } from '../browser/reviewDataset';
import { useVsCode } from './fixture';
import { copyAssets, quickOpen, runCommand, shot, waitStage, webview } from './harness';

const DATASET = 'datasets/review.cop.jsonl';
let page: Page;
const vs = useVsCode({
  name: 'review',
  onOpen: (session) => {
    page = session.page;
  },
  workspace: () => {
    const dir = copyAssets('gw-e2e-review-');
    writeFileSync(join(dir, DATASET), REVIEW_LINES.join('\n') + '\n');
    return dir;
  },
  open: { settings: { 'groundwork.user': 'vera vscode' } },
});
const skip = vs.skip;

async function waitLabel(id: string): Promise<void> {
  // The label may be out of view in a narrow header: attached with the text is enough.
  await webview(page)
    .locator(`[data-testid="sample-label"]`, { hasText: id })
    .waitFor({ state: 'attached', timeout: 30_000 });
}

test('Next to Review opens the oldest annotated sample; Approve moves on', { skip }, async () => {
  await quickOpen(page, DATASET);
  await waitStage(page, undefined, 90_000);
  await runCommand(page, 'Groundwork: Next to Review');
  await waitLabel('r-early');
  await webview(page)
    .locator('[data-testid="review-bar"][data-reviewing="true"]')
    .waitFor({ timeout: 20_000 });
  await webview(page).getByTestId('btn-approve').click();
  await waitLabel('r-mid');
  await shot(page, 'review-01-next');
  await page.keyboard.press('Control+S');
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('.tabs-container .tab')].some(
        (t) => t.textContent?.includes('review.cop.jsonl') && t.classList.contains('dirty'),
      ),
    undefined,
    { timeout: 20_000 },
  );
  const line = readFileSync(join(vs.dir, DATASET), 'utf8').split('\n')[2] ?? '';
  const state = (JSON.parse(line) as { groundwork: Record<string, unknown> }).groundwork;
  assert.equal(state.status, 'approved');
  assert.equal(state.reviewedBy, 'vera vscode', 'the groundwork.user setting names the reviewer');
});

test("the sample list's tooltip shows a rejected sample's comment", { skip }, async () => {
  // The view sits collapsed at the bottom of the Explorer: open it first.
  const header = page.locator('.pane-header', { hasText: 'CoP Samples' }).first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  // Room for every row: the folder tree above is folded (a row out of view cannot be hovered).
  const folders = page.locator('.pane-header', { hasText: 'gw-e2e-review-' }).first();
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
  const row = page.locator('.monaco-list-row', { hasText: 'r-rejected' }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.hover();
  await page.mouse.move(0, 0);
  await row.hover();
  await page.waitForTimeout(1500);
  await shot(page, 'review-02-hover');
  const hover = page.locator('.monaco-hover, .workbench-hover', {
    hasText: 'the cup is on frame 2',
  });
  await hover.first().waitFor({ timeout: 20_000 });
  assert.match((await hover.first().textContent()) ?? '', /rita/);
  await shot(page, 'review-02-tooltip');
});
