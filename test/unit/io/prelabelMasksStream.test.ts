/**
 * `prelabel --masks` streams its file (issue 14): on a multi-MiB file (BOM, CRLF, blank and
 * broken lines, a missing image) with a fake SAM, the streamed pass writes exactly what the
 * mask pass over the whole file in memory writes, with the same errors (file line numbers)
 * and the same entities masked, for a whole file and a modulo shard; a pass that masks
 * nothing leaves the file untouched.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isBlank, joinLines, splitLines } from '../../../src/core/dataset';
import { emptyMask, fillPolygon } from '../../../src/core/raster/brush';
import { encodeRle } from '../../../src/core/rle';
import { isProblem, readSample } from '../../../src/core/sample';
import type { SegmentedReply } from '../../../src/inference/messages';
import { maskOutputFile, runMaskPass } from '../../../src/inference/prelabelMasks';
import type { MaskClient } from '../../../src/inference/prelabelMasks';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';

const dir = mkdtempSync(join(tmpdir(), 'gw-masks-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const W = 64,
  H = 48;

function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

/** A SAM that answers every prompt with a box-shaped mask and a count of its calls. */
function fakeSam(): MaskClient & { calls: number } {
  const mask = encodeRle(
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
  const fake = {
    calls: 0,
    loadModel: async () => ({}) as Awaited<ReturnType<MaskClient['loadModel']>>,
    segment: async (): Promise<SegmentedReply> => {
      fake.calls++;
      return { mask, score: 0.9, cached: true, timings: {} as SegmentedReply['timings'] };
    },
  };
  return fake;
}

function sample(i: number): string {
  const frames = [0, 1, 2].map((f) => `frames/f${(i + f) % 5}.png`);
  if (i % 301 === 7) frames[2] = 'frames/missing.png';
  const proposal = (k: number) => ({
    tag: 'object',
    frame: k % 3,
    points: [
      [2 + (k % 5), 3],
      [20 + (k % 5), 30],
    ],
    size: [W, H],
    source: 'model:yolox-nano',
  });
  return JSON.stringify({
    id: `m-${i}`,
    frames,
    reasoning: `Take the [red mug] and the [blue cloth] ${'y'.repeat(i % 400)}.`,
    groundwork: {
      status: 'todo',
      entities: [
        { text: 'red mug', status: 'proposed', kind: 'object', proposal: proposal(i) },
        // Every 3rd second entity has nothing to prompt SAM with: reported as skipped.
        i % 3 === 0
          ? { text: 'blue cloth', status: 'pending' }
          : { text: 'blue cloth', status: 'proposed', kind: 'object', proposal: proposal(i + 1) },
      ],
    },
  });
}

function writeDataset(name: string): string {
  mkdirSync(join(dir, 'frames'), { recursive: true });
  for (let f = 0; f < 5; f++) writeFileSync(join(dir, 'frames', `f${f}.png`), pngHeader(W, H));
  const parts = ['\ufeff'];
  for (let i = 0, n = 0; n < 3.2 * (1 << 20); i++) {
    const line = i % 97 === 5 ? '{"broken": ' : i % 89 === 3 ? '' : sample(i);
    const eol = i % 2 ? '\r\n' : '\n';
    parts.push(line, eol);
    n += line.length + eol.length;
  }
  const path = join(dir, name);
  writeFileSync(path, parts.join(''));
  return path;
}

/** The mask pass as it was: the whole file in memory, then saved. */
async function wholeFile(path: string, shard: { index: number; count: number }) {
  const doc = splitLines(readFileSync(path, 'utf8'));
  const lines: number[] = [];
  let position = 0;
  doc.lines.forEach((l, i) => {
    if (isBlank(l.raw) || isProblem(readSample(l.raw, i))) return;
    if (position++ % shard.count === shard.index) lines.push(i);
  });
  const provider = new VideoFrameProvider({ mediaRoots: [dir] });
  const r = await runMaskPass({
    datasetPath: path,
    doc,
    lines,
    client: fakeSam(),
    provider,
    segmenterId: 'minisam',
  });
  return { ...r, text: joinLines(r.doc) };
}

for (const shard of [
  { index: 0, count: 1 },
  { index: 1, count: 3 },
]) {
  test(`prelabel --masks streamed (shard ${shard.index}/${shard.count}) writes what the whole-file pass writes`, async () => {
    const path = writeDataset(`ds-${shard.index}-${shard.count}.cop.jsonl`);
    const expected = await wholeFile(path, shard);
    const sam = fakeSam();
    const r = await maskOutputFile({
      path,
      datasetPath: path,
      shard,
      sliced: false,
      client: sam,
      provider: new VideoFrameProvider({ mediaRoots: [dir] }),
      segmenterId: 'minisam',
    });
    assert.ok(r.masks > 1000, `masks written: ${r.masks}`);
    assert.equal(readFileSync(path, 'utf8'), expected.text, 'the same bytes');
    assert.equal(r.masks, expected.masks);
    assert.equal(r.entities, expected.entities);
    assert.deepEqual(r.errors, expected.errors, 'the same errors with file line numbers');
    assert.ok(r.errors.length > 0 && r.errors.every((e) => /missing\.png/.test(e.message)));
    assert.equal(r.skippedCount, expected.skipped.length);
    assert.deepEqual(r.skipped, expected.skipped.slice(0, 1000));
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left',
    );
  });
}

test('prelabel --masks that masks nothing leaves the file byte for byte as it was', async () => {
  const path = join(dir, 'nothing.cop.jsonl');
  const text = `\ufeff${JSON.stringify({ id: 'a', frames: ['frames/f0.png'], reasoning: 'the [cup]' })}\r\nnot json\n`;
  writeFileSync(path, text);
  const r = await maskOutputFile({
    path,
    datasetPath: path,
    shard: { index: 0, count: 1 },
    sliced: false,
    client: fakeSam(),
    provider: new VideoFrameProvider({ mediaRoots: [dir] }),
    segmenterId: 'minisam',
  });
  assert.equal(r.masks, 0);
  assert.equal(r.skippedCount, 1);
  assert.equal(readFileSync(path, 'utf8'), text);
});
