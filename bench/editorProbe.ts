/**
 * Where an edit's time goes in the served editor (issue 14 item 5): serves a scaled dataset,
 * stamps every socket message on the page (sent, received, how long its handler ran), and
 * takes a CPU profile of the page and of the server over the same edits. Not a bench row:
 * a tool for finding the cost. `node --import tsx bench/editorProbe.ts [samples] [rounds]`.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeScaledDataset } from './editorScale';
import { spawn } from 'node:child_process';
import { ROOT, cleanup, copyAssets, ensureBuilt, launch } from '../test/browser/harness';

/** `groundwork serve` under node's --cpu-prof (NODE_OPTIONS refuses the flag). */
function serveProfiled(
  dataset: string,
  profDir: string,
): Promise<{ readonly url: string; stop(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${profDir}`,
      join(ROOT, 'dist', 'cli.js'),
      'serve',
      dataset,
      '--no-models',
    ],
    {
      env: {
        ...process.env,
        GROUNDWORK_RECOVERY_DIR: join(profDir, '..', '.recovery'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stderr.resume();
  return new Promise((resolve) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(out);
      if (m)
        resolve({
          url: m[0],
          stop: () =>
            new Promise<void>((done) => {
              proc.once('exit', () => done());
              proc.kill('SIGINT');
            }),
        });
    });
  });
}

/** A profile node of the Chrome DevTools protocol (the fields read here). */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

/** A CPU profile of the Chrome DevTools protocol (also what node --cpu-prof writes). */
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time by function, the top `count`, in ms. */
function topSelf(profile: Profile, count: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const f = node.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
}

/** One event of a Chrome trace (the fields read here). */
interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tid: number;
  readonly pid: number;
  readonly args?: { readonly name?: string; readonly data?: { readonly url?: string } };
}

/** Durations on the renderer's main thread by event name, over the whole traced span. */
function mainThread(events: readonly TraceEvent[]): string[] {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return ['no main thread in the trace'];
  // The trace's clock is not the page's: the span traced is the edits alone (or one load).
  const on = events.filter((e) => e.tid === main.tid && e.pid === main.pid && e.ph === 'X');
  const total = new Map<string, number>();
  for (const e of on) total.set(e.name, (total.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
}

/** Inclusive time by function (each function once per sample), the top `count`, in ms. */
function topInclusive(profile: Profile, count: number, only = 'webview.js'): string[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f || !f.url.includes(only)) continue;
      const key = `${f.functionName || '(anon)'}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
  });
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
}

// Page code goes as strings: tsx's name helpers (__name) do not exist in the page.
const WRAP_SOCKET = `(() => {
  window.__wsLog = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        const t = performance.now();
        let type = '?';
        try { const e = JSON.parse(ev.data); type = e.inReplyTo ? 'reply' : e.body.type; } catch {}
        window.__wsLog.push({ dir: 'in', type, t, bytes: ev.data.length });
        queueMicrotask(() => { const last = window.__wsLog.find((x) => x.t === t); if (last) last.handled = performance.now() - t; });
      });
    }
    send(data) {
      let type = '?';
      try { type = JSON.parse(data).body.type; } catch {}
      window.__wsLog.push({ dir: 'out', type, t: performance.now(), bytes: data.length });
      super.send(data);
    }
  };
})()`;

const EDITS = `(async (rounds) => {
  const store = window.groundworkApp.store;
  window.__listen = store.listeners.map(() => ({ ms: 0, calls: 0, src: '' }));
  store.listeners.forEach((l, i) => {
    window.__listen[i].src = String(l).slice(0, 60);
    store.listeners[i] = (c) => { const t = performance.now(); l(c); window.__listen[i].ms += performance.now() - t; window.__listen[i].calls++; window.__listen[i].changes = [...c].join(','); };
  });
  const key = (k) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  const active = () => document.querySelector('.entity-item[data-active="true"]');
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const kind = active().dataset.kind;
    window.__wsLog.length = 0;
    const t0 = performance.now();
    key(kind === 'area' ? '1' : '2');
    const tKey = performance.now();
    await new Promise((resolve) => {
      const tick = () => (active() && active().dataset.kind !== kind ? resolve() : setTimeout(tick, 0));
      tick();
    });
    const tDom = performance.now();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const tPaint = performance.now();
    out.push({ origin: performance.timeOrigin + t0, keyHandler: tKey - t0, dom: tDom - t0, paint: tPaint - t0,
      log: window.__wsLog.map((x) => ({ ...x, t: +(x.t - t0).toFixed(1), handled: x.handled && +x.handled.toFixed(1) })) });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { out, listen: window.__listen };
})`;

const NEXT = `(async (rounds) => {
  for (const l of window.__listen) { l.ms = 0; l.calls = 0; }
  const q = (id) => document.querySelector('[data-testid="' + id + '"]');
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const label = q('sample-label').textContent;
    window.__wsLog.length = 0;
    const t0 = performance.now();
    q('btn-next-todo').click();
    await new Promise((resolve) => {
      const tick = () => (q('sample-label').textContent !== label && document.querySelector('.entity-item[data-active="true"]') ? resolve() : setTimeout(tick, 0));
      tick();
    });
    const tDom = performance.now();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    out.push({ dom: tDom - t0, paint: performance.now() - t0,
      log: window.__wsLog.map((x) => ({ ...x, t: +(x.t - t0).toFixed(1), handled: undefined })) });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { out, listen: window.__listen };
})`;

/** Milestones of a page load, in ms from navigation start (the page's own clock). */
const LOAD = `(() => {
  window.__load = {};
  const mark = (k) => { if (window.__load[k] === undefined) window.__load[k] = +performance.now().toFixed(1); };
  new MutationObserver(() => {
    const label = document.querySelector('[data-testid="sample-label"]');
    if (label && label.textContent && label.textContent !== '(no sample)') mark('label');
    if (document.querySelector('.entity-item')) mark('entities');
    const stage = document.querySelector('[data-testid="stage"]');
    if (stage && stage.dataset.ready === 'true') { mark('frameReady'); requestAnimationFrame(() => mark('framePainted')); }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  document.addEventListener('DOMContentLoaded', () => mark('domContentLoaded'));
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      mark('wsCreated');
      super(...args);
      this.addEventListener('open', () => mark('wsOpen'));
      this.addEventListener('message', (ev) => {
        let type = '?';
        try { const e = JSON.parse(ev.data); type = e.inReplyTo ? 'reply' : e.body.type; } catch {}
        mark('in:' + type);
        window.__load['bytes:' + type] = ev.data.length;
      });
    }
    send(data) {
      let type = '?';
      try { type = JSON.parse(data).body.type; } catch {}
      mark('out:' + type);
      super.send(data);
    }
  };
})()`;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100);
  const rounds = Number(process.argv[3] ?? 10);
  ensureBuilt();
  const dir = copyAssets();
  const file = join(dir, 'datasets', `probe-${count}.cop.jsonl`);
  writeScaledDataset(file, count, dir);
  const profDir = join(dir, 'prof');
  mkdirSync(profDir);
  const served = await serveProfiled(file, profDir);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    await page.addInitScript(WRAP_SOCKET);
    await page.goto(served.url);
    await page.waitForSelector('.entity-item[data-active="true"]');
    await page.waitForTimeout(1500);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await browser.startTracing(page, { categories: ['devtools.timeline'] });
    const probe = (await page.evaluate(`${EDITS}(${rounds})`)) as {
      listen: { ms: number; calls: number; src: string; changes: string }[];
      out: {
        origin: number;
        keyHandler: number;
        dom: number;
        paint: number;
        log: unknown[];
      }[];
    };
    const runs = probe.out;
    console.log('store listeners over the edits:');
    for (const l of probe.listen)
      console.log(
        `${l.ms.toFixed(1).padStart(7)} ms ${l.calls} calls  ${l.src.replace(/\s+/g, ' ')} [${l.changes}]`,
      );
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    const trace = JSON.parse(String(await browser.stopTracing())) as { traceEvents: TraceEvent[] };
    console.log('\npage main thread: time per event over the edits (all rounds)');
    for (const line of mainThread(trace.traceEvents)) console.log(line);
    for (const r of runs) {
      console.log(
        `key ${r.keyHandler.toFixed(1)} dom ${r.dom.toFixed(1)} paint ${r.paint.toFixed(1)} ms`,
        JSON.stringify(r.log),
      );
    }
    console.log('\npage: self time over the edits');
    for (const line of topSelf(profile, 30)) console.log(line);
    const nextProbe = (await page.evaluate(`${NEXT}(${Math.min(rounds, 6)})`)) as {
      listen: { ms: number; calls: number; src: string; changes: string }[];
      out: { dom: number; paint: number; log: unknown[] }[];
    };
    const next = nextProbe.out;
    console.log('store listeners over Next todo:');
    for (const l of nextProbe.listen)
      console.log(
        `${l.ms.toFixed(1).padStart(7)} ms ${l.calls} calls  ${l.src.replace(/\s+/g, ' ')} [${l.changes}]`,
      );
    for (const r of next)
      console.log(
        `next todo: dom ${r.dom.toFixed(1)} paint ${r.paint.toFixed(1)}`,
        JSON.stringify(r.log),
      );
    await page.close();
    for (let i = 0; i < 3; i++) {
      const fresh = await browser.newPage({ viewport: { width: 1600, height: 960 } });
      await fresh.addInitScript(LOAD);
      const loadCdp = await fresh.context().newCDPSession(fresh);
      await loadCdp.send('Profiler.enable');
      await loadCdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await loadCdp.send('Profiler.start');
      if (i === 0) await browser.startTracing(fresh, { categories: ['devtools.timeline'] });
      await fresh.goto(served.url);
      await fresh.evaluate(`new Promise((resolve) => {
        const poll = () => (window.__load && window.__load.framePainted > 0 ? resolve() : setTimeout(poll, 20));
        poll();
      })`);
      const loaded = (await loadCdp.send('Profiler.stop')) as unknown as { profile: Profile };
      if (i === 0) {
        const t = JSON.parse(String(await browser.stopTracing())) as { traceEvents: TraceEvent[] };
        console.log('load: main thread by event');
        for (const line of mainThread(t.traceEvents)) console.log(line);
        console.log('load: page self time');
        for (const line of topSelf(loaded.profile, 25)) console.log(line);
        console.log('load: inclusive');
        for (const line of topInclusive(loaded.profile, 45)) console.log(line);
      }
      await fresh.waitForTimeout(300);
      const load = (await fresh.evaluate(`(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const js = performance.getEntriesByType('resource').find((r) => r.name.includes('webview.js'));
        return { ...window.__load, responseEnd: +nav.responseEnd.toFixed(1), jsStart: js && +js.startTime.toFixed(1), jsEnd: js && +js.responseEnd.toFixed(1), jsBytes: js && js.encodedBodySize };
      })()`)) as Record<string, number>;
      console.log('load:', JSON.stringify(load));
      await fresh.close();
    }
  } finally {
    await browser.close();
    await served.stop();
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const profs = readdirSync(profDir);
  for (const p of profs) {
    const profile = JSON.parse(readFileSync(join(profDir, p), 'utf8')) as Profile;
    console.log(`\nserver: self time over the whole run (${p})`);
    for (const line of topSelf(profile, 25)) console.log(line);
  }
  cleanup(dir);
}

void main();
