/**
 * The editor's steps at 100 and 100,000 samples (issue 14 item 5), for browser.bench.ts: the
 * first sample on screen, an edit on screen (a kind key, Del on each entity), Next todo and "Annotated ▸
 * next", each timed in the page from the gesture to the paint that shows its result. The
 * datasets repeat the shared sample dataset's frame-list samples with new ids (video samples
 * would time ffmpeg, which video.bench.ts measures); they are written to a temp folder only.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Page loads per dataset size for the first-sample figure (each in a fresh context). */
const LOADS = 3;

/** Starts `groundwork serve` on a dataset (the browser harness's, passed in: it names the DOM). */
export type ServeFn = (
  dataset: string,
  extra: readonly string[],
) => Promise<{ readonly url: string; stop(): Promise<void> }>;

/** The timings of one dataset size, in milliseconds. */
export interface ScaleRow {
  readonly samples: number;
  readonly megabytes: number;
  /** From `groundwork serve` started to its URL printed (reading and indexing the file). */
  readonly serveStartMs: number;
  /** From navigation to the first sample's id, entities and frame image painted (fresh cache). */
  readonly firstSampleMs: Stats;
  /** From navigation to the id and entities painted (the frame image may still load). */
  readonly firstTextMs: Stats;
  /** From navigation to every sample's summary in the page (the picker's list), last load. */
  readonly listMs: number;
  readonly editMs: Stats;
  readonly nextTodoMs: Stats;
  readonly annotatedNextMs: Stats;
}

/** Median, p95 and max of some runs. */
export interface Stats {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

function stats(xs: readonly number[]): Stats {
  const s = xs.slice().sort((a, b) => a - b);
  const at = (p: number): number => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
  return {
    n: s.length,
    median: +at(0.5).toFixed(1),
    p95: +at(0.95).toFixed(1),
    max: +(s[s.length - 1] ?? 0).toFixed(1),
  };
}

/** Writes `count` samples (the shared frame-list samples repeated, ids made unique). */
export function writeScaledDataset(path: string, count: number, assets: string): void {
  const source = readFileSync(join(assets, 'datasets', 'sample.cop.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((s) => Array.isArray(s.frames));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const sample = source[i % source.length] as Record<string, unknown>;
    out.push(JSON.stringify({ ...sample, id: `${String(sample.id)}-${i}` }));
  }
  writeFileSync(path, out.join('\n') + '\n');
}

// Page code goes as strings: tsx's name helpers (__name) do not exist in the page.
// "On screen" is the animation frame after the change is in the DOM and on the canvas: the
// text (id, entities) and, for the whole first sample, the frame image drawn on the stage.
const FIRST_PAINT = `(() => {
  const text = () => {
    const label = document.querySelector('[data-testid="sample-label"]');
    const item = document.querySelector('[data-testid="entity-item-0"]');
    return label && label.textContent && label.textContent !== '(no sample)' && item;
  };
  const frame = () => {
    const stage = document.querySelector('[data-testid="stage"]');
    return stage && stage.dataset.ready === 'true';
  };
  const observer = new MutationObserver(() => {
    if (text() && !window.__firstText) {
      window.__firstText = -1;
      requestAnimationFrame(() => { window.__firstText = performance.now(); });
    }
    if (text() && frame() && !window.__firstSample) {
      window.__firstSample = -1;
      requestAnimationFrame(() => { window.__firstSample = performance.now(); });
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

const STEPS = `(async (rounds) => {
  const key = (k, ctrl) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, ctrlKey: !!ctrl, bubbles: true }));
  const q = (id) => document.querySelector('[data-testid="' + id + '"]');
  // Seen when the DOM changes (a mutation observer, not a timer's poll), then on screen at the
  // next animation frame.
  const until = (what, test) => new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      done = true;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve(performance.now()));
    };
    const observer = new MutationObserver(() => { if (!done && test()) finish(); });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(what + ' did not show in 120 s (' + (q('banner') ? q('banner').textContent : '') + ')'));
    }, 120000);
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    if (test()) finish();
  });
  const active = () => document.querySelector('.entity-item[data-active="true"]');
  const edits = [], todo = [], annotated = [];
  const edit = async (what, press, changed) => {
    const t0 = performance.now();
    press();
    edits.push((await until(what, changed)) - t0);
  };
  for (let r = 0; r < rounds; r++) {
    // An edit: the kind key that flips the active entity's kind.
    const first = active();
    if (!first) throw new Error('no active entity');
    const kind = first.dataset.kind;
    await edit('kind', () => key(kind === 'area' ? '1' : '2'), () => active() && active().dataset.kind !== kind);
    // Del on every entity (not groundable): each one an edit, and the sample is then decided.
    const items = document.querySelectorAll('.entity-item').length;
    for (let i = 0; i < items; i++) {
      const item = q('entity-item-' + i);
      if (item.dataset.status === 'not_groundable') continue;
      item.click();
      await edit('del', () => key('Delete'), () => q('entity-item-' + i).dataset.status === 'not_groundable');
    }
    let label = q('sample-label').textContent;
    let t0 = performance.now();
    key('Enter', true);
    let t1 = await until('annotated next', () => q('sample-label').textContent !== label && active());
    annotated.push(t1 - t0);
    label = q('sample-label').textContent;
    t0 = performance.now();
    q('btn-next-todo').click();
    t1 = await until('next todo', () => q('sample-label').textContent !== label && active());
    todo.push(t1 - t0);
  }
  return { edits, todo, annotated };
})`;

/** Serves a `count`-sample dataset in `dir` (a copy of the assets) and times the editor's steps in a new page. */
export async function measureScale(
  browser: Browser,
  serve: ServeFn,
  dir: string,
  count: number,
  rounds: number,
): Promise<ScaleRow> {
  const file = join(dir, 'datasets', `scale-${count}.cop.jsonl`);
  // `dir` is the bench's copy of the shared assets: its sample dataset is the source.
  writeScaledDataset(file, count, dir);
  const started = performance.now();
  const served = await serve(file, ['--quiet']);
  const serveStartMs = performance.now() - started;
  try {
    // Each load in a new browser context: nothing cached (script, frames) from the one before.
    const first: number[] = [];
    const text: number[] = [];
    let page: Page | undefined;
    for (let load = 0; load < LOADS; load++) {
      await page?.close();
      page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
      await page.addInitScript(FIRST_PAINT);
      await page.goto(served.url);
      // A string predicate of waitForFunction needs eval, which the page's CSP refuses.
      const t = (await page.evaluate(`new Promise((resolve) => {
        const poll = () => (window.__firstSample > 0 && window.__firstText > 0
          ? resolve([window.__firstSample, window.__firstText]) : setTimeout(poll, 20));
        poll();
      })`)) as [number, number];
      first.push(t[0]);
      text.push(t[1]);
    }
    if (!page) throw new Error('no page');
    // The steps start once the sample list is in (a large one follows the first sample in its
    // own message); when that was, from navigation, is reported as listMs.
    const listMs = (await page.evaluate(`new Promise((resolve) => {
      const poll = () => (globalThis.groundworkApp.store.state.samples.length >= ${count}
        ? requestAnimationFrame(() => resolve(performance.now())) : setTimeout(poll, 5));
      poll();
    })`)) as number;
    const r = (await page.evaluate(`${STEPS}(${rounds})`)) as {
      edits: number[];
      todo: number[];
      annotated: number[];
    };
    await page.close();
    return {
      samples: count,
      megabytes: +(statSync(file).size / 2 ** 20).toFixed(1),
      serveStartMs: +serveStartMs.toFixed(0),
      firstSampleMs: stats(first),
      firstTextMs: stats(text),
      listMs: +listMs.toFixed(0),
      editMs: stats(r.edits),
      nextTodoMs: stats(r.todo),
      annotatedNextMs: stats(r.annotated),
    };
  } finally {
    await served.stop();
  }
}
