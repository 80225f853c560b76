/**
 * The annotation flow end to end against `groundwork serve` in Chromium: open, step frames,
 * draw a box, accept an imported proposal with Enter, an area of 5 points on a video
 * frame, undo/redo, save (only the edited lines change), export traces.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { traceText } from '../../src/core/export/trace';
import { isProblem, readSample } from '../../src/core/sample';
import type { SampleView } from '../../src/core/sample';
import type { EntityState } from '../../src/core/model';
import {
  cleanup,
  copyAssets,
  ensureBuilt,
  launch,
  pickSample,
  serve,
  shot,
  skipReason,
  waitFrame,
  stagePoint,
} from './harness';
import type { Served } from './harness';

const skip = skipReason();
if (skip) console.log(`# skipped browser tests: ${skip}`);

let dir = '';
let served: Served | undefined;
let browser: Browser | undefined;
let page: Page;
const errors: string[] = [];
const dataset = (): string => join(dir, 'datasets', 'sample.cop.jsonl');

before(async () => {
  if (skip) return;
  ensureBuilt();
  dir = copyAssets();
  served = await serve(dataset(), ['--export-drafts'], {
    GROUNDWORK_CACHE_DIR: join(dir, '.cache'),
  });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) cleanup(dir);
});

async function entityAttr(i: number, name: string): Promise<string | null> {
  return page.getByTestId(`entity-item-${i}`).getAttribute(name);
}

async function waitAttr(testid: string, name: string, value: string): Promise<void> {
  await page.waitForSelector(`[data-testid="${testid}"][${name}="${value}"]`, { timeout: 15000 });
}

function sampleOf(raw: string): SampleView {
  const s = readSample(raw, 0);
  if (isProblem(s)) throw new Error(s.message);
  return s;
}

test(
  'open, step, draw, accept, area on a video frame, undo/redo, save, export',
  { skip },
  async () => {
    await page.goto(served!.url);
    await waitFrame(page, 0);
    assert.equal(await page.getByTestId('sample-label').textContent(), 'bathroom-cloth-0001');
    assert.equal(await entityAttr(0, 'data-active'), 'true');
    await shot(page, '01-open');

    // Step to frame 3.
    for (let k = 0; k < 3; k++) await page.getByTestId('btn-next').click();
    await waitFrame(page, 3);
    assert.equal(await page.getByTestId('frame-label').textContent(), 'frame 3 of 0–7');

    // Draw a box for entity 0 ("red door handle") with the mouse.
    await page.getByTestId('tool-box').click();
    const a = await stagePoint(page, 880, 640);
    const b = await stagePoint(page, 1120, 800);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    await waitAttr('entity-item-0', 'data-status', 'accepted');
    assert.equal(await entityAttr(0, 'data-source'), 'human');
    assert.equal(await entityAttr(0, 'data-kind'), 'object');
    await shot(page, '02-box-drawn');

    // Accept the imported proposal of "blue cloth" with Enter: it jumps to its frame 7.
    await page.getByTestId('entity-3').first().click();
    await waitFrame(page, 7);
    await shot(page, '03-proposal');
    await page.keyboard.press('Enter');
    await waitAttr('entity-item-3', 'data-status', 'accepted');
    assert.equal(await entityAttr(3, 'data-source'), 'import');
    await shot(page, '04-accepted');

    // Mark the other entities not groundable, then Ctrl+Enter: annotated, next todo opens.
    for (const i of [1, 2, 4]) {
      await page.getByTestId(`entity-item-${i}`).click();
      await page.keyboard.press('Delete');
      await waitAttr(`entity-item-${i}`, 'data-status', 'not_groundable');
    }
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="sample-label"]')?.textContent ===
        'bedroom-nightstand-0002',
    );

    // kids-bed-0003 (a video): entity 4 as an area with 5 points.
    await pickSample(page, 2);
    await page.waitForSelector(
      '[data-testid="stage"][data-sample="kids-bed-0003"][data-ready="true"]',
      { timeout: 60000 },
    );
    await page.getByTestId('entity-item-4').click();
    await page.keyboard.press('2');
    await waitAttr('entity-item-4', 'data-kind', 'area');
    assert.equal(await page.getByTestId('tool-points').getAttribute('aria-pressed'), 'true');
    const floor: [number, number][] = [
      [250, 500],
      [330, 510],
      [410, 505],
      [490, 515],
      [570, 508],
    ];
    for (const [k, [x, y]] of floor.entries()) {
      const p = await stagePoint(page, x, y);
      await page.mouse.click(p.x, p.y);
      await page.waitForFunction(
        (n) =>
          (
            document
              .querySelector('[data-testid="active-entity-geometry"]')
              ?.textContent?.match(/\(/g) ?? []
          ).length === n,
        k + 1,
      );
    }
    assert.equal(await entityAttr(4, 'data-status'), 'accepted');
    await shot(page, '05-area');

    // Undo removes the last point, redo puts it back.
    const points = async (): Promise<number> =>
      ((await page.getByTestId('active-entity-geometry').textContent())?.match(/\(/g) ?? []).length;
    await page.getByTestId('btn-undo').click();
    await page.waitForFunction(
      () =>
        (
          document
            .querySelector('[data-testid="active-entity-geometry"]')
            ?.textContent?.match(/\(/g) ?? []
        ).length === 4,
    );
    await page.getByTestId('btn-redo').click();
    await page.waitForFunction(
      () =>
        (
          document
            .querySelector('[data-testid="active-entity-geometry"]')
            ?.textContent?.match(/\(/g) ?? []
        ).length === 5,
    );
    assert.equal(await points(), 5);

    // Save: the dirty marker clears; the file changed only on the two edited lines.
    assert.equal(await page.getByTestId('dirty-indicator').getAttribute('data-dirty'), 'true');
    await page.getByTestId('btn-save').click();
    await waitAttr('dirty-indicator', 'data-dirty', 'false');
    const saved = readFileSync(dataset(), 'utf8');
    const shared = readFileSync(
      join(__dirname, '..', '..', '..', 'shared', 'assets', 'datasets', 'sample.cop.jsonl'),
      'utf8',
    );
    assert.notEqual(saved, shared, 'the copy on disk was saved');
    const before = shared.split('\n');
    const afterLines = saved.split('\n');
    assert.equal(afterLines.length, before.length);
    for (const i of [1, 3, 4])
      assert.equal(afterLines[i], before[i], `line ${i + 1} is byte-identical`);
    for (const i of [0, 2])
      assert.ok(
        afterLines[i]!.startsWith(before[i]!.slice(0, -1) + ', "groundwork": '),
        `line ${i + 1} only gains the groundwork key`,
      );

    const bath = sampleOf(afterLines[0]!);
    assert.equal(bath.state.status, 'annotated');
    const e0 = bath.state.entities[0] as EntityState;
    assert.equal(e0.status, 'accepted');
    assert.equal(e0.grounding?.source, 'human');
    assert.equal(e0.grounding?.frame, 3);
    assert.deepEqual(e0.grounding?.size, [1920, 1080]);
    const [p0, p1] = e0.grounding!.points as [[number, number], [number, number]];
    assert.ok(
      Math.abs(p0[0] - 880) < 3 &&
        Math.abs(p0[1] - 640) < 3 &&
        Math.abs(p1[0] - 1120) < 3 &&
        Math.abs(p1[1] - 800) < 3,
      JSON.stringify(e0.grounding!.points),
    );
    assert.ok((e0.timeMs ?? 0) > 0, 'time per entity recorded');
    const e3 = bath.state.entities[3] as EntityState;
    assert.equal(e3.status, 'accepted');
    assert.equal(e3.grounding?.source, 'import');
    assert.deepEqual(e3.grounding?.size, [1920, 1080]);
    assert.deepEqual(e3.grounding?.points, [
      [(644 / 1000) * 1920, 0],
      [1920, (738 / 1000) * 1080],
    ]);
    assert.deepEqual(
      [1, 2, 4].map((i) => bath.state.entities[i]?.status),
      ['not_groundable', 'not_groundable', 'not_groundable'],
    );

    const kids = sampleOf(afterLines[2]!);
    const e4 = kids.state.entities[4] as EntityState;
    assert.equal(e4.kind, 'area');
    assert.equal(e4.grounding?.tag, 'area');
    assert.equal(e4.grounding?.points.length, 5);
    assert.deepEqual(e4.grounding?.size, [960, 540]);
    for (const [k, [x, y]] of floor.entries()) {
      const q = e4.grounding!.points[k]!;
      assert.ok(Math.abs(q[0] - x) < 2 && Math.abs(q[1] - y) < 2, `point ${k}: ${q.join(',')}`);
    }

    // Export: the annotated sample's trace is the one the core derives from the saved line.
    await page.getByTestId('btn-export').click();
    await page.getByTestId('export-menu').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid^="export-format-"]').count(), 4);
    await page.getByTestId('export-format-rynnbrain-raw').click();
    await page.waitForFunction(
      () =>
        /exported \d+ sample/.test(
          document.querySelector('[data-testid="banner"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60000 },
    );
    const banner = await page.getByTestId('banner').textContent();
    assert.match(banner ?? '', /exported 1 sample\(s\)/);
    const out = readFileSync(join(dir, 'datasets', 'sample.rynnbrain-raw.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string;
            conversation: { role: string; content: { type: string; text: string | null }[] }[];
          },
      );
    const rec = out.find((r) => r.id === 'bathroom-cloth-0001');
    assert.ok(rec, 'the annotated sample is exported');
    const thinking = rec.conversation
      .find((t) => t.role === 'Thinking')!
      .content.map((c) => c.text ?? '')
      .join('');
    assert.equal(thinking, traceText(bath));
    assert.match(thinking, /blue cloth <object> <frame 7>: \(644, 0\), \(1000, 738\) <\/object>/);
    assert.match(
      thinking,
      /red door handle <object> <frame 3>: \(45[789], 59[234]\), \(58[234], 74[012]\) <\/object>/,
    );
    assert.ok(
      !thinking.includes('[') && !thinking.includes('metal storage rack <'),
      'not groundable entities stay plain text',
    );
    await shot(page, '06-exported');

    // Another format from the same menu: written beside the dataset, the first export kept.
    const raw = readFileSync(join(dir, 'datasets', 'sample.rynnbrain-raw.jsonl'), 'utf8');
    await page.getByTestId('btn-export').click();
    await page.getByTestId('export-format-flat').click();
    await page.waitForFunction(
      () =>
        /to sample\.flat\.jsonl/.test(
          document.querySelector('[data-testid="banner"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60000 },
    );
    const flat = readFileSync(join(dir, 'datasets', 'sample.flat.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; trace: string });
    assert.equal(flat.find((r) => r.id === 'bathroom-cloth-0001')?.trace, traceText(bath));
    assert.equal(
      readFileSync(join(dir, 'datasets', 'sample.rynnbrain-raw.jsonl'), 'utf8'),
      raw,
      'the raw export is untouched',
    );
    assert.deepEqual(errors, []);
  },
);
