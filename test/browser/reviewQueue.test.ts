/**
 * The review loop of issue 12 in Chromium against `groundwork serve --user`: Shift+N walks
 * the annotated samples oldest first (by annotatedAt), A approves and R rejects with a
 * comment, each moving on; the final box and the model's proposal are compared (IoU, W
 * toggles the stage); a rejected sample shows its comment when reopened; the saved file
 * names the reviewer. The annotator's side (a second serve, another --user) is in
 * reviewAnnotator.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSample, shot, skipReason } from './harness';
import { useServedEditor } from './fixture';
import { REVIEW_DATASET, reviewWorkspace } from './reviewDataset';

const skip = skipReason();
if (skip) console.log(`# skipped review queue browser tests: ${skip}`);

const editor = useServedEditor(skip, {
  workspace: reviewWorkspace,
  args: ['--user', 'rita reviewer'],
});

async function label(): Promise<string | null> {
  return editor.page.getByTestId('sample-label').textContent();
}

async function waitLabel(id: string): Promise<void> {
  await editor.page.waitForFunction(
    (want) => document.querySelector('[data-testid="sample-label"]')?.textContent === want,
    id,
  );
}

test('Shift+N walks annotated samples oldest first; A and R move on', { skip }, async () => {
  await editor.page.goto(editor.served.url);
  await editor.page.waitForSelector('[data-testid="stage"][data-ready="true"]');
  await editor.page.getByTestId('stage').focus();
  await editor.page.keyboard.press('Shift+N');
  // r-early (line 2) was annotated at 09:00, before r-mid (10:00) and r-late (12:00).
  await waitLabel('r-early');
  assert.equal(await editor.page.getByTestId('review-bar').getAttribute('data-reviewing'), 'true');
  await editor.page.keyboard.press('a');
  await waitLabel('r-mid');
  assert.equal(
    await editor.page.getByTestId('sample-status').getAttribute('data-status'),
    'annotated',
  );
  await editor.page.keyboard.press('r');
  const input = editor.page.getByTestId('reject-comment');
  await input.waitFor({ state: 'visible' });
  await input.fill('the cup box is too loose');
  await input.press('Enter');
  await waitLabel('r-late');
  // r-late's cup was edited from a model proposal: the review bar shows their IoU.
  const compare = editor.page.getByTestId('review-compare');
  await editor.page.waitForFunction(
    () => document.querySelector('[data-testid="review-compare"]')?.textContent !== '',
  );
  // Final (100,100)-(300,300) vs proposal (150,150)-(350,350): 150² / (2·200² - 150²).
  const want = (150 * 150) / (2 * 200 * 200 - 150 * 150);
  assert.equal(await compare.getAttribute('data-iou'), want.toFixed(3));
  assert.match((await compare.textContent()) ?? '', /IoU 0\.39/);
  await editor.page.waitForSelector('[data-testid="stage"][data-dashed=""]');
  await editor.page.keyboard.press('w');
  await editor.page.waitForSelector('[data-testid="stage"][data-dashed="0"]');
  await shot(editor.page, 'review-queue-01-proposal');
  await editor.page.keyboard.press('w');
  await editor.page.waitForSelector('[data-testid="stage"][data-dashed=""]');
  await editor.page.keyboard.press('a');
  await editor.page.waitForFunction(() =>
    /no annotated samples left to review/.test(
      document.querySelector('[data-testid="banner"]')?.textContent ?? '',
    ),
  );
  assert.equal(await label(), 'r-late', 'the last one stays open');
  assert.equal(await editor.page.getByTestId('review-bar').getAttribute('data-reviewing'), 'false');
});

test('a rejected sample shows the reviewer comment when reopened', { skip }, async () => {
  await openSample(editor.page, 0, 'r-todo');
  assert.equal(await editor.page.getByTestId('comment-thread').getAttribute('data-count'), '0');
  await openSample(editor.page, 3, 'r-mid');
  const item = editor.page.getByTestId('comment-item-0');
  await item.waitFor({ state: 'visible' });
  assert.equal(await item.getByTestId('comment-text').textContent(), 'the cup box is too loose');
  assert.equal(await item.getByTestId('comment-author').textContent(), 'rita reviewer');
  assert.equal(
    await editor.page.getByTestId('sample-status').getAttribute('data-status'),
    'rejected',
  );
  await shot(editor.page, 'review-queue-02-comment');
});

test('the saved file records the reviewer, the history and the thread', { skip }, async () => {
  await editor.page.getByTestId('btn-save').click();
  await editor.page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
  const lines = readFileSync(join(editor.dir, REVIEW_DATASET), 'utf8').split('\n');
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
  assert.equal(
    lines[4],
    readFileSync(join(editor.dir, `${REVIEW_DATASET}.orig`), 'utf8').split('\n')[4],
  );
  assert.deepEqual(editor.errors, []);
});

test(
  'a reviewer edits and deletes their own comment; the saved thread says so',
  { skip },
  async () => {
    const { page } = editor;
    await openSample(page, 3, 'r-mid');
    await page.getByTestId('comment-input').fill('also check the table');
    await page.getByTestId('comment-input').press('Enter');
    await page.getByTestId('comment-item-1').waitFor({ state: 'visible' });
    await page.getByTestId('comment-input').fill('a typo comment');
    await page.getByTestId('comment-input').press('Enter');
    await page.getByTestId('comment-item-2').waitFor({ state: 'visible' });

    await page.getByTestId('comment-edit-1').click();
    await page.getByTestId('comment-edit-input-1').fill('also check the table edge');
    await page.getByTestId('comment-edit-input-1').press('Enter');
    await page.getByTestId('comment-item-1').getByTestId('comment-edited').waitFor();
    assert.equal(
      await page.getByTestId('comment-item-1').getByTestId('comment-text').textContent(),
      'also check the table edge',
    );
    await page.getByTestId('comment-delete-2').click();
    await page.waitForSelector('[data-testid="comment-thread"][data-count="2"]');
    await shot(page, 'review-queue-03-edited-comment');

    await page.getByTestId('btn-save').click();
    await page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
    const line = readFileSync(join(editor.dir, REVIEW_DATASET), 'utf8').split('\n')[3] ?? '{}';
    const thread = (JSON.parse(line) as { groundwork: { comments: Record<string, string>[] } })
      .groundwork.comments;
    assert.deepEqual(
      thread.map((c) => [c.author, c.text, typeof c.editedAt]),
      [
        ['rita reviewer', 'the cup box is too loose', 'undefined'],
        ['rita reviewer', 'also check the table edge', 'string'],
      ],
    );
    assert.deepEqual(editor.errors, []);
  },
);
