/**
 * Timing helpers of the on-screen click test (maskModel.test.ts): a clock installed in the
 * page that times each model click from its mousedown to its reply (the mask layer's
 * preview mark, seen by a PerformanceObserver, so a reply that lands after the mask is
 * already drawn is timed too), to the changed mask entry and to the next frame, and the bare
 * decoder graph run in the test's own process as the same-run baseline.
 */
/**
 * In the page: per click, mousedown to the changed mask entry and to the next frame;
 * `window.__timedClicks()` adds each click's reply (-1: no reply seen after its mousedown).
 * The mask may be drawn before its reply: the sample's snapshot carrying it can come first.
 */
import type { Page } from 'playwright-core';
import { waitFrame } from './harness';

export const CLICK_CLOCK = `(() => {
  const stage = document.querySelector('[data-testid="stage"]');
  const entry = () => (stage.dataset.masks || '').split(',').find((m) => m.startsWith('1:'));
  window.__clicks = [];
  const previews = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'groundwork:mask-preview') previews.push(e.startTime);
  }).observe({ type: 'mark' });
  window.__timedClicks = () => window.__clicks.map((c) => {
    const at = previews.find((p) => p >= c.start);
    return { ...c, reply: at === undefined ? -1 : at - c.start };
  });
  let down;
  document.addEventListener('mousedown', () => { down = { at: performance.now(), was: entry() }; }, true);
  new MutationObserver(() => {
    if (!down || entry() === down.was) return;
    const start = down.at;
    const drawn = performance.now() - start;
    down = undefined;
    const area = Number(entry().split(':')[1]);
    requestAnimationFrame(() => window.__clicks.push({ start, drawn, painted: performance.now() - start, area }));
  }).observe(stage, { attributes: true, attributeFilter: ['data-masks'] });
})()`;

/** Median and p95 (nearest rank) of `xs`. */
export function spread(xs: readonly number[]): string {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`;
}

/** The bare decoder graph on prepared tensors (the worker's session options), for a baseline. */
export async function bareDecoder(decoder: string): Promise<() => Promise<number>> {
  const ort = await import('onnxruntime-node');
  const { createSession } = await import('../../src/inference/providers');
  const { reducedSize } = await import('../../src/inference/families/sam');
  const session = (await createSession(decoder, 'cpu', 'bare')).session;
  const out = reducedSize({ width: 960, height: 540 });
  const embedding = new Float32Array(256 * 64 * 64).map((_, i) => Math.sin(i) * 0.1);
  const feeds = {
    image_embeddings: new ort.Tensor('float32', embedding, [1, 256, 64, 64]),
    point_coords: new ort.Tensor('float32', new Float32Array([420, 245, 0, 0]), [1, 2, 2]),
    point_labels: new ort.Tensor('float32', new Float32Array([1, -1]), [1, 2]),
    mask_input: new ort.Tensor('float32', new Float32Array(256 * 256), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([out.height, out.width]), [2]),
  };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  return async () => {
    const started = performance.now();
    await session.run(feeds);
    return performance.now() - started;
  };
}

/**
 * Makes the active entity's grounding a person's (accepts the automatic YOLOX suggestion,
 * which would otherwise replace a click's proposal when it lands later and keeps the click's
 * mask hidden behind it), then opens frame `seed` with the model-click tool.
 */
export async function acceptSuggestionThenClickTool(page: Page, seed: number): Promise<void> {
  await page.waitForSelector('[data-testid="entity-item-1"][data-source="model:yolox-nano"]', {
    timeout: 180_000,
  });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="entity-item-1"][data-status="accepted"]');
  await page.getByTestId(`filmstrip-thumb-${seed}`).click();
  await waitFrame(page, seed, 60_000);
  await page.getByTestId('tool-model-click').click();
}
