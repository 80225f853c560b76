/**
 * The mask correction tools in Chromium against `groundwork serve` (models off): a brush
 * stroke of known size adds that many pixels to the saved RLE, the eraser removes them,
 * fill holes restores an enclosed erasure, a polygon adds its area, undo takes exactly one
 * stroke back, keep-largest drops the smaller part, a Shift polygon subtracts, clear removes
 * the mask. Saved masks are read back with the test's own COCO decoder (cocoRle.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCocoRle, setPixels } from './cocoRle';
import { shot, skipReason, stagePoint, waitFrame } from './harness';
import { useServedEditor } from './fixture';

const skip = skipReason();

const editor = useServedEditor(skip);

type Json = Record<string, unknown>;

/** Entity `entity`'s saved mask on `frame` of line `line`, decoded, or undefined. */
function savedMask(line: number, entity: number, frame: number) {
  const text = readFileSync(join(editor.dir, 'datasets', 'sample.cop.jsonl'), 'utf8').split('\n')[
    line
  ];
  const state = (JSON.parse(text ?? '{}') as Json).groundwork as Json | undefined;
  const e = ((state?.entities as Json[] | undefined) ?? [])[entity] ?? {};
  const main = (e.grounding ?? e.proposal) as Json | undefined;
  type Rle = { size: number[]; counts: string };
  const rle =
    main && main.frame === frame
      ? (main.mask as Rle | undefined)
      : ((e.track as Json[] | undefined) ?? []).find((t) => t.frame === frame)?.mask;
  return rle ? decodeCocoRle(rle as Rle) : undefined;
}

/** Saves and returns the set pixels of the saved mask (0 when there is none). */
async function saveAndCount(frame = 0): Promise<number> {
  await editor.page.keyboard.press('Control+s');
  await editor.page.waitForSelector('[data-testid="dirty-indicator"][data-dirty="false"]');
  const mask = savedMask(0, 1, frame);
  return mask ? setPixels(mask) : 0;
}

/** Waits until the stage's mask of entity 1 has a new area (the op came back). */
async function waitMaskChange(before: string): Promise<string> {
  await editor.page.waitForFunction(
    (old) => document.querySelector<HTMLElement>('[data-testid="stage"]')?.dataset.masks !== old,
    before,
  );
  return (await editor.page.getByTestId('stage').getAttribute('data-masks')) ?? '';
}

const masks = async (): Promise<string> =>
  (await editor.page.getByTestId('stage').getAttribute('data-masks')) ?? '';

/** A drag through source-pixel points. */
async function stroke(points: readonly [number, number][]): Promise<void> {
  const [first, ...rest] = points;
  const start = await stagePoint(editor.page, first![0], first![1]);
  await editor.page.mouse.move(start.x, start.y);
  await editor.page.mouse.down();
  for (const [x, y] of rest) {
    const p = await stagePoint(editor.page, x, y);
    await editor.page.mouse.move(p.x, p.y, { steps: 8 });
  }
  await editor.page.mouse.up();
}

/** Clicks a polygon's vertices and then its first vertex again. */
async function polygon(points: readonly [number, number][], modifier?: 'Shift'): Promise<void> {
  if (modifier) await editor.page.keyboard.down(modifier);
  for (const [x, y] of [...points, points[0]!]) {
    const p = await stagePoint(editor.page, x, y);
    await editor.page.mouse.click(p.x, p.y);
  }
  if (modifier) await editor.page.keyboard.up(modifier);
}

/** Pixels of a round brush of radius `r` swept along a straight segment of length `length`. */
const stadium = (r: number, length: number): number => 2 * r * length + Math.PI * r * r;

test(
  'brush, eraser, fill holes, polygon, undo, keep largest, subtract, clear',
  { skip },
  async () => {
    await editor.page.goto(editor.served.url);
    await waitFrame(editor.page, 0);
    await editor.page.getByTestId('entity-item-1').click();
    await editor.page.getByTestId('tool-brush').click();
    const radius = Number(await editor.page.getByTestId('stage').getAttribute('data-brush-radius'));
    assert.ok(radius >= 4, `brush radius shown: ${radius}`);
    assert.match((await editor.page.getByTestId('brush-size').textContent()) ?? '', /r \d+ px/);

    // A stroke 200 px long: the pixels whose centres lie within r of the segment.
    let shown = await masks();
    await stroke([
      [400, 300],
      [600, 300],
    ]);
    shown = await waitMaskChange(shown);
    const painted = await saveAndCount();
    const want = stadium(radius, 200);
    // The pointer lands on screen pixels: at this zoom one is about 2 source pixels, so the
    // ends and the line's height may shift by that much (perimeter x 2 px at most).
    const slack = 2 * (2 * 200 + 2 * Math.PI * radius);
    assert.ok(Math.abs(painted - want) <= slack, `brush added ${painted}, want ${want} ± ${slack}`);
    assert.equal(shown, `1:${painted}`, 'the mask layer shows the saved mask');

    // Eraser, two sizes smaller, through the middle: it removes its own stadium (a hole).
    await editor.page.keyboard.press('e');
    await editor.page.keyboard.press('[');
    await editor.page.keyboard.press('[');
    const small = Number(await editor.page.getByTestId('stage').getAttribute('data-brush-radius'));
    assert.ok(small < radius && small > 0, `eraser radius ${small} < ${radius}`);
    await stroke([
      [460, 300],
      [540, 300],
    ]);
    shown = await waitMaskChange(shown);
    const erased = await saveAndCount();
    const removed = painted - erased;
    const wantRemoved = stadium(small, 80);
    assert.ok(
      Math.abs(removed - wantRemoved) <= 2 * (2 * 80 + 2 * Math.PI * small),
      `eraser removed ${removed}, want ${wantRemoved}`,
    );

    // Fill holes: the erasure was enclosed by the stroke, so the stroke comes back exactly.
    await editor.page.getByTestId('mask-fillHoles').click();
    shown = await waitMaskChange(shown);
    assert.equal(await saveAndCount(), painted, 'fill holes restores the enclosed erasure');

    // Polygon: a 200 x 150 rectangle elsewhere adds its area.
    await editor.page.keyboard.press('l');
    await polygon([
      [1000, 500],
      [1200, 500],
      [1200, 650],
      [1000, 650],
    ]);
    shown = await waitMaskChange(shown);
    const withPolygon = await saveAndCount();
    const added = withPolygon - painted;
    assert.ok(Math.abs(added - 30000) <= 2 * 700, `polygon added ${added}, want 30000 ± 1400`);
    await shot(editor.page, 'mask-corrected');

    // Undo takes exactly the polygon back; redo brings it again.
    await editor.page.keyboard.press('Control+z');
    shown = await waitMaskChange(shown);
    assert.equal(await saveAndCount(), painted, 'undo takes one gesture back');
    await editor.page.keyboard.press('Control+Shift+z');
    shown = await waitMaskChange(shown);
    assert.equal(await saveAndCount(), withPolygon, 'redo');

    // Keep the largest part: the rectangle stays, the stroke goes.
    await editor.page.keyboard.press('Shift+K');
    shown = await waitMaskChange(shown);
    assert.equal(await saveAndCount(), added, 'keep largest leaves the polygon');

    // Shift polygon inside the rectangle subtracts 100 x 50.
    await polygon(
      [
        [1050, 550],
        [1150, 550],
        [1150, 600],
        [1050, 600],
      ],
      'Shift',
    );
    shown = await waitMaskChange(shown);
    const cut = added - (await saveAndCount());
    assert.ok(Math.abs(cut - 5000) <= 2 * 300, `subtract removed ${cut}, want 5000 ± 600`);

    // The box follows a mask it was made from: the entity's box is the mask's tight box.
    const box = (await editor.page.getByTestId('active-entity-geometry').textContent()) ?? '';
    assert.match(box, /\(10\d\d, [45]\d\d\).*\(1[12]\d\d, [67]\d\d\)/, box);

    await editor.page.keyboard.press('Shift+Delete');
    await waitMaskChange(shown);
    assert.equal(await saveAndCount(), 0, 'clear removes the mask');
    assert.deepEqual(editor.errors, []);
  },
);

test(
  'mask keys: O hides and shows, Shift+O cycles the opacity; help lists the mask keys',
  { skip },
  async () => {
    const stage = editor.page.getByTestId('stage');
    assert.equal(await stage.getAttribute('data-mask-visible'), 'true');
    await editor.page.keyboard.press('o');
    assert.equal(await stage.getAttribute('data-mask-visible'), 'false');
    await editor.page.keyboard.press('o');
    const before = await stage.getAttribute('data-mask-opacity');
    await editor.page.keyboard.press('Shift+O');
    assert.notEqual(await stage.getAttribute('data-mask-opacity'), before);
    await editor.page.keyboard.press('?');
    const help = (await editor.page.getByTestId('help-overlay').textContent()) ?? '';
    for (const key of [
      'Shift+B',
      '[',
      ']',
      'Shift+F',
      'Shift+K',
      'Shift+Del',
      'Shift+T',
      'Shift+O',
    ])
      assert.ok(help.includes(key), `help lists ${key}`);
    await editor.page.keyboard.press('Escape');
  },
);
