/** The `sam2` family (SAM 2.x): the frame stretched to 1024 square, ImageNet mean/std, three feature maps. */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../image';
import { assertRgb, resizeToPlanar } from '../image';
import type { GraphSpec } from '../signature';
import type { Normalisation, SegmentResult } from './sam';
import { IMAGENET } from './sam';
import type { ModelScale, SegmentPrompt } from './samPrompt';
import { bestMaskIndex, encodePrompt, logitsToMask } from './samPrompt';

/** The square side SAM 2 encoders take. */
export const SAM2_SIZE = 1024;

/** The encoder's outputs, which the decoder takes back as inputs and the cache keeps. */
export const SAM2_FEATURES: readonly string[] = [
  'high_res_feats_0',
  'high_res_feats_1',
  'image_embed',
];

/** Encoder contract (SAM 2 image encoder with its two high-resolution skip features). */
export const SAM2_ENCODER_SPEC: GraphSpec = {
  inputs: [{ name: 'image', type: 'float32', dims: [1, 3, SAM2_SIZE, SAM2_SIZE] }],
  outputs: [
    { name: 'high_res_feats_0', type: 'float32', dims: [1, 32, 256, 256] },
    { name: 'high_res_feats_1', type: 'float32', dims: [1, 64, 128, 128] },
    { name: 'image_embed', type: 'float32', dims: [1, 256, 64, 64] },
  ],
};

/** Decoder contract; the batch (prompt) dim is free. */
export const SAM2_DECODER_SPEC: GraphSpec = {
  inputs: [
    { name: 'image_embed', type: 'float32', dims: [1, 256, 64, 64] },
    { name: 'high_res_feats_0', type: 'float32', dims: [1, 32, 256, 256] },
    { name: 'high_res_feats_1', type: 'float32', dims: [1, 64, 128, 128] },
    { name: 'point_coords', type: 'float32', dims: [-1, -1, 2] },
    { name: 'point_labels', type: 'float32', dims: [-1, -1] },
    { name: 'mask_input', type: 'float32', dims: [-1, 1, 256, 256] },
    { name: 'has_mask_input', type: 'float32', dims: [-1] },
  ],
  outputs: [
    { name: 'masks', type: 'float32', dims: [-1, -1, -1, -1] },
    { name: 'iou_predictions', type: 'float32', dims: [-1, -1] },
  ],
};

/** SAM 2 resizes to 1024x1024 without keeping the aspect (its `SAM2Transforms`), so each axis has its own scale. */
export function sam2Scale(frame: { width: number; height: number }): ModelScale {
  return { sx: SAM2_SIZE / frame.width, sy: SAM2_SIZE / frame.height };
}

/** The encoder tensor: stretched to 1024 square, normalised per channel, no padding. */
export function sam2EncoderInput(image: RgbImage, norm: Normalisation = IMAGENET): ort.Tensor {
  assertRgb(image);
  const plane = SAM2_SIZE * SAM2_SIZE;
  const data = new Float32Array(3 * plane);
  resizeToPlanar(
    image,
    SAM2_SIZE,
    SAM2_SIZE,
    data,
    SAM2_SIZE,
    plane,
    [0, 1, 2],
    norm.mean,
    norm.std.map((s) => 1 / s),
  );
  return new ort.Tensor('float32', data, [1, 3, SAM2_SIZE, SAM2_SIZE]);
}

/** Runs the encoder and keeps its three feature maps for the frame. */
export async function sam2Encode(
  encoder: ort.InferenceSession,
  image: RgbImage,
  norm?: Normalisation,
): Promise<Record<string, ort.Tensor>> {
  const out = await encoder.run({
    [encoder.inputNames[0] as string]: sam2EncoderInput(image, norm),
  });
  const kept: Record<string, ort.Tensor> = {};
  for (const name of SAM2_FEATURES) {
    const t = out[name];
    if (!t) throw new Error(`sam2 encoder gave no ${name} output`);
    kept[name] = t;
  }
  return kept;
}

/** Runs the decoder for one prompt and reads the best of its masks back into the frame. */
export async function sam2Decode(
  decoder: ort.InferenceSession,
  features: Record<string, ort.Tensor>,
  prompt: SegmentPrompt,
  frame: { width: number; height: number },
): Promise<SegmentResult> {
  const scale = sam2Scale(frame);
  const { coords, labels, count } = encodePrompt(prompt, scale);
  const feeds: Record<string, ort.Tensor> = {
    ...features,
    point_coords: new ort.Tensor('float32', coords, [1, count, 2]),
    point_labels: new ort.Tensor('float32', labels, [1, count]),
    mask_input: new ort.Tensor('float32', new Float32Array(256 * 256), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
  };
  // Some exports also take the frame size and return frame-sized masks; logitsToMask handles both.
  if (decoder.inputNames.includes('orig_im_size')) {
    feeds.orig_im_size = new ort.Tensor(
      'int64',
      BigInt64Array.from([BigInt(frame.height), BigInt(frame.width)]),
      [2],
    );
  }
  const out = await decoder.run(feeds);
  const masks = out.masks as ort.Tensor,
    iou = out.iou_predictions as ort.Tensor;
  const best = bestMaskIndex(iou.data as Float32Array);
  return {
    mask: logitsToMask(masks.data as Float32Array, masks.dims, best, frame, scale, SAM2_SIZE),
    score: (iou.data as Float32Array)[best] as number,
  };
}
