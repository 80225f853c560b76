/**
 * Issue 14 item 5: serve's page carries its first sample (a JSON data block the page reads
 * before its socket opens) and preloads the frame it opens on. The block must parse back to
 * the session's first todo, survive reasoning text that would close a script element, and
 * name the frame of the first undecided entity.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPageInit } from '../../../src/server/pageInit';
import { PAGE_INIT_ID } from '../../../src/protocol/snapshot';
import type { InitSnapshot } from '../../../src/protocol/snapshot';
import { serveDataset } from './serveFixture';

const dir = mkdtempSync(join(tmpdir(), 'gw-page-init-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A 1x1 PNG: LocalMedia reads the size from its header. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

function block(html: string): InitSnapshot {
  const m = new RegExp(
    `<script type="application/json" id="${PAGE_INIT_ID}">(.*?)</script>`,
    's',
  ).exec(html);
  assert.ok(m, 'the page has the init block');
  return JSON.parse(m[1] as string) as InitSnapshot;
}

test('the served page carries the first todo and preloads the frame it opens on', async () => {
  mkdirSync(join(dir, 'ws', 'data'), { recursive: true });
  for (const f of ['f0.png', 'f1.png']) writeFileSync(join(dir, 'ws', 'data', f), PNG);
  // The first line is annotated (not a todo); the second opens on its first undecided entity,
  // whose proposal is on frame 1. Its reasoning holds a closing script tag.
  const done = {
    id: 'done',
    frames: ['f0.png'],
    reasoning: 'A [cup].',
    groundwork: { status: 'annotated', entities: [{ text: 'cup', status: 'not_groundable' }] },
  };
  const todo = {
    id: 'todo-1',
    frames: ['f0.png', 'f1.png'],
    reasoning:
      'The [handle] <object> <frame 1>: (0, 0), (1, 1) </object> on the [door] </script><script>alert(1)</script>.',
  };
  const served = await serveDataset(
    dir,
    `${JSON.stringify(done)}\n${JSON.stringify(todo)}\n`,
    'tok',
    { watch: false },
  );
  try {
    const html = await (await fetch(served.url)).text();
    // Only the page's own scripts: the data block is the one script without the nonce.
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'no script closed by the text');
    const init = block(html);
    assert.equal(init.sample?.id, 'todo-1');
    assert.equal(init.sample?.line, 1);
    assert.match(init.sample?.reasoning ?? '', /<\/script><script>alert\(1\)<\/script>/);
    assert.equal(init.samples.length, 2, 'a small list is inline');
    assert.equal(init.counts.annotated, 1);
    const preload = /<link rel="preload" as="image" href="([^"]+)">/.exec(html);
    assert.ok(preload, 'the opening frame is preloaded');
    assert.match(decodeURIComponent(preload[1] as string), /f1\.png$/);
    assert.ok(html.indexOf(preload[0]) < html.indexOf('</head>'), 'the preload is in the head');
  } finally {
    await served.close();
  }
});

test('withPageInit leaves a page without a sample unpreloaded and escapes line separators', () => {
  const page =
    '<html><head><title>t</title></head><body><script nonce="n" src="w.js"></script></body></html>';
  const init: InitSnapshot = {
    mode: 'serve',
    datasetName: 'd\u2028<b>.cop.jsonl',
    samples: [],
    samplesFollow: true,
    counts: { todo: 0, in_progress: 0, annotated: 0, approved: 0, rejected: 0, problem: 0 },
    document: { version: 0, dirty: false, canUndo: false, canRedo: false },
    canExport: false,
    canSuggest: false,
    inference: { state: 'off', message: 'off' },
  };
  const html = withPageInit(page, init);
  assert.ok(!html.includes('rel="preload"'), 'nothing to preload');
  assert.ok(!html.includes('\u2028'), 'no raw line separator in the block');
  assert.ok(html.indexOf(PAGE_INIT_ID) < html.indexOf('<script nonce='), 'block before the script');
  assert.deepEqual(block(html), init);
});
