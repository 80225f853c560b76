/**
 * Bad input in the browser: missing media (banner, text still editable), a reasoning with
 * no brackets, 200 entities in one sample, a 4K frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyAssets, shot, skipReason, waitFrame, openSample } from './harness';
import { useServedEditor } from './fixture';

const skip = skipReason();

function entities(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = (i * 37) % 900;
    const y = (i * 53) % 900;
    parts.push(
      i % 3 === 0
        ? `the [thing ${i}] <object> <frame 0>: (${x}, ${y}), (${x + 60}, ${y + 80}) </object>`
        : `the [thing ${i}]`,
    );
  }
  return parts.join(', ') + '.';
}

/** The workspace: a copy of the assets plus the crafted dataset of this file. */
function workspace(): { dir: string; dataset: string } {
  const dir = copyAssets();
  mkdirSync(join(dir, 'big'));
  const ff = spawnSync('/usr/bin/ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=3840x2160',
    '-frames:v',
    '1',
    join(dir, 'big', 'uhd.jpg'),
  ]);
  if (ff.status !== 0)
    cpSync(join(dir, 'frames', 'rb_object_location', '00000.jpg'), join(dir, 'big', 'uhd.jpg'));
  const lines = [
    {
      id: 'missing-media',
      frames: ['../frames/nope/0.jpg', '../frames/nope/1.jpg'],
      question: 'Q?',
      reasoning: 'A [lost cup] on a [table].',
      answer: 'A.',
    },
    {
      id: 'no-brackets',
      frames: ['../frames/rb_object_location/00000.jpg'],
      reasoning: 'Nothing here is in brackets, so there is nothing to ground.',
    },
    {
      id: 'many-entities',
      frames: ['../frames/rb_object_location/00000.jpg', '../frames/rb_object_location/00015.jpg'],
      reasoning: entities(200),
    },
    { id: 'uhd', frames: ['../big/uhd.jpg'], reasoning: 'A [test pattern] in 4K.' },
  ];
  writeFileSync(
    join(dir, 'datasets', 'bad.cop.jsonl'),
    lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
  );
  return { dir, dataset: join(dir, 'datasets', 'bad.cop.jsonl') };
}

const editor = useServedEditor(skip, { workspace });

test(
  'missing media: a clear banner, and the text can still be edited and saved',
  { skip },
  async () => {
    await editor.page.goto(editor.served.url);
    await editor.page.waitForFunction(
      () => document.querySelector('[data-testid="sample-label"]')?.textContent === 'missing-media',
    );
    const banner = editor.page.getByTestId('banner');
    await banner.waitFor({ state: 'visible' });
    assert.match((await banner.textContent()) ?? '', /nope\/0\.jpg: file not found/);
    assert.equal(await editor.page.getByTestId('stage').getAttribute('data-ready'), null);
    await shot(editor.page, 'bad-01-missing-media');
    await editor.page.getByTestId('btn-edit-reasoning').click();
    await editor.page
      .getByTestId('reasoning-editor')
      .fill('A [lost cup] on a [table] near the [door].');
    await editor.page.getByTestId('btn-save-reasoning').click();
    await editor.page.getByTestId('entity-item-2').waitFor();
    await editor.page.keyboard.press('Control+s');
    await editor.page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
    const line0 = readFileSync(join(editor.dir, 'datasets', 'bad.cop.jsonl'), 'utf8').split(
      '\n',
    )[0]!;
    assert.match(line0, /"reasoning":"A \[lost cup\] on a \[table\] near the \[door\]\."/);
  },
);

test('a reasoning with no brackets says so and does not break', { skip }, async () => {
  await openSample(editor.page, 1, 'no-brackets');
  await waitFrame(editor.page, 0);
  assert.match(
    (await editor.page.getByTestId('entity-panel').textContent()) ?? '',
    /no \[bracketed\] entities/,
  );
  await editor.page.keyboard.press('Tab');
  await editor.page.keyboard.press('Enter');
  await shot(editor.page, 'bad-02-no-brackets');
});

test(
  '200 entities in one sample: all listed, drawn, Tab cycles, a box replaces a proposal',
  { skip },
  async () => {
    await openSample(editor.page, 2, 'many-entities');
    await waitFrame(editor.page, 0);
    assert.equal(await editor.page.locator('[data-testid^="entity-item-"]').count(), 200);
    await editor.page.getByTestId('entity-item-198').click();
    await editor.page.keyboard.press('Tab');
    assert.equal(
      await editor.page.getByTestId('entity-item-199').getAttribute('data-active'),
      'true',
    );
    await editor.page.keyboard.press('Shift+Tab');
    await editor.page.keyboard.press('Shift+Tab');
    assert.equal(
      await editor.page.getByTestId('entity-item-197').getAttribute('data-active'),
      'true',
    );
    await editor.page.getByTestId('entity-item-3').click();
    await editor.page.keyboard.press('1');
    const stage = await editor.page.getByTestId('stage').boundingBox();
    assert.ok(stage);
    await editor.page.mouse.move(stage.x + 200, stage.y + 200);
    await editor.page.mouse.down();
    await editor.page.mouse.move(stage.x + 300, stage.y + 280, { steps: 3 });
    await editor.page.mouse.up();
    await editor.page.waitForSelector('[data-testid="entity-item-3"][data-status="edited"]');
    assert.equal(
      await editor.page.getByTestId('entity-item-3').getAttribute('data-source'),
      'human',
    );
    await shot(editor.page, 'bad-03-200-entities');
  },
);

test('a 4K frame shows, fits, and groundings are stored in its pixel size', { skip }, async () => {
  await openSample(editor.page, 3, 'uhd');
  await waitFrame(editor.page, 0);
  await editor.page.getByTestId('tool-box').click();
  const stage = await editor.page.getByTestId('stage').boundingBox();
  assert.ok(stage);
  await editor.page.mouse.move(stage.x + 300, stage.y + 150);
  await editor.page.mouse.down();
  await editor.page.mouse.move(stage.x + 500, stage.y + 350, { steps: 3 });
  await editor.page.mouse.up();
  await editor.page.waitForSelector('[data-testid="entity-item-0"][data-status="accepted"]');
  assert.match(
    (await editor.page.getByTestId('active-entity-geometry').textContent()) ?? '',
    /in 3840×2160/,
  );
  await shot(editor.page, 'bad-04-4k');
  assert.deepEqual(editor.errors, []);
});
