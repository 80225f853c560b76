/**
 * The one point tool, parameterised by tag, in Chromium: the grasp pose stores only the
 * counts the grammar allows (2 or 4 corners; a third click waits as a pending corner, Esc
 * drops it), and a corner deletion that would leave 3 is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, stagePoint, waitFrame } from './harness';
import { useServedEditor } from './fixture';

const skip = skipReason();

const editor = useServedEditor(skip);

const geometry = async (): Promise<string> =>
  (await editor.page.getByTestId('active-entity-geometry').textContent()) ?? '';
const pointCount = async (): Promise<number> => [...(await geometry()).matchAll(/\(/g)].length;

async function clickAt(x: number, y: number): Promise<void> {
  const at = await stagePoint(editor.page, x, y);
  await editor.page.mouse.click(at.x, at.y);
  await editor.page.waitForTimeout(150);
}

async function waitCount(count: number): Promise<void> {
  await editor.page.waitForFunction(
    (want) =>
      [
        ...(document.querySelector('[data-testid="active-entity-geometry"]')?.textContent ?? ''),
      ].filter((char) => char === '(').length === want,
    count,
    { timeout: 10000 },
  );
}

test(
  'grasp pose: 2 corners store, the 3rd waits, the 4th stores 4; Esc drops a pending one',
  { skip },
  async () => {
    await editor.page.goto(editor.served.url);
    await waitFrame(editor.page, 0);
    await editor.page.getByTestId('entity-item-1').click();
    await editor.page.getByTestId('tool-grasp-pose').click();
    await clickAt(400, 300);
    await clickAt(700, 300);
    await waitCount(2);
    assert.match(await geometry(), /^grasp_pose/);

    await clickAt(700, 500);
    await editor.page.waitForTimeout(300);
    assert.equal(await pointCount(), 2, 'a third corner is not stored');
    assert.match((await editor.page.getByTestId('banner').textContent()) ?? '', /one more/);
    await clickAt(400, 500);
    await waitCount(4);

    // A fifth corner is refused; the grounding keeps its 4.
    await clickAt(500, 400);
    await editor.page.waitForTimeout(300);
    assert.equal(await pointCount(), 4);

    // Deleting one of 4 corners would leave 3: refused.
    const corner = await stagePoint(editor.page, 700, 500);
    await editor.page.mouse.click(corner.x, corner.y, { button: 'right' });
    await editor.page.waitForTimeout(300);
    assert.equal(await pointCount(), 4);
    assert.match((await editor.page.getByTestId('banner').textContent()) ?? '', /2 or 4/);

    // A pending corner on another entity is dropped by Esc and never stored.
    await editor.page.getByTestId('entity-item-2').click();
    await clickAt(300, 300);
    await clickAt(600, 300);
    await waitCount(2);
    await clickAt(600, 600);
    await editor.page.getByTestId('stage').focus();
    await editor.page.keyboard.press('Escape');
    await clickAt(300, 600);
    await editor.page.waitForTimeout(300);
    assert.equal(await pointCount(), 2, 'after Esc the next click is a third corner again');
  },
);
