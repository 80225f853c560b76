/**
 * The editor at scale (issue 14 item 5), in Chromium against `groundwork serve` on 20,000
 * samples (the shared frame-list samples repeated with new ids, written to a temp folder):
 * the sample picker keeps only the rows in view in the DOM, finds a sample by id, filters by
 * status, an edit's delta updates the counts and the list, and Next todo opens the right
 * sample (from the session's index, wrapping at the end).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cleanup, copyAssets, ensureBuilt, launch, serve, shot, skipReason } from './harness';
import type { Served } from './harness';

const skip = skipReason();
if (skip) console.log(`# skipped large dataset browser test: ${skip}`);

const COUNT = 20000;

/** The shared frame-list samples repeated `count` times, ids `<id>-<line>`. */
function writeLarge(dir: string, count: number): { file: string; ids: string[] } {
  const source = readFileSync(join(dir, 'datasets', 'sample.cop.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((s) => Array.isArray(s.frames));
  const ids: string[] = [];
  const lines = Array.from({ length: count }, (_, i) => {
    const sample = source[i % source.length] as Record<string, unknown>;
    ids.push(`${String(sample.id)}-${i}`);
    return JSON.stringify({ ...sample, id: ids[i] });
  });
  const file = join(dir, 'datasets', 'large.cop.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, ids };
}

async function waitLabel(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sample-label"]')?.textContent === want,
    id,
    { timeout: 30000 },
  );
}

async function rowCount(page: Page): Promise<number> {
  return page.locator('[data-testid="sample-row"]:not([hidden])').count();
}

test(
  '20,000 samples: a virtualised picker, search, status filter, delta counts, Next todo',
  { skip },
  async () => {
    ensureBuilt();
    const dir = copyAssets();
    const { file, ids } = writeLarge(dir, COUNT);
    let served: Served | undefined;
    let browser: Browser | undefined;
    try {
      served = await serve(file, ['--quiet']);
      browser = await launch();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // A CSP refusal (an inline style attribute) is only a console error: it counts too.
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      await page.goto(served.url);
      await waitLabel(page, ids[0] as string);
      const counts = page.getByTestId('sample-counts');
      assert.equal(await counts.textContent(), `${COUNT} todo`);

      // The picker: every sample listed, only the rows in view drawn.
      await page.getByTestId('sample-picker-toggle').click();
      await page.getByTestId('sample-picker').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('sample-list-info').textContent(), `${COUNT} samples`);
      const drawn = await rowCount(page);
      assert.ok(drawn > 5 && drawn < 200, `${drawn} rows in the DOM for ${COUNT} samples`);
      // Scrolled to the middle, the rows in view are the middle samples, still few of them.
      await page.getByTestId('sample-list').evaluate((el) => (el.scrollTop = 22 * 10000));
      await page.locator('[data-testid="sample-row"][data-line="10005"]').waitFor();
      assert.ok((await rowCount(page)) < 200);

      // Search by id: the last sample, opened from its row.
      const last = ids[COUNT - 1] as string;
      await page.getByTestId('sample-search').fill(last);
      assert.equal(
        await page.getByTestId('sample-list-info').textContent(),
        `1 of ${COUNT} samples`,
      );
      await page.locator(`[data-testid="sample-row"][data-line="${COUNT - 1}"]`).click();
      await waitLabel(page, last);
      assert.equal(await page.getByTestId('sample-picker').isHidden(), true, 'the list closes');

      // An edit (Del on the first entity): the delta moves the sample to in progress.
      await page.getByTestId('entity-item-0').click();
      await page.keyboard.press('Delete');
      await page.waitForSelector('[data-testid="entity-item-0"][data-status="not_groundable"]');
      await page.waitForFunction(
        (want) => document.querySelector('[data-testid="sample-counts"]')?.textContent === want,
        `${COUNT - 1} todo · 1 in progress`,
      );
      assert.match(
        (await page.getByTestId('sample-picker-toggle').textContent()) ?? '',
        /in progress/,
      );

      // The status filter: in progress lists that one sample; todo every other.
      await page.getByTestId('sample-picker-toggle').click();
      await page.getByTestId('sample-search').fill('');
      await page.getByTestId('sample-filter').selectOption('in_progress');
      assert.equal(
        await page.getByTestId('sample-list-info').textContent(),
        `1 of ${COUNT} samples`,
      );
      const only = page.locator('[data-testid="sample-row"]:not([hidden])');
      assert.equal(await only.count(), 1);
      assert.equal(await only.getAttribute('data-line'), String(COUNT - 1));
      assert.equal(await only.getAttribute('data-status'), 'in_progress');
      await page.getByTestId('sample-filter').selectOption('todo');
      assert.equal(
        await page.getByTestId('sample-list-info').textContent(),
        `${COUNT - 1} of ${COUNT} samples`,
      );
      await shot(page, 'large-dataset-01-picker');
      await page.keyboard.press('Escape');

      // Next todo from the last line wraps to the first todo; from there it goes to the next.
      await page.getByTestId('sample-picker').waitFor({ state: 'hidden' });
      await page.getByTestId('btn-next-todo').click();
      await waitLabel(page, ids[0] as string);
      await page.getByTestId('btn-next-todo').click();
      await waitLabel(page, ids[1] as string);
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
      await served?.stop();
      cleanup(dir);
    }
  },
);
