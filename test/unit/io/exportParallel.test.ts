/**
 * The export's worker threads write what one thread writes (issue 14): on a generated
 * dataset of several MiB (so batches spread over the workers) with bad lines, repeated ids,
 * drafts, missing images and samples without masks, `--jobs 2` and `--jobs 3` give the same
 * output bytes as `--jobs 1` in every format, and the same skip reports, in line order.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXPORT_FORMATS } from '../../../src/core/export/formats';
import { emptyMask, fillPolygon } from '../../../src/core/raster/brush';
import { encodeRle } from '../../../src/core/rle';
import { cli } from '../../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'gw-export-par-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The header readImageHeader needs of a PNG: signature, IHDR, width and height. */
function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

const W = 64,
  H = 48;
const MASK = encodeRle(
  fillPolygon(
    emptyMask(W, H),
    [
      [4, 4],
      [30, 4],
      [30, 20],
      [4, 20],
    ],
    1,
  ),
);

/** Sample `i`: every 7th a draft, every 11th with masks, every 13th naming a missing image. */
function sample(i: number): Record<string, unknown> {
  const texts = ['red mug', 'door handle', 'blue cloth'];
  const entities = texts.map((text, k) => ({
    text,
    status: 'accepted',
    kind: 'object',
    grounding: {
      tag: 'object',
      frame: k % 3,
      points: [
        [2 + k, 3],
        [20 + k, 30],
      ],
      size: [W, H],
      source: 'human',
      ...(i % 11 === 0 ? { mask: MASK } : {}),
    },
    timeMs: 100 + k,
  }));
  const frames = [0, 1, 2].map((f) => `frames/f${(i + f) % 9}.png`);
  if (i % 13 === 4) frames[1] = 'frames/missing.png';
  return {
    id: i % 97 === 50 ? `s-${i - 1}` : `s-${i}`,
    frames,
    question: `Where is the thing ${i}? "quoted" é`,
    reasoning: `We see the [${texts[0]}], then the [${texts[1]}] and the [${texts[2]}] ${'x'.repeat(i % 300)}.`,
    answer: 'There.',
    groundwork: { status: i % 7 === 3 ? 'annotated' : 'approved', entities },
  };
}

const BAD = ['not json at all', '[1, 2]', '{"reasoning": "no id"}', '', '   '];

function dataset(): string {
  mkdirSync(join(dir, 'ws', 'ds', 'frames'), { recursive: true });
  for (let f = 0; f < 9; f++)
    writeFileSync(join(dir, 'ws', 'ds', 'frames', `f${f}.png`), pngHeader(W, H));
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < 4.5 * (1 << 20); i++) {
    lines.push(i % 211 === 17 ? (BAD[i % BAD.length] as string) : JSON.stringify(sample(i)));
    if (i % 500 === 0) lines.push(JSON.stringify(sample(i)).slice(0, 40)); // a cut line
  }
  const path = join(dir, 'ws', 'ds', 'big.cop.jsonl');
  writeFileSync(path, lines.join('\r\n') + '\n');
  return path;
}

const path = dataset();

async function run(format: string, jobs: number, extra: string[] = []) {
  const out = join(dir, `out-${format}-${jobs}.jsonl`);
  const r = await cli([
    'export',
    path,
    '-o',
    out,
    '--format',
    format,
    '--jobs',
    String(jobs),
    '--allow-partial',
    ...extra,
  ]);
  const bytes = existsSync(out) ? readFileSync(out) : undefined;
  return { ...r, bytes, out };
}

for (const format of EXPORT_FORMATS) {
  test(`export --format ${format}: --jobs 2 and 3 write the bytes and skips of --jobs 1`, async () => {
    const one = await run(format, 1);
    assert.equal(one.code, 0, one.stderr.slice(0, 2000));
    assert.ok(one.bytes && one.bytes.length > 0, 'something was written');
    const skips = one.stderr.split('\n').filter(Boolean);
    const lineOf = (s: string) => Number(/: line (\d+)/.exec(s)?.[1]);
    assert.ok(skips.length > 50, `skips reported (${skips.length})`);
    assert.ok(
      skips.every((s, k) => k === 0 || lineOf(s) >= lineOf(skips[k - 1] as string)),
      'skip reports come in line order',
    );
    assert.ok(skips.some((s) => /not valid JSON/.test(s)));
    assert.ok(skips.some((s) => /id repeats line/.test(s)));
    assert.ok(skips.some((s) => /Image not found: .*missing\.png/.test(s)));
    if (format === 'rynnec') assert.ok(skips.some((s) => /no entity has a mask/.test(s)));
    else
      assert.ok(
        skips.some((s) => /approved/.test(s)),
        'drafts are skipped',
      );
    for (const jobs of [2, 3]) {
      const many = await run(format, jobs);
      assert.equal(many.code, 0, many.stderr.slice(0, 2000));
      assert.ok(many.bytes?.equals(one.bytes), `--jobs ${jobs}: the same bytes as --jobs 1`);
      assert.equal(many.stderr, one.stderr, `--jobs ${jobs}: the same skips, in the same order`);
      assert.equal(many.stdout, one.stdout.replace(`-${format}-1.`, `-${format}-${jobs}.`));
    }
  });
}

test('export --jobs 2 refuses like --jobs 1 and leaves no output, no temp file, the input as it was', async () => {
  const before = readFileSync(path);
  for (const jobs of ['1', '2']) {
    const r = await cli(['export', path, '-o', join(dir, 'refused.jsonl'), '--jobs', jobs]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /export refused: \d+ sample\(s\) failed; nothing was written/);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('refused')),
      [],
      'no output and no temp file',
    );
  }
  assert.ok(readFileSync(path).equals(before));
});

test('export --jobs must be a whole number from 1 to 16', async () => {
  for (const bad of ['0', '17', '1.5', 'many']) {
    const r = await cli(['export', path, '-o', join(dir, 'x.jsonl'), '--jobs', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`--jobs must be a whole number from 1 to 16, not "${bad}"`));
    assert.ok(!existsSync(join(dir, 'x.jsonl')));
  }
});
