/**
 * `groundwork stats --html` (issue 12 items 6 and 7): the report is written through the
 * atomic writer, never over an input, is self-contained (no network) and its data parses;
 * rendered in Chromium it draws the five plots, and the dashboard's page (same renderer,
 * with the webview's CSP nonce) redraws on a posted update. Screenshots go to
 * test-artifacts/stats/ for people to look at.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { openDataset } from '../../../src/io/datasetFile';
import { renderStatsHtml, statsPageData } from '../../../src/io/statsReport';
import { cli } from '../../helpers/cli';
import { writeAgreementPair, writeGoldenDataset } from './statsFixture';

const CHROMIUM = '/usr/bin/chromium';
const NO_CHROMIUM = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'stats');
const CLI_JS = join(process.cwd(), 'dist', 'cli.js');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gw-stats-html-'));
}

function pageData(html: string): { title: string; stats: { samples: number } } {
  const m = /<script type="application\/json" id="gw-stats">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page carries its data in #gw-stats');
  return JSON.parse(m[1] as string) as { title: string; stats: { samples: number } };
}

test('stats --html writes a self-contained page whose data is the --json figures', async () => {
  const dir = tmp();
  const ds = writeGoldenDataset(dir);
  const out = join(dir, 'report.html');
  const r = await cli(['stats', ds, '--html', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /report\.html: report written \(\d+ bytes\)/);
  const html = readFileSync(out, 'utf8');
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i, 'no remote src or href');
  assert.doesNotMatch(html, /<link\b|@import/i);
  assert.match(html, /Chart\.js v4/, 'the charting library is inlined');
  assert.doesNotMatch(html, /Content-Security-Policy/, 'the CLI report carries no webview CSP');
  const json = JSON.parse(r.stdout) as { proposals: unknown; people: unknown };
  const data = pageData(html) as unknown as { stats: { proposals: unknown; people: unknown } };
  assert.deepEqual(data.stats.proposals, json.proposals);
  assert.deepEqual(data.stats.people, json.people);
  const scripts = html.match(/<script\b/g)?.length ?? 0;
  assert.equal(scripts, (html.match(/<\/script>/g) ?? []).length);
  assert.equal(scripts, 3, 'data, library, page script');
});

test('stats --html naming an input is refused before anything is written', async () => {
  const dir = tmp();
  const { a, b } = writeAgreementPair(dir);
  const before = [readFileSync(a), readFileSync(b)];
  for (const target of [a, b]) {
    const r = await cli(['stats', a, b, '--agreement', '--html', target]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing --html .*: it is the same file as the input/);
  }
  assert.deepEqual([readFileSync(a), readFileSync(b)], before, 'the inputs are unchanged');
  const dash = await cli(['stats', a, '--html', '-']);
  assert.equal(dash.code, 2);
  assert.match(dash.stderr, /--html needs a file name/);
});

test(
  'the bundled CLI writes the report with Chart.js from beside the bundle',
  {
    skip: existsSync(CLI_JS) ? false : 'dist/cli.js not built (node esbuild.mjs)',
  },
  () => {
    const dir = tmp();
    const { a, b } = writeAgreementPair(dir);
    const out = join(dir, 'agreement.html');
    const r = spawnSync(process.execPath, [CLI_JS, 'stats', a, b, '--agreement', '--html', out], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /Chart\.js v4/);
    assert.match(html, /"agreementWith":"alice\.jsonl and bob\.jsonl"/);
  },
);

/** Serves `html` at / on 127.0.0.1 (pages are tested over http, as a browser opens them). */
async function serve(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

test(
  'the report and the dashboard page draw their plots in Chromium',
  { skip: NO_CHROMIUM },
  async () => {
    const dir = tmp();
    const ds = writeGoldenDataset(dir);
    const out = join(dir, 'report.html');
    assert.equal((await cli(['stats', ds, '--html', out])).code, 0);
    const pair = writeAgreementPair(dir);
    const agreed = join(dir, 'agreement.html');
    assert.equal((await cli(['stats', pair.a, pair.b, '--agreement', '--html', agreed])).code, 0);
    const doc = await openDataset(ds);
    // The panel's own call (src/host/dashboardPanel.ts), with a webview's nonce and CSP.
    const dashboard = renderStatsHtml(statsPageData(ds, doc), { nonce: 'dGVzdC1ub25jZQ==' });
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const five = [
        'Proposal outcomes per model',
        'IoU between proposal and final box',
        'Time per entity per person',
        'Throughput per person per day',
        'Reviewer rejection rate',
      ];
      // The agreement pair has no proposals, timings or reviews: one plot, the others say so.
      for (const [name, html, drawn, titles] of [
        ['report', readFileSync(out, 'utf8'), 5, five],
        ['dashboard', dashboard, 5, five],
        [
          'agreement',
          readFileSync(agreed, 'utf8'),
          1,
          [...five, 'Agreement between alice.jsonl and bob.jsonl'],
        ],
      ] as const) {
        const site = await serve(html);
        const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('request', (req) => {
          if (req.url() !== site.url) problems.push(`request ${req.url()}`);
        });
        await page.goto(site.url);
        await page.waitForSelector(`body[data-drawn="${drawn}"]`, { timeout: 10_000 });
        assert.deepEqual(problems, [], `${name}: no errors, no requests but the page`);
        const sections = await page.$$eval('section h2', (hs) => hs.map((h) => h.textContent));
        assert.deepEqual(sections, titles);
        await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
        if (name === 'dashboard') {
          // A live update: the panel posts fresh figures (here: only the first sample's line).
          const fewer = statsPageData(ds, { bom: false, lines: doc.lines.slice(0, 1) });
          await page.evaluate(
            (data) => window.postMessage({ type: 'groundwork/stats', data }, '*'),
            fewer,
          );
          await page.waitForFunction(() =>
            document.querySelector('.summary')?.textContent?.startsWith('1 samples'),
          );
          await page.screenshot({
            path: join(ARTIFACTS, 'dashboard-after-update.png'),
            fullPage: true,
          });
          assert.deepEqual(problems, []);
        }
        await page.close();
        await site.close();
      }
    } finally {
      await browser.close();
    }
  },
);
