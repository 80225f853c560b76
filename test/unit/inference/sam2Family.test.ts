import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { IMAGENET } from '../../../src/inference/families/sam';
import {
  SAM2_DECODER_SPEC,
  SAM2_ENCODER_SPEC,
  sam2Decode,
  sam2Encode,
  sam2EncoderInput,
  sam2Scale,
} from '../../../src/inference/families/sam2';
import { encodePrompt } from '../../../src/inference/families/samPrompt';
import { checkSignature } from '../../../src/inference/signature';
import { maskToBox } from '../../../src/core/mask';
import { decodeRle, encodeRle } from '../../../src/core/rle';
import { sam2DecoderGraph, sam2EncoderGraph } from './tinyGraphs';

const frame = { width: 960, height: 540 };

test('SAM 2 stretches to 1024 square: (480,270) on 960x540 becomes (512,512)', () => {
  const p = encodePrompt(
    {
      clicks: [
        { x: 480, y: 270, positive: true },
        { x: 96, y: 54, positive: false },
      ],
    },
    sam2Scale(frame),
  );
  assert.deepEqual(Array.from(p.coords), [512, 512, 102.4000015258789, 102.4000015258789, 0, 0]);
  assert.deepEqual(Array.from(p.labels), [1, 0, -1]);
});

test('encoder input has no padding: the last row carries the image', () => {
  const img = { ...frame, data: new Uint8Array(960 * 540 * 3).fill(50) };
  const d = sam2EncoderInput(img).data as Float32Array;
  assert.ok(
    Math.abs((d[1024 * 1024 - 1] as number) - (50 - IMAGENET.mean[0]) / IMAGENET.std[0]) < 1e-4,
  );
});

test('tiny SAM 2 graphs end to end: features cached, mask maps back anisotropically, RLE round trips', async () => {
  const encoder = await ort.InferenceSession.create(sam2EncoderGraph());
  const decoder = await ort.InferenceSession.create(sam2DecoderGraph());
  checkSignature(encoder, SAM2_ENCODER_SPEC, 'tiny sam2 encoder');
  checkSignature(decoder, SAM2_DECODER_SPEC, 'tiny sam2 decoder');
  const img = { ...frame, data: new Uint8Array(960 * 540 * 3).fill(200) };
  const features = await sam2Encode(encoder, img);
  assert.deepEqual(Object.keys(features).sort(), [
    'high_res_feats_0',
    'high_res_feats_1',
    'image_embed',
  ]);
  const r = await sam2Decode(
    decoder,
    features,
    { clicks: [{ x: 480, y: 270, positive: true }] },
    frame,
  );
  const expectedMean =
    [0, 1, 2].reduce(
      (a, c) => a + (200 - (IMAGENET.mean[c] as number)) / (IMAGENET.std[c] as number),
      0,
    ) / 3;
  assert.ok(
    Math.abs((r.score - 0.9) * 1000 - expectedMean) < 1e-2,
    `best IoU picked, score ${r.score}`,
  );
  // Radius 64 in model space is 60 px across (960/1024) and 33.75 px down (540/1024).
  const box = maskToBox(r.mask);
  assert.ok(box);
  const want = [420, 236.25, 540, 303.75];
  box.forEach((v, i) => assert.ok(Math.abs(v - (want[i] as number)) <= 4, `box ${box} vs ${want}`));
  assert.deepEqual(decodeRle(encodeRle(r.mask)).data, r.mask.data);
});
