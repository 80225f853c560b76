/**
 * The rules decided on the host, seen in the browser: an imported proposal on a frame the
 * video does not have cannot be accepted (issue 10 item 11), a sample with undecided
 * entities is not annotated, and a change after approval sends the sample back to review
 * with a notice saying so (issue 9 item 3, issue 12 item 4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyAssets, shot, skipReason } from './harness';
import { useServedEditor } from './fixture';

const skip = skipReason();

/** The workspace: a copy of the assets plus the crafted dataset of this file. */
function workspace(): { dir: string; dataset: string } {
  const dir = copyAssets();
  const line = {
    id: 'far-frame',
    video: '../videos/bedroom.mp4',
    fps: 2,
    reasoning: 'A [cup] <object> <frame 53>: (100, 200), (300, 400) </object> sits by the [bed].',
  };
  writeFileSync(join(dir, 'datasets', 'rules.cop.jsonl'), JSON.stringify(line) + '\n');
  return { dir, dataset: join(dir, 'datasets', 'rules.cop.jsonl') };
}

const editor = useServedEditor(skip, { workspace });

async function bannerMatches(re: RegExp): Promise<void> {
  const seen = (): Promise<string> =>
    editor.page.evaluate(() => document.querySelector('[data-testid="banner"]')?.textContent ?? '');
  await editor.page
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
    await editor.page.goto(editor.served.url);
    await editor.page.waitForFunction(
      () => document.querySelector('[data-testid="sample-label"]')?.textContent === 'far-frame',
    );
    await editor.page.getByTestId('entity-item-0').click();
    await editor.page.waitForSelector('[data-testid="entity-item-0"][data-active="true"]');
    await editor.page.getByTestId('stage').focus();
    await editor.page.keyboard.press('Enter');
    await bannerMatches(/"cup": the proposal is on frame 53, but the sample has \d+ frames/);
    assert.equal(
      await editor.page.getByTestId('entity-item-0').getAttribute('data-status'),
      'proposed',
    );
    await shot(editor.page, 'rules-01-far-frame');

    await editor.page.keyboard.press('Control+Enter');
    await bannerMatches(
      /cannot be annotated: 2 entities are not decided yet: "cup" \(proposed\), "bed" \(pending\)/,
    );
    for (const i of [0, 1]) {
      await editor.page.getByTestId(`entity-item-${i}`).click();
      await editor.page.keyboard.press('Delete');
      await editor.page.waitForSelector(
        `[data-testid="entity-item-${i}"][data-status="not_groundable"]`,
      );
    }
    await editor.page.getByTestId('stage').focus();
    await editor.page.keyboard.press('Control+Enter');
    await editor.page.waitForSelector('[data-testid="sample-status"][data-status="annotated"]');
    await editor.page.keyboard.press('a');
    await editor.page.waitForSelector('[data-testid="sample-status"][data-status="approved"]');

    // A change to an entity of the approved sample: back to annotated, and the view says why.
    await editor.page.getByTestId('entity-item-1').click();
    await editor.page.keyboard.press('1');
    await editor.page.waitForSelector('[data-testid="sample-status"][data-status="annotated"]');
    await bannerMatches(/went back to annotated: approved samples are reviewed again/);
    await shot(editor.page, 'rules-02-back-to-review');
    await editor.page.keyboard.press('Control+s');
    await editor.page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
    const saved = readFileSync(join(editor.dir, 'datasets', 'rules.cop.jsonl'), 'utf8');
    assert.match(saved, /"status":"annotated"/);
    assert.match(saved, /"text":"cup","status":"not_groundable"/);
    assert.deepEqual(editor.errors, []);
  },
);
