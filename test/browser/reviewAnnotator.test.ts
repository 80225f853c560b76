/**
 * The annotator's side of the review loop (issue 12) in Chromium against `groundwork serve
 * --user anna`: Next todo opens the rejected sample first, its reviewer comment is in the
 * thread and the annotator answers there; the rework is annotated again; an edit of an
 * approved sample sends it back to review; the saved file names anna as annotator and
 * grounder, with the status history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSample, shot, skipReason } from './harness';
import { useServedEditor } from './fixture';
import { REVIEW_DATASET, reviewWorkspace } from './reviewDataset';

const skip = skipReason();
if (skip) console.log(`# skipped annotator review browser tests: ${skip}`);

const editor = useServedEditor(skip, { workspace: reviewWorkspace, args: ['--user', 'anna'] });

async function waitLabel(id: string): Promise<void> {
  await editor.page.waitForFunction(
    (want) => document.querySelector('[data-testid="sample-label"]')?.textContent === want,
    id,
  );
}

async function waitStatus(status: string): Promise<void> {
  await editor.page.waitForSelector(`[data-testid="sample-status"][data-status="${status}"]`);
}

/** Marks every undecided entity of the open sample not groundable (Delete). */
async function decideAll(): Promise<void> {
  const items = editor.page.locator('[data-testid^="entity-item-"]');
  for (let i = 0; i < (await items.count()); i++) {
    const item = editor.page.getByTestId(`entity-item-${i}`);
    const status = await item.getAttribute('data-status');
    if (status !== 'pending' && status !== 'proposed') continue;
    await item.click();
    await editor.page.keyboard.press('Delete');
    await editor.page.waitForSelector(
      `[data-testid="entity-item-${i}"][data-status="not_groundable"]`,
    );
  }
  await editor.page.getByTestId('stage').focus();
}

test(
  'Next todo opens the rejected sample first; the annotator answers its comment',
  { skip },
  async () => {
    await editor.page.goto(editor.served.url);
    await editor.page.waitForSelector('[data-testid="stage"][data-ready="true"]');
    await waitLabel('r-todo');
    await editor.page.getByTestId('stage').focus();
    await editor.page.keyboard.press('n');
    // r-rejected is the last line, yet it comes before the todo ones.
    await waitLabel('r-rejected');
    const first = editor.page.getByTestId('comment-item-0');
    await first.waitFor({ state: 'visible' });
    assert.equal(await first.getByTestId('comment-text').textContent(), 'the cup is on frame 2');
    assert.equal(await first.getByTestId('comment-author').textContent(), 'rita');
    await editor.page.keyboard.press('Shift+C');
    const input = editor.page.getByTestId('comment-input');
    assert.equal(await editor.page.getByTestId('comment-thread').getAttribute('data-user'), 'anna');
    assert.match((await input.getAttribute('placeholder')) ?? '', /comment as anna/);
    assert.equal(await input.evaluate((el) => el === document.activeElement), true);
    await input.fill('moved it to frame 2');
    await input.press('Enter');
    const answer = editor.page.getByTestId('comment-item-1');
    await answer.waitFor({ state: 'visible' });
    assert.equal(await answer.getByTestId('comment-author').textContent(), 'anna');
    assert.equal(await input.inputValue(), '', 'the box is cleared once the host took it');
    await shot(editor.page, 'review-annotator-01-answer');
    // The rework: an entity change makes the rejected sample in progress, Ctrl+Enter hands it in.
    await editor.page.getByTestId('stage').focus();
    await editor.page.keyboard.press('Delete');
    await waitStatus('in_progress');
    await editor.page.keyboard.press('Control+Enter');
    // Then the next todo, r-todo: no rejected sample is left.
    await waitLabel('r-todo');
    await decideAll();
    await editor.page.keyboard.press('Control+Enter');
    await editor.page.waitForFunction(() =>
      /no todo samples left/.test(
        document.querySelector('[data-testid="banner"]')?.textContent ?? '',
      ),
    );
  },
);

test('an edit after approval returns the sample to review', { skip }, async () => {
  await openSample(editor.page, 4, 'r-approved');
  await waitStatus('approved');
  await editor.page.getByTestId('entity-item-0').click();
  await editor.page.keyboard.press('Delete');
  await waitStatus('annotated');
  assert.match(
    (await editor.page.getByTestId('banner').textContent()) ?? '',
    /went back to annotated/,
  );
});

test('the saved file records anna as annotator and grounder', { skip }, async () => {
  await editor.page.getByTestId('btn-save').click();
  await editor.page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
  const lines = readFileSync(join(editor.dir, REVIEW_DATASET), 'utf8').split('\n');
  type State = {
    status: string;
    annotatedBy?: string;
    annotatedAt?: string;
    entities: { groundedBy?: string; groundedAt?: string }[];
    history?: { status: string; by: string }[];
    comments?: { author: string; text: string }[];
  };
  const state = (line: number): State =>
    (JSON.parse(lines[line] ?? '{}') as { groundwork: State }).groundwork;
  const todo = state(0);
  assert.equal(todo.status, 'annotated');
  assert.equal(todo.annotatedBy, 'anna');
  assert.match(todo.annotatedAt ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.equal(todo.entities[0]?.groundedBy, 'anna');
  const rework = state(5);
  assert.equal(rework.status, 'annotated');
  assert.equal(rework.annotatedBy, 'anna');
  assert.deepEqual(
    rework.history?.map((h) => [h.status, h.by]),
    [
      ['in_progress', 'anna'],
      ['annotated', 'anna'],
    ],
  );
  assert.deepEqual(
    rework.comments?.map((c) => [c.author, c.text]),
    [
      ['rita', 'the cup is on frame 2'],
      ['anna', 'moved it to frame 2'],
    ],
  );
  const back = state(4);
  assert.equal(back.status, 'annotated');
  assert.equal(back.entities[0]?.groundedBy, 'anna');
  assert.deepEqual(
    back.history?.map((h) => [h.status, h.by]),
    [['annotated', 'anna']],
  );
  // The review queue's samples nobody opened are byte for byte what was written.
  const orig = readFileSync(join(editor.dir, `${REVIEW_DATASET}.orig`), 'utf8').split('\n');
  for (const line of [1, 2, 3]) assert.equal(lines[line], orig[line], `line ${line + 1}`);
  assert.deepEqual(editor.errors, []);
});
