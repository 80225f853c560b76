/**
 * The tools and keys in Chromium: select/move/resize a box (one undo step per gesture, the
 * Transformer's scale folded into the size), points deleted with a right-click, affordance,
 * trajectory, frame keys, Space play, zoom and pan, the help overlay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, skipReason, waitFrame, stagePoint } from './harness';
import { useServedEditor } from './fixture';

const skip = skipReason();

const editor = useServedEditor(skip);

const geometry = async (): Promise<string> =>
  (await editor.page.getByTestId('active-entity-geometry').textContent()) ?? '';
const nums = async (): Promise<number[]> =>
  [...(await geometry()).matchAll(/\((-?\d+), (-?\d+)\)/g)].flatMap((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
async function drag(a: { x: number; y: number }, b: { x: number; y: number }): Promise<void> {
  await editor.page.mouse.move(a.x, a.y);
  await editor.page.mouse.down();
  await editor.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
  await editor.page.mouse.move(b.x, b.y, { steps: 3 });
  await editor.page.mouse.up();
}
async function waitGeometry(pred: (n: number[]) => boolean): Promise<number[]> {
  for (let i = 0; i < 100; i++) {
    const n = await nums();
    if (pred(n)) return n;
    await editor.page.waitForTimeout(50);
  }
  throw new Error(`geometry never matched: ${await geometry()}`);
}

test('select tool: move and resize a box, each one undo step', { skip }, async () => {
  await editor.page.goto(editor.served.url);
  await waitFrame(editor.page, 0);
  await editor.page.getByTestId('entity-item-1').click();
  await editor.page.getByTestId('kind-object').click();
  assert.equal(await editor.page.getByTestId('tool-box').getAttribute('aria-pressed'), 'true');
  await drag(await stagePoint(editor.page, 400, 300), await stagePoint(editor.page, 800, 600));
  await waitGeometry((n) => n.length === 4);
  await editor.page.getByTestId('tool-select').click();
  await drag(await stagePoint(editor.page, 600, 450), await stagePoint(editor.page, 700, 500));
  const moved = await waitGeometry((n) => Math.abs((n[0] ?? 0) - 500) < 4);
  assert.ok(Math.abs(moved[1]! - 350) < 4 && Math.abs(moved[2]! - 900) < 4, moved.join(','));
  // Bottom-right anchor of the Transformer: resize.
  await drag(await stagePoint(editor.page, 900, 650), await stagePoint(editor.page, 1000, 700));
  const resized = await waitGeometry((n) => Math.abs((n[2] ?? 0) - 1000) < 6);
  assert.ok(Math.abs(resized[0]! - 500) < 4 && Math.abs(resized[3]! - 700) < 6, resized.join(','));
  await shot(editor.page, 'tools-01-resized');
  await editor.page.keyboard.press('Control+z');
  await waitGeometry((n) => Math.abs((n[2] ?? 0) - 900) < 4);
  await editor.page.keyboard.press('Control+z');
  await waitGeometry((n) => Math.abs((n[0] ?? 0) - 400) < 4);
  await editor.page.keyboard.press('Control+Shift+z');
  await waitGeometry((n) => Math.abs((n[0] ?? 0) - 500) < 4);
});

test(
  'points: add three, right-click deletes one; affordance and trajectory',
  { skip },
  async () => {
    await editor.page.getByTestId('entity-item-2').click();
    await editor.page.keyboard.press('2');
    for (const [x, y] of [
      [200, 200],
      [300, 220],
      [400, 240],
    ] as const) {
      const p = await stagePoint(editor.page, x, y);
      await editor.page.mouse.click(p.x, p.y);
      await editor.page.waitForTimeout(150);
    }
    await waitGeometry((n) => n.length === 6);
    const mid = await stagePoint(editor.page, 300, 220);
    await editor.page.mouse.click(mid.x, mid.y, { button: 'right' });
    const left = await waitGeometry((n) => n.length === 4);
    assert.deepEqual([Math.round(left[2]! / 10), Math.round(left[3]! / 10)], [40, 24]);

    await editor.page.getByTestId('entity-item-4').click();
    await editor.page.getByTestId('tool-affordance').click();
    const c = await stagePoint(editor.page, 1000, 900);
    await editor.page.mouse.click(c.x, c.y);
    await waitGeometry((n) => n.length === 2);
    assert.match(await geometry(), /^affordance/);

    await editor.page.getByTestId('entity-item-0').click();
    await editor.page.keyboard.press('t');
    for (const [x, y] of [
      [100, 1000],
      [500, 900],
      [900, 950],
    ] as const) {
      const p = await stagePoint(editor.page, x, y);
      await editor.page.mouse.click(p.x, p.y);
      await editor.page.waitForTimeout(150);
    }
    await waitGeometry((n) => n.length === 6);
    assert.match(await geometry(), /^trajectory/);
    await shot(editor.page, 'tools-02-points');
  },
);

test('frame keys, Space play, zoom, pan, help overlay', { skip }, async () => {
  await editor.page.getByTestId('stage').focus();
  await editor.page.getByTestId('filmstrip-thumb-0').click();
  await waitFrame(editor.page, 0);
  await editor.page.keyboard.press('ArrowRight');
  await waitFrame(editor.page, 1);
  await editor.page.keyboard.press('Shift+ArrowRight');
  await waitFrame(editor.page, 7);
  await editor.page.keyboard.press('Shift+ArrowLeft');
  await waitFrame(editor.page, 0);
  await editor.page.keyboard.press('Space');
  await editor.page.waitForSelector('[data-testid="btn-play"][data-playing="true"]');
  await editor.page.waitForFunction(
    () => document.querySelector('[data-testid="stage"]')?.getAttribute('data-frame') !== '0',
    undefined,
    { timeout: 5000 },
  );
  await editor.page.keyboard.press('Space');
  await editor.page.waitForSelector('[data-testid="btn-play"][data-playing="false"]');

  const view0 = await editor.page.getByTestId('stage').getAttribute('data-view');
  const centre = await stagePoint(editor.page, 960, 540);
  await editor.page.mouse.move(centre.x, centre.y);
  await editor.page.mouse.wheel(0, -400);
  await editor.page.waitForFunction(
    (v) => document.querySelector('[data-testid="stage"]')?.getAttribute('data-view') !== v,
    view0,
  );
  const zoomed = Number(
    (await editor.page.getByTestId('stage').getAttribute('data-view'))!.split(',')[0],
  );
  assert.ok(zoomed > Number(view0!.split(',')[0]));
  const before = (await editor.page.getByTestId('stage').getAttribute('data-view'))!
    .split(',')
    .map(Number);
  await editor.page.mouse.move(centre.x, centre.y);
  await editor.page.mouse.down({ button: 'middle' });
  await editor.page.mouse.move(centre.x + 80, centre.y + 40, { steps: 4 });
  await editor.page.mouse.up({ button: 'middle' });
  const after = (await editor.page.getByTestId('stage').getAttribute('data-view'))!
    .split(',')
    .map(Number);
  assert.ok(
    Math.abs(after[1]! - before[1]! - 80) < 2 && Math.abs(after[2]! - before[2]! - 40) < 2,
    `${before} -> ${after}`,
  );
  await editor.page.keyboard.press('f');

  await editor.page.keyboard.press('?');
  await editor.page.getByTestId('help-overlay').waitFor({ state: 'visible' });
  const help = (await editor.page.getByTestId('help-overlay').textContent()) ?? '';
  for (const k of ['Tab', 'Shift+Tab', 'Enter', 'Del', 'Ctrl+Enter', 'Space', 'Shift+←'])
    assert.ok(help.includes(k), k);
  await shot(editor.page, 'tools-03-help');
  await editor.page.keyboard.press('Escape');
  await editor.page.getByTestId('help-overlay').waitFor({ state: 'hidden' });
});
