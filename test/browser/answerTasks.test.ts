/**
 * Issue 15 in Chromium: a dataset of every task type, answers drawn in the editor (a box for
 * segment with a second acceptable frame, points for area after the task is changed in the
 * editor, trajectory, affordance, count clicks, general text untouched) and model-written
 * answers accepted with Enter; then `groundwork export` (rynnbrain-raw and rynnbrain-sft)
 * read with RynnBrain's published extraction rules, as facts: the frame pattern
 * `<frame\s+(\d+)>`, the coordinate pattern `\(\s*(\d+)\s*,\s*(\d+)\s*\)`, `:;` read as a
 * space, RL ground truth in `{"frame<n>": [[x, y], ...]}` items. Every answer is found with
 * its exact points. Screenshots of the answer item go to test-artifacts/browser/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ROOT,
  cleanup,
  copyAssets,
  ensureBuilt,
  launch,
  openSample,
  serve,
  shot,
  skipReason,
  stagePoint,
  waitFrame,
} from './harness';
import type { Served } from './harness';

const FRAMES = [0, 15, 30, 45, 60, 75, 90, 105].map(
  (n) => `../frames/rb_object_location/${String(n).padStart(5, '0')}.jpg`,
);
const PLAIN = 'The camera pans across the bathroom toward the storage rack.';

interface Spec {
  readonly id: string;
  readonly answer: string;
  readonly task?: string;
  readonly reasoning?: string;
}

/** Drawn in the editor (first six), then model-written answers accepted (last six). */
const SAMPLES: readonly Spec[] = [
  { id: 'seg-drawn', task: 'segment', answer: 'The blue cloth, on the right.' },
  // No task on the line and a plain answer: general until the editor sets it to area.
  { id: 'area-drawn', answer: 'On the free part of the shelf.' },
  { id: 'traj-drawn', task: 'trajectory', answer: 'Move along the rack.' },
  { id: 'aff-drawn', task: 'affordance', answer: 'Press the handle.' },
  { id: 'count-drawn', task: 'counting', answer: 'Several bottles.' },
  { id: 'general-drawn', task: 'general', answer: 'The cloth is blue.' },
  {
    id: 'seg-model',
    answer: 'It is here <object> <frame 2>: (100, 200), (500, 600) </object>.',
    // A standalone tag (no bracketed entity before it) is its own item, shown as a tag.
    reasoning: 'A cloth <object> <frame 1>: (10, 10), (50, 50) </object> hangs by the rack.',
  },
  { id: 'area-model', answer: '<area> <frame 1>: (300, 300), (320, 340) </area>' },
  {
    id: 'traj-model',
    answer: '<trajectory> <frame 3>: (10, 20), (30, 40), (50, 60) </trajectory>',
  },
  { id: 'aff-model', answer: '<affordance> <frame 6>: (700, 800) </affordance>' },
  { id: 'count-model', answer: '<counting>7</counting>' },
  { id: 'general-model', task: 'general', answer: 'The cloth hangs on a hook.' },
];

const skip = skipReason();
let dir = '';
let dataset = '';
let served: Served | undefined;
let browser: Browser | undefined;
let page: Page;

before(async () => {
  if (skip) return;
  ensureBuilt();
  dir = copyAssets();
  dataset = join(dir, 'datasets', 'tasks.cop.jsonl');
  const lines = SAMPLES.map((s) =>
    JSON.stringify({
      id: s.id,
      frames: FRAMES,
      question: `Question of ${s.id}?`,
      reasoning: s.reasoning ?? PLAIN,
      answer: s.answer,
      ...(s.task ? { task: s.task } : {}),
    }),
  );
  writeFileSync(dataset, lines.join('\n') + '\n');
  served = await serve(dataset, [], { GROUNDWORK_CACHE_DIR: join(dir, '.cache') });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) cleanup(dir);
});

const lineOf = (id: string): number => SAMPLES.findIndex((s) => s.id === id);

async function open(id: string): Promise<void> {
  await openSample(page, lineOf(id), id);
}

async function goFrame(n: number): Promise<void> {
  await page.getByTestId(`filmstrip-thumb-${n}`).click();
  await waitFrame(page, n);
}

async function clickAt(x: number, y: number): Promise<void> {
  const p = await stagePoint(page, x, y);
  await page.mouse.click(p.x, p.y);
}

/** Clicks points one by one, each after the one before is stored (as a person clicks). */
async function clickPoints(points: readonly (readonly [number, number])[]): Promise<void> {
  for (const [index, [x, y]] of points.entries()) {
    await clickAt(x, y);
    await waitText(
      'active-entity-geometry',
      new RegExp(`^\\w+ @ frame \\d+: (\\(\\d+, \\d+\\) ?){${index + 1}} in`),
    );
  }
}

async function drag(from: [number, number], to: [number, number]): Promise<void> {
  const a = await stagePoint(page, from[0], from[1]);
  const b = await stagePoint(page, to[0], to[1]);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 3 });
  await page.mouse.up();
}

async function waitText(testId: string, want: RegExp): Promise<void> {
  const el = page.getByTestId(testId);
  for (let i = 0; i < 100; i++) {
    if (want.test((await el.textContent()) ?? '')) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`${testId} never matched ${want}: "${await el.textContent()}"`);
}

async function waitAttr(testId: string, name: string, want: string): Promise<void> {
  await page.waitForSelector(`[data-testid="${testId}"][${name}="${want}"]`, { timeout: 10000 });
}

/** The answer item is item 0, labelled Answer with its task's tag and tool, and active. */
async function checkAnswerItem(tag: RegExp, tool: string): Promise<void> {
  const item = page.getByTestId('entity-item-0');
  assert.equal(await item.getAttribute('data-role'), 'answer');
  assert.match((await item.locator('.entity-text').textContent()) ?? '', /^Answer$/);
  assert.match((await page.getByTestId('answer-tag').textContent()) ?? '', tag);
  await waitAttr('entity-item-0', 'data-active', 'true');
  assert.equal(await page.getByTestId(`tool-${tool}`).getAttribute('aria-pressed'), 'true');
}

test('editor: answers of every task drawn, accepted, then annotated', { skip }, async () => {
  await page.goto(served!.url);
  await waitFrame(page, 0);

  // segment: a box on frame 1, then a second acceptable frame (3).
  await open('seg-drawn');
  await checkAnswerItem(/^segment · object box$/, 'box');
  assert.equal(await page.getByTestId('task-select').inputValue(), 'segment');
  await goFrame(1);
  await drag([400, 300], [900, 700]);
  await waitAttr('entity-item-0', 'data-status', 'accepted');
  await page.getByTestId('btn-answer-add-frame').click();
  await goFrame(3);
  await drag([500, 250], [1000, 650]);
  await waitText('answer-frames', /^1, 3$/);
  assert.equal(await page.getByTestId('filmstrip-thumb-3').getAttribute('data-acceptable'), 'true');
  await shot(page, 'answer-segment-two-frames');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');

  // area: the line says no task (general, no answer item) until the editor sets it.
  await open('area-drawn');
  assert.equal(await page.getByTestId('task-select').inputValue(), 'general');
  assert.equal(await page.getByTestId('task-select').getAttribute('data-origin'), 'inferred');
  assert.equal(await page.getByTestId('entity-item-0').count(), 0);
  await page.getByTestId('task-select').selectOption('area');
  await page.waitForSelector('[data-testid="entity-item-0"][data-role="answer"]');
  assert.equal(await page.getByTestId('task-select').getAttribute('data-origin'), 'editor');
  await page.getByTestId('entity-item-0').click();
  await checkAnswerItem(/^area · area points$/, 'points');
  await goFrame(2);
  await clickPoints([
    [300, 300],
    [500, 320],
    [420, 500],
  ]);
  await waitText(
    'active-entity-geometry',
    /^area @ frame 2: \(\d+, \d+\) \(\d+, \d+\) \(\d+, \d+\) /,
  );
  // A second acceptable frame drawn with the same tool, point by point.
  await page.getByTestId('btn-answer-add-frame').click();
  await goFrame(4);
  await clickAt(1300, 300);
  await waitText('answer-frame-here', /^area: \(\d+, \d+\)$/);
  await clickAt(1500, 420);
  await waitText('answer-frame-here', /^area: \(\d+, \d+\) \(\d+, \d+\)$/);
  await waitText('answer-frames', /^2, 4$/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');

  // trajectory: three clicks on frame 0.
  await open('traj-drawn');
  await checkAnswerItem(/^trajectory · trajectory$/, 'trajectory');
  await waitFrame(page, 0);
  await clickPoints([
    [200, 800],
    [700, 600],
    [1200, 500],
  ]);
  await waitText('active-entity-geometry', /^trajectory @ frame 0: (\(\d+, \d+\) ?){3} /);
  await page.keyboard.press('Control+Enter');

  // affordance: one contact point on frame 4.
  await open('aff-drawn');
  await checkAnswerItem(/^affordance · affordance point$/, 'affordance');
  await goFrame(4);
  await clickAt(960, 540);
  await waitAttr('entity-item-0', 'data-status', 'accepted');
  await page.keyboard.press('Control+Enter');

  // counting: click each instance; the count is the number of clicks, shown as it goes.
  await open('count-drawn');
  await checkAnswerItem(/^counting · click to count$/, 'count');
  await goFrame(5);
  const instances = [
    [300, 400],
    [600, 420],
    [900, 450],
    [1200, 480],
  ] as const;
  for (const [index, [x, y]] of instances.entries()) {
    await clickAt(x, y);
    await waitText('answer-count', new RegExp(`^${index + 1} \\(clicked\\)$`));
  }
  await shot(page, 'answer-counting-clicks');
  await page.keyboard.press('Control+Enter');

  // general: nothing to verify; the text is left as it is.
  await open('general-drawn');
  assert.equal(await page.getByTestId('entity-item-0').count(), 0);
  assert.equal(await page.getByTestId('task-select').inputValue(), 'general');
  await page.keyboard.press('Control+Enter');

  // Model-written answers: the proposal is shown, Enter accepts it.
  await open('seg-model');
  await checkAnswerItem(/^segment · object box$/, 'box');
  await waitAttr('entity-item-0', 'data-status', 'proposed');
  const standalone = page.locator('[data-testid="reasoning"] [data-standalone="true"]');
  assert.equal(await standalone.count(), 1);
  assert.match((await standalone.textContent()) ?? '', /^<object> <frame 1>: \(10, 10\)/);
  await waitFrame(page, 2);
  await shot(page, 'answer-model-proposal-and-standalone-tag');
  await page.keyboard.press('Enter');
  await waitAttr('entity-item-0', 'data-status', 'accepted');
  await page.getByTestId('entity-item-1').click();
  await page.keyboard.press('Enter');
  await waitAttr('entity-item-1', 'data-status', 'accepted');
  await page.keyboard.press('Control+Enter');
  for (const [id, tool] of [
    ['area-model', 'points'],
    ['traj-model', 'trajectory'],
    ['aff-model', 'affordance'],
    ['count-model', 'count'],
  ] as const) {
    await open(id);
    await checkAnswerItem(/·/, tool);
    await page.keyboard.press('Enter');
    await waitAttr('entity-item-0', 'data-status', 'accepted');
    if (id === 'count-model') await waitText('answer-count', /^7 \(accepted\)$/);
    await page.keyboard.press('Control+Enter');
  }
  await open('general-model');
  await page.keyboard.press('Control+Enter');
  await page.keyboard.press('Control+s');
  await waitForFile((rows) => rows.every((r) => r.groundwork?.status === 'annotated'));
});

interface Row {
  readonly id: string;
  readonly groundwork?: {
    readonly status: string;
    readonly entities: readonly {
      readonly role?: string;
      readonly grounding?: { frame: number; points: [number, number][]; size: [number, number] };
      readonly alternates?: { frame: number; points: [number, number][]; size: [number, number] }[];
    }[];
  };
}

async function waitForFile(ok: (rows: Row[]) => boolean): Promise<Row[]> {
  let rows: Row[] = [];
  for (let i = 0; i < 100; i++) {
    rows = readFileSync(dataset, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row);
    if (ok(rows)) return rows;
    await page.waitForTimeout(100);
  }
  assert.fail(
    `the saved file never got there: ${JSON.stringify(rows.map((r) => r.groundwork?.status))}`,
  );
}

// ---- RynnBrain's extraction rules, as facts ----

const FRAME = /<frame\s+(\d+)>/;
const COORD = /\(\s*(\d+)\s*,\s*(\d+)\s*\)/g;
const COUNTING = /<counting>\s*(\d+)\s*<\/counting>/;

interface Item {
  readonly type?: string;
  readonly text?: string | null;
  readonly [key: string]: unknown;
}

/** The SFT step's answer from the assistant's text items: first frame, every coordinate. */
function sftFound(items: readonly Item[]): {
  frame?: number;
  points: number[][];
  count?: number;
  text: string;
} {
  const text = items
    .filter((i) => i.type === 'text')
    .map((i) => i.text ?? '')
    .join('')
    .replaceAll(':;', ' ');
  const frame = FRAME.exec(text);
  const count = COUNTING.exec(text);
  return {
    ...(frame ? { frame: Number(frame[1]) } : {}),
    points: [...text.matchAll(COORD)].map((m) => [Number(m[1]), Number(m[2])]),
    ...(count ? { count: Number(count[1]) } : {}),
    text,
  };
}

/** The RL step's ground truth: every `frame<n>` key holding a list of points. */
function rlFound(items: readonly Item[]): Map<number, number[][]> {
  const out = new Map<number, number[][]>();
  for (const item of items)
    for (const [key, value] of Object.entries(item)) {
      const m = /^frame(\d+)$/.exec(key);
      if (m && Array.isArray(value)) out.set(Number(m[1]), value as number[][]);
    }
  return out;
}

const norm = (v: number, size: number): number =>
  Math.min(1000, Math.max(0, Math.sign(v) * Math.round(Math.abs((v / size) * 1000))));

/** What each answer must be found as: frames with their points in [0, 1000], or a count. */
function expected(
  rows: Row[],
): Map<string, { frames?: [number, number[][]][]; count?: number; text?: string }> {
  const out = new Map<string, { frames?: [number, number[][]][]; count?: number; text?: string }>();
  const drawn = (id: string): [number, number[][]][] => {
    const answer = rows.find((r) => r.id === id)?.groundwork?.entities[0];
    assert.ok(answer?.grounding, `${id}: no drawn grounding in the saved file`);
    return [answer.grounding, ...(answer.alternates ?? [])].map((g) => [
      g.frame,
      g.points.map(([x, y]) => [norm(x, g.size[0]), norm(y, g.size[1])]),
    ]);
  };
  for (const id of ['seg-drawn', 'area-drawn', 'traj-drawn', 'aff-drawn'])
    out.set(id, { frames: drawn(id) });
  out.set('count-drawn', { count: 4 });
  out.set('general-drawn', { text: 'The cloth is blue.' });
  out.set('seg-model', {
    frames: [
      [
        2,
        [
          [100, 200],
          [500, 600],
        ],
      ],
    ],
  });
  out.set('area-model', {
    frames: [
      [
        1,
        [
          [300, 300],
          [320, 340],
        ],
      ],
    ],
  });
  out.set('traj-model', {
    frames: [
      [
        3,
        [
          [10, 20],
          [30, 40],
          [50, 60],
        ],
      ],
    ],
  });
  out.set('aff-model', { frames: [[6, [[700, 800]]]] });
  out.set('count-model', { count: 7 });
  out.set('general-model', { text: 'The cloth hangs on a hook.' });
  return out;
}

function exportAs(format: string): Record<string, unknown>[] {
  const out = join(dir, `tasks.${format}.jsonl`);
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'dist', 'cli.js'),
      'export',
      dataset,
      '-o',
      out,
      '--format',
      format,
      '--allow-unapproved',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `export ${format}: ${r.stderr}`);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test(
  'export: RynnBrain finds every answer with its exact points (raw and sft)',
  { skip },
  async () => {
    const rows = await waitForFile((all) => all.every((r) => r.groundwork?.status === 'annotated'));
    const want = expected(rows);
    // The drawn geometry is where it was drawn (a box from (400,300) to (900,700) on 1920x1080).
    assert.deepEqual(
      want.get('seg-drawn')?.frames?.map(([f]) => f),
      [1, 3],
    );
    // The area answer holds 3 points on frame 2 and 2 on its second acceptable frame, 4.
    assert.deepEqual(
      want.get('area-drawn')?.frames?.map(([f, pts]) => [f, pts.length]),
      [
        [2, 3],
        [4, 2],
      ],
    );
    const box = want.get('seg-drawn')?.frames?.[0]?.[1].flat() ?? [];
    [208, 278, 469, 648].forEach((v, i) => assert.ok(Math.abs((box[i] ?? -99) - v) <= 3, `${box}`));
    const raw = exportAs('rynnbrain-raw');
    assert.equal(raw.length, SAMPLES.length);
    for (const rec of raw) {
      const id = String(rec.id ?? (rec as { sample_id?: string }).sample_id);
      const w = want.get(id);
      assert.ok(w, `unexpected record ${id}`);
      const turns = rec.conversation as { role: string; content: Item[] }[];
      const assistant = turns.find((t) => t.role === 'assistant')?.content ?? [];
      const found = sftFound(assistant);
      if (w.frames) {
        const [first] = w.frames;
        assert.equal(found.frame, first?.[0], `${id}: SFT frame`);
        assert.deepEqual(found.points, first?.[1], `${id}: SFT points`);
        assert.deepEqual([...rlFound(assistant).entries()], w.frames, `${id}: RL frame items`);
      } else if (w.count !== undefined) {
        assert.equal(found.count, w.count, `${id}: count`);
        assert.ok(
          assistant.some((i) => i.count === w.count),
          `${id}: count item`,
        );
      } else assert.equal(found.text.trim(), w.text, `${id}: general text`);
      const user =
        turns.find((t) => t.role === 'user')?.content.filter((i) => i.type === 'text') ?? [];
      assert.ok((user[user.length - 1]?.text ?? '').length > 0, `${id}: last user text is empty`);
    }
    const sft = exportAs('rynnbrain-sft');
    assert.equal(sft.length, SAMPLES.length);
    for (const rec of sft) {
      const id = String(rec.id);
      const w = want.get(id);
      assert.ok(w, `unexpected sft record ${id}`);
      const messages = rec.messages as { role: string; content: string }[];
      const content = messages.find((m) => m.role === 'assistant')?.content ?? '';
      const m = /#### <answer>([\s\S]*)<\/answer>$/.exec(content);
      assert.ok(m, `${id}: no #### <answer>…</answer> at the end`);
      const found = sftFound([{ type: 'text', text: m[1] ?? '' }]);
      if (w.frames) {
        assert.equal(found.frame, w.frames[0]?.[0], `${id}: sft frame`);
        assert.deepEqual(found.points, w.frames[0]?.[1], `${id}: sft points`);
      } else if (w.count !== undefined) assert.equal(found.count, w.count, `${id}: sft count`);
      else assert.equal(m[1], w.text, `${id}: sft text`);
    }
  },
);
