/**
 * Issue 13 item 6: the editor at 1600x1000, 1024x700 and 800x500 in Chromium. The stage stays
 * usable (at least 360x200 px), the filmstrip stays visible, the header stays one row, and no
 * control overlaps another region (toolbar buttons ran under the entity panel at 900x600).
 * The help overlay fits the window. Screenshots go to test-artifacts/browser/layout-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  cleanup,
  copyAssets,
  ensureBuilt,
  launch,
  serve,
  shot,
  skipReason,
  waitFrame,
} from './harness';
import type { Served } from './harness';

const skip = skipReason();
if (skip) console.log(`# skipped layout browser tests: ${skip}`);

const SIZES: readonly [number, number][] = [
  [1600, 1000],
  [1024, 700],
  [800, 500],
];

let dir = '';
let served: Served | undefined;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  ensureBuilt();
  dir = copyAssets();
  served = await serve(join(dir, 'datasets', 'sample.cop.jsonl'), [], {
    GROUNDWORK_CACHE_DIR: join(dir, '.cache'),
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) cleanup(dir);
});

interface Rect {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Boxes of the regions and of every visible control, measured in the page. The page script is
 * a string: tsx names inner functions with a helper (`__name`) that the page does not have.
 */
const MEASURE = `(() => {
  const rect = (name, el) => {
    const r = el.getBoundingClientRect();
    return { name, x: r.x, y: r.y, w: r.width, h: r.height };
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const regions = [
    ['header', '.header'],
    ['tools', '.tools'],
    ['stage', '.stage-wrap'],
    ['transport', '.transport'],
    ['filmstrip', '.filmstrip'],
    ['right', '.right'],
  ].flatMap(([name, sel]) => {
    const el = document.querySelector(sel);
    return el && visible(el) ? [rect(name, el)] : [];
  });
  const controls = [
    ...document.querySelectorAll(
      '.header > *, .header .review-bar > *, .tools > *, .transport > *, .entity-actions > *',
    ),
  ]
    .filter((el) => visible(el) && !el.classList.contains('spacer') && !el.classList.contains('review-bar'))
    .map((el, i) => rect((el.getAttribute('data-testid') || el.className || el.tagName) + '#' + i, el));
  return { regions, controls };
})()`;

function measure(page: Page): Promise<{ regions: Rect[]; controls: Rect[] }> {
  return page.evaluate(MEASURE) as Promise<{ regions: Rect[]; controls: Rect[] }>;
}

const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
const inside = (a: Rect, b: Rect): boolean =>
  a.x >= b.x - 0.5 &&
  a.y >= b.y - 0.5 &&
  a.x + a.w <= b.x + b.w + 0.5 &&
  a.y + a.h <= b.y + b.h + 0.5;

for (const [width, height] of SIZES) {
  test(
    `${width}x${height}: a usable stage, one header row, nothing overlaps`,
    { skip },
    async () => {
      const page = await browser!.newPage({ viewport: { width, height } });
      await page.goto(served!.url);
      await waitFrame(page, 0);
      await shot(page, `layout-${width}x${height}`);
      const { regions, controls } = await measure(page);
      const region = (name: string): Rect => {
        const found = regions.find((r) => r.name === name);
        assert.ok(found, `${name} is visible at ${width}x${height}`);
        return found;
      };
      const stage = region('stage');
      assert.ok(
        stage.w >= 360 && stage.h >= 200,
        `stage ${stage.w}x${stage.h} at ${width}x${height}`,
      );
      assert.ok(region('filmstrip').h >= 50, 'the filmstrip keeps its thumbnails');
      const viewport: Rect = { name: 'viewport', x: 0, y: 0, w: width, h: height };
      for (const r of regions) assert.ok(inside(r, viewport), `${r.name} inside the window`);
      for (let i = 0; i < regions.length; i++)
        for (let j = i + 1; j < regions.length; j++)
          assert.ok(
            !overlaps(regions[i]!, regions[j]!),
            `${regions[i]!.name} and ${regions[j]!.name} overlap at ${width}x${height}`,
          );
      for (let i = 0; i < controls.length; i++) {
        const c = controls[i]!;
        assert.ok(inside(c, viewport), `${c.name} inside the window (${JSON.stringify(c)})`);
        for (let j = i + 1; j < controls.length; j++)
          assert.ok(
            !overlaps(c, controls[j]!),
            `${c.name} overlaps ${controls[j]!.name} at ${width}x${height}`,
          );
      }
      // Header controls stay on one row and within the header (Export and ? used to wrap).
      const header = region('header');
      for (const c of controls.filter((k) => inside(k, { ...header, h: height })))
        if (c.y < header.y + header.h) assert.ok(inside(c, header), `${c.name} within the header`);
      // One row where there is room; a narrow window gives the review bar a second one.
      assert.ok(header.h <= (width > 1280 ? 44 : 80), `header rows: ${header.h}px at ${width}`);
      await shot(page, `layout-${width}x${height}`);

      // The help overlay fits: its box is inside the window and scrolls inside itself.
      await page.keyboard.press('?');
      const help = await page.locator('.help-box').boundingBox();
      assert.ok(help, 'help is shown');
      assert.ok(
        inside({ name: 'help', x: help.x, y: help.y, w: help.width, h: help.height }, viewport),
      );
      await shot(page, `layout-${width}x${height}-help`);
      await page.close();
    },
  );
}
