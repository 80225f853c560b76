/**
 * A trace of the seek bench's walk (issue 13 item 3): which store updates the page runs
 * while an uncached frame is on its way, and how long each takes (synchronous subscribers:
 * the filmstrip, the timeline, the layers). Run by hand:
 * `node --import tsx test/browser/seekProbe.ts` (needs `node esbuild.mjs` and ../shared).
 */
import { linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, launch, serve, waitFrame } from './harness';

const video = join(tmpdir(), 'groundwork-bench', 'testsrc2-1080p-40s-g30.mp4');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-seek-probe-'));
  linkSync(video, join(dir, 'clip.mp4'));
  mkdirSync(join(dir, 'datasets'));
  const dataset = join(dir, 'datasets', 'seek.cop.jsonl');
  writeFileSync(
    dataset,
    JSON.stringify({ id: 's', video: '../clip.mp4', fps: 2, reasoning: 'A [cup].' }) + '\n',
  );
  const served = await serve(dataset, ['--quiet'], {
    GROUNDWORK_CACHE_DIR: join(dir, 'cache'),
    GW_TRACE: '1',
  });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    page.on('console', (m) => console.log('page:', m.text()));
    await page.goto(served.url);
    await waitFrame(page, 0, 60000);
    await page.evaluate(`(async () => {
      const app = globalThis.groundworkApp;
      const stage = document.querySelector('[data-testid="stage"]');
      const updates = [];
      const update = app.store.update.bind(app.store);
      app.store.update = (changes, mutate) => {
        const t0 = performance.now();
        update(changes, mutate);
        updates.push({ at: t0, ms: performance.now() - t0, changes: changes.join('+') });
      };
      const marks = [];
      const mark = (what) => marks.push([what, performance.timeOrigin + performance.now()]);
      const decode = HTMLImageElement.prototype.decode;
      HTMLImageElement.prototype.decode = function () { mark('onload ' + this.naturalWidth); return decode.call(this).then((v) => { mark('decoded ' + this.naturalWidth); return v; }); };
      const view = app.frames.view;
      const showFrame = view.showFrame.bind(view);
      view.showFrame = (...a) => { mark('show start'); showFrame(...a); mark('show end'); };
      const load = app.frames.cache.load.bind(app.frames.cache);
      app.frames.cache.load = (uri) => { mark('load ' + (uri.match(/([^/%]+)[.]jpg/)?.[1] ?? '')); return load(uri); };
      const request = app.client.request.bind(app.client);
      app.client.request = (body, opts) => { const tag = body.type + ' ' + (body.index ?? '') + ' ' + (body.priority ?? ''); mark('ask ' + tag); const p = request(body, opts); p.then(() => mark('reply ' + tag), () => undefined); return p; };
      const key = (k, shift) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey: shift, bubbles: true }));
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      for (const want of [10, 9, 19, 18, 28, 27, 37]) {
        const cur = Number(stage.dataset.frame);
        const t0 = performance.now();
        const e0 = performance.timeOrigin + t0;
        updates.length = 0;
        marks.length = 0;
        if (want === cur + 10) key('ArrowRight', true); else key('ArrowLeft', false);
        await frame();
        while (!(Number(stage.dataset.frame) === want && stage.dataset.ready === 'true')) await frame();
        const ms = performance.now() - t0;
        const byKind = {};
        for (const u of updates) { const k = byKind[u.changes] ??= { n: 0, ms: 0, max: 0 }; k.n++; k.ms += u.ms; k.max = Math.max(k.max, u.ms); }
        console.log('epoch', want, e0);
        console.log('step', want, Math.round(ms), 'ms; updates', JSON.stringify(Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, v.n + ' x, ' + Math.round(v.ms) + ' ms, max ' + Math.round(v.max)]))));
        console.log('  marks ' + marks.map(([w, t]) => w + '@' + Math.round(t - e0)).join(', '));
        console.log('  long updates ' + updates.filter((u) => u.ms > 8).map((u) => u.changes + ' ' + Math.round(u.ms) + '@' + Math.round(u.at - t0)).join(', '));
        await new Promise((r) => setTimeout(r, 300));
      }
    })()`);
    // The host's stamps, on the page's clock (both are epoch ms).
    const log = served.log.join('');
    const starts = [...log.matchAll(/^TRACE seek .*$/gm)].map((m) => m[0]);
    console.log(starts.join('\n'));
  } finally {
    await browser.close();
    await served.stop();
    cleanup(dir);
  }
}

void main();
