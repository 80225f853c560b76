/**
 * Issue 10 item 9 in the browser: another program changes, on disk, the line the page has
 * unsaved edits on. The banner offers the clash with Reload from disk and Keep mine; a save
 * before choosing is refused with the reason and writes nothing. Reload shows the disk
 * version and a save keeps it byte for byte; Keep mine and a save write the page's version
 * on that line, the other program's change to another line is kept, untouched lines stay
 * byte-identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shot, skipReason } from './harness';
import { useServedEditor } from './fixture';

const skip = skipReason();
const editor = useServedEditor(skip);
const dataset = (): string => join(editor.dir, 'datasets', 'sample.cop.jsonl');
const FIRST = 'bathroom-cloth-0001';

async function bannerMatches(testId: string, re: RegExp): Promise<void> {
  const page = editor.page;
  await page
    .waitForFunction(
      ([id, source]) =>
        new RegExp(source as string).test(
          document.querySelector(`[data-testid="${id as string}"]`)?.textContent ?? '',
        ),
      [testId, re.source],
    )
    .catch(async (e: unknown) => {
      const seen = await page.getByTestId('banner').textContent();
      throw new Error(`banner "${seen}" does not match ${re}: ${String(e)}`);
    });
}

/** Marks entity 0 of the sample shown not groundable (one unsaved edit on line 0). */
async function editEntity(): Promise<void> {
  const page = editor.page;
  await page.getByTestId('entity-item-0').click();
  await page.waitForSelector('[data-testid="entity-item-0"][data-active="true"]');
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Delete');
  await page.waitForSelector('[data-testid="entity-item-0"][data-status="not_groundable"]');
  await page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="true"]');
}

/** Another program's edit: `text` with `from` replaced on line `at` (0-based) only. */
function onLine(text: string, at: number, from: string, to: string): string {
  const lines = text.split('\n');
  assert.ok(lines[at]?.includes(from), `line ${at} holds ${from}`);
  lines[at] = (lines[at] ?? '').replace(from, to);
  return lines.join('\n');
}

async function clashShown(): Promise<void> {
  await bannerMatches('banner-conflict', /changed on disk on line\(s\) 1 that you also edited/);
  assert.ok(await editor.page.getByTestId('banner-reload').isVisible());
  assert.ok(await editor.page.getByTestId('banner-keep').isVisible());
}

test(
  'a clash: a save is refused until a choice; Reload from disk shows and keeps the file',
  { skip, timeout: 180_000 },
  async () => {
    const page = editor.page;
    const original = readFileSync(dataset(), 'utf8');
    await page.goto(editor.served.url);
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid="sample-label"]')?.textContent === id,
      FIRST,
    );
    await editEntity();
    const theirs = onLine(original, 0, '[red door handle]', '[red door knob]');
    writeFileSync(dataset(), theirs);
    await clashShown();
    await shot(page, 'conflict-01-offered');

    await page.getByTestId('btn-save').click();
    await bannerMatches(
      'banner-text',
      /save failed: not saved: .*saving would overwrite that change\. Choose "Reload from disk" or "Keep mine"/,
    );
    assert.equal(readFileSync(dataset(), 'utf8'), theirs, 'the refused save wrote nothing');
    assert.ok(
      await page.getByTestId('banner-reload').isVisible(),
      'the choices stay after a refusal',
    );
    await shot(page, 'conflict-02-save-refused');

    await page.getByTestId('banner-reload').click();
    await page.waitForFunction(() =>
      /red door knob/.test(document.querySelector('[data-testid="reasoning"]')?.textContent ?? ''),
    );
    await page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
    await bannerMatches('banner-text', /reloaded from disk: your unsaved edits were dropped/);
    assert.notEqual(
      await page.getByTestId('entity-item-0').getAttribute('data-status'),
      'not_groundable',
      'our edit is gone from the screen',
    );
    assert.ok(!(await page.getByTestId('banner-reload').isVisible()), 'the clash is closed');
    await shot(page, 'conflict-03-reloaded');

    await page.getByTestId('btn-save').click();
    await bannerMatches('banner-text', /^saved/);
    assert.equal(
      readFileSync(dataset(), 'utf8'),
      theirs,
      'the file is the disk version, byte for byte',
    );
  },
);

test(
  'Keep mine: the save writes the page’s line, keeps the other program’s other line',
  { skip, timeout: 180_000 },
  async () => {
    const page = editor.page;
    const before = readFileSync(dataset(), 'utf8');
    await editEntity();
    const theirs = onLine(
      onLine(before, 0, '[red door knob]', '[red door lever]'),
      1,
      '[grey curtain]',
      '[gray curtain]',
    );
    writeFileSync(dataset(), theirs);
    await clashShown();

    await page.getByTestId('banner-keep').click();
    await bannerMatches(
      'banner-text',
      /Keeping your version of line\(s\) 1: the next save overwrites the change on disk there/,
    );
    assert.ok(!(await page.getByTestId('banner-keep').isVisible()), 'the clash is closed');
    assert.equal(readFileSync(dataset(), 'utf8'), theirs, 'Keep mine alone writes nothing');
    await shot(page, 'conflict-04-kept');

    await page.getByTestId('btn-save').click();
    await page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
    const saved = readFileSync(dataset(), 'utf8').split('\n');
    const disk = theirs.split('\n');
    assert.equal(saved.length, disk.length);
    assert.match(saved[0] ?? '', /red door knob/, 'our version of the clashing line');
    assert.doesNotMatch(saved[0] ?? '', /red door lever/);
    assert.match(saved[0] ?? '', /not_groundable/, 'with our edit');
    assert.equal(saved[1], disk[1], 'the other program’s other line, byte for byte');
    for (let at = 2; at < disk.length; at++)
      assert.equal(saved[at], disk[at], `line ${at + 1} untouched`);
    assert.deepEqual(editor.errors, []);
  },
);
