/**
 * The dataset dashboard in a real VS Code (code-server; issue 12 item 7): "Groundwork: Show
 * Dataset Dashboard" opens the stats page beside the editor with its plots drawn (Chart.js
 * shipped in the .vsix), and an edit in the editor redraws it. Screenshots of the window go
 * to test-artifacts/e2e/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { useVsCode } from './fixture';
import { extensionHostProblems, quickOpen, runCommand, shot, waitStage } from './harness';

let page: Page;
const vs = useVsCode({
  name: 'dashboard',
  onOpen: (session) => {
    page = session.page;
  },
});
const skip = vs.skip;

/** The first frame of the window (webviews nest frames) that holds `selector`. */
async function frameWith(selector: string, timeout = 60_000): Promise<Frame> {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const f of page.frames()) if (await f.$(selector).catch(() => null)) return f;
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame with ${selector} within ${timeout} ms`);
}

/** The text of the outcome table's row for `source`, kind `all`, cell by cell. */
function outcomeRow(frame: Frame, source: string): Promise<string[]> {
  return frame.$$eval(
    '#outcomes tr',
    (rows, src) =>
      [...rows]
        .map((r) => [...r.children].map((c) => c.textContent ?? ''))
        .find((cells) => cells[0] === src && cells[1] === 'all') ?? [],
    source,
  );
}

test('the dashboard opens beside the editor and follows an edit', { skip }, async () => {
  await quickOpen(page, 'datasets/sample.cop.jsonl');
  await waitStage(page, undefined, 90_000);
  await runCommand(page, 'Groundwork: Show Dataset Dashboard');
  const dash = await frameWith('body[data-drawn]');
  assert.match((await dash.textContent('.summary')) ?? '', /^5 samples \(todo 5\), 28 entities/);
  assert.equal(await dash.getAttribute('body', 'data-drawn'), '1', 'the outcomes plot is drawn');
  assert.deepEqual((await outcomeRow(dash, 'import')).slice(2, 7), ['2', '0', '0', '0', '2']);
  await shot(page, 'dashboard-01-open');

  // Entity 3 ("blue cloth") of the first sample has an imported proposal: Enter accepts it.
  const editor = await frameWith('[data-testid="stage"][data-ready="true"]');
  await editor.click('[data-testid="entity-3"]');
  await editor.waitForSelector('[data-testid="stage"][data-frame="7"][data-ready="true"]');
  await page.keyboard.press('Enter');
  await editor.waitForSelector('[data-testid="entity-item-3"][data-status="accepted"]');
  await dash.waitForFunction(
    () => {
      const row = [...document.querySelectorAll('#outcomes tr')].find(
        (r) => r.children[0]?.textContent === 'import' && r.children[1]?.textContent === 'all',
      );
      return row?.children[3]?.textContent === '1';
    },
    undefined,
    { timeout: 20_000 },
  );
  assert.deepEqual((await outcomeRow(dash, 'import')).slice(2, 7), ['2', '1', '0', '0', '1']);
  // The IoU plot now, and the time and day plots where the editor recorded them.
  const drawn = Number(await dash.getAttribute('body', 'data-drawn'));
  assert.ok(drawn >= 2, `outcomes and IoU plots drawn (${drawn})`);
  assert.equal(await dash.$('#iou .empty'), null, 'the IoU section is no longer empty');
  await shot(page, 'dashboard-02-after-accept');
  assert.deepEqual(extensionHostProblems(vs.s.server, 'dashboard'), []);
});
