import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  classwiseNms,
  decodeYolox,
  letterbox,
  yoloxGrid,
} from '../../../src/inference/families/yolox';
import { checkSignature } from '../../../src/inference/signature';
import { yoloxSpec } from '../../../src/inference/families/yoloxSpec';
import { COCO_LABELS } from '../../../src/core/suggest/cocoLabels';
import { yoloxGraph } from './tinyGraphs';

/** Plants one raw prediction at anchor `i`: offsets, log sizes, objectness, one class score. */
function plant(
  out: Float32Array,
  i: number,
  raw: [number, number, number, number],
  obj: number,
  cls: number,
  score: number,
): void {
  out.set(raw, i * 85);
  out[i * 85 + 4] = obj;
  out[i * 85 + 5 + cls] = score;
}

test('letterbox: 960x540 scales by 416/960 into the top-left, grey 114 below, channels B,G,R', () => {
  const data = new Uint8Array(960 * 540 * 3);
  for (let i = 0; i < 960 * 540; i++) {
    data[3 * i] = 10;
    data[3 * i + 1] = 20;
    data[3 * i + 2] = 30;
  }
  const t = letterbox({ width: 960, height: 540, data }, 416);
  assert.equal(t.ratio, 416 / 960);
  const plane = 416 * 416;
  assert.deepEqual([t.data[0], t.data[plane], t.data[2 * plane]], [30, 20, 10]);
  assert.equal(
    t.data[233 * 416 + 5],
    30,
    'row 233 is the last image row (floor(540 x 0.4333) = 234 rows)',
  );
  assert.equal(t.data[234 * 416 + 5], 114);
});

test('grid order: stride 8 rows first, 3549 anchors at 416', () => {
  const g = yoloxGrid(416);
  assert.equal(g.gx.length, 3549);
  assert.deepEqual([g.gx[53], g.gy[53], g.stride[53]], [1, 1, 8]);
  assert.deepEqual([g.gx[2704], g.gy[2704], g.stride[2704]], [0, 0, 16]);
  assert.deepEqual([g.gx[3548], g.gy[3548], g.stride[3548]], [12, 12, 32]);
});

test('class-wise NMS keeps overlapping boxes of different classes', () => {
  const kept = classwiseNms(
    [
      { box: [0, 0, 10, 10], score: 0.9, label: 'person' },
      { box: [1, 1, 10, 10], score: 0.8, label: 'person' },
      { box: [1, 1, 10, 10], score: 0.7, label: 'chair' },
    ],
    0.45,
  );
  assert.deepEqual(
    kept.map((k) => k.score),
    [0.9, 0.7],
  );
});

test('tiny yolox graph end to end: grid decoding, NMS, boxes back in source pixels', async () => {
  const raw = new Float32Array(3549 * 85);
  // Anchor at stride 16 cell (10, 5): centre ((0.5+10)*16, (0.5+5)*16) = (168, 88), size 16e^1 x 16e^0.5.
  const i = 2704 + 5 * 26 + 10;
  plant(raw, i, [0.5, 0.5, 1, 0.5], 0.9, 0, 0.95);
  plant(raw, i + 1, [-0.5, 0.5, 1, 0.5], 0.8, 0, 0.9); // same person, shifted one cell: suppressed
  plant(raw, 100, [0, 0, 0, 0], 0.1, 56, 0.9); // below the score threshold
  const session = await ort.InferenceSession.create(yoloxGraph(raw));
  checkSignature(session, yoloxSpec(416, 80), 'tiny yolox');
  const frame = { width: 960, height: 540, data: new Uint8Array(960 * 540 * 3) };
  const t = letterbox(frame, 416);
  const out = await session.run({ images: new ort.Tensor('float32', t.data, [...t.dims]) });
  const dets = decodeYolox(out.output?.data as Float32Array, 416, t.ratio, frame, COCO_LABELS);
  assert.equal(dets.length, 1);
  const d = dets[0];
  assert.ok(d);
  assert.equal(d.label, 'person');
  assert.ok(Math.abs(d.score - 0.855) < 1e-6);
  const w = 16 * Math.E,
    h = 16 * Math.exp(0.5);
  const want = [
    (168 - w / 2) / t.ratio,
    (88 - h / 2) / t.ratio,
    (168 + w / 2) / t.ratio,
    (88 + h / 2) / t.ratio,
  ];
  d.box.forEach((v, k) =>
    assert.ok(Math.abs(v - (want[k] as number)) < 1e-3, `box ${d.box} vs ${want}`),
  );
});

test('a graph with the wrong input size is named with the expected signature', async () => {
  const session = await ort.InferenceSession.create(yoloxGraph(new Float32Array(8400 * 85), 640));
  assert.throws(
    () => checkSignature(session, yoloxSpec(416, 80), 'yolox-nano (x.onnx)'),
    /yolox-nano \(x\.onnx\): expected inputs images float32 \[1,3,416,416\], found images float32 \[1,3,640,640\]/,
  );
});
