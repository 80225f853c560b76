/** The `sam` family (SAM, MobileSAM, EfficientViT-SAM): longest side to 1024, ImageNet mean/std, pad. */
import * as ort from 'onnxruntime-node';
import type { Box, Mask } from '../../core/mask';
import { upscaleLogits } from '../../core/raster/logitsUpscale';
import type { RgbImage } from '../image';
import { assertRgb, resizeToPlanar } from '../image';
import { traceClick, traceCpu } from '../clickTrace';
import { STAGE_TENSORS } from './samDecoderGraph';
import type { GraphSpec } from '../signature';
import type { ModelScale, SegmentPrompt } from './samPrompt';
import { LOW_RES_SIZE, bestMaskIndex, encodePrompt, logitsToMask } from './samPrompt';

/** The square side SAM encoders take. */
export const SAM_SIZE = 1024;

/** ImageNet mean and std in 0-255 units (SAM's `pixel_mean` / `pixel_std`). */
export const IMAGENET = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] } as const;

/** Encoder contract: a normalised, padded image in, the image embedding out (see {@link SAM_ENCODER_HWC_SPEC}). */
export const SAM_ENCODER_SPEC: GraphSpec = {
  inputs: [{ name: 'image', type: 'float32', dims: [1, 3, SAM_SIZE, SAM_SIZE] }],
  outputs: [{ name: 'image_embeddings', type: 'float32', dims: [1, 256, 64, 64] }],
};

/** Encoder contract of exports that resize outside and normalise inside: [h, w, 3] RGB 0-255 in. */
export const SAM_ENCODER_HWC_SPEC: GraphSpec = {
  inputs: [{ name: 'input_image', type: 'float32', dims: [-1, -1, 3] }],
  outputs: [{ name: 'image_embeddings', type: 'float32', dims: [1, 256, 64, 64] }],
};

/** Decoder contract of SAM's ONNX export (SamOnnxModel). */
export const SAM_DECODER_SPEC: GraphSpec = {
  inputs: [
    { name: 'image_embeddings', type: 'float32', dims: [1, 256, 64, 64] },
    { name: 'point_coords', type: 'float32', dims: [1, -1, 2] },
    { name: 'point_labels', type: 'float32', dims: [1, -1] },
    { name: 'mask_input', type: 'float32', dims: [1, 1, 256, 256] },
    { name: 'has_mask_input', type: 'float32', dims: [1] },
    { name: 'orig_im_size', type: 'float32', dims: [2] },
  ],
  outputs: [
    { name: 'masks', type: 'float32', dims: [-1, -1, -1, -1] },
    { name: 'iou_predictions', type: 'float32', dims: [-1, -1] },
  ],
};

/** Tensor names an export uses instead of SAM's own (from the manifest's `tensors`). */
export interface SamTensorNames {
  readonly encoderInput: string;
  readonly encoderOutput: string;
  readonly lowResMasks?: string;
}

/** The NCHW encoder contract under the manifest's tensor names (SAM's own names by default). */
export function samEncoderSpec(names?: SamTensorNames): GraphSpec {
  if (!names) return SAM_ENCODER_SPEC;
  return {
    inputs: [
      { ...(SAM_ENCODER_SPEC.inputs[0] as GraphSpec['inputs'][number]), name: names.encoderInput },
    ],
    outputs: [
      {
        ...(SAM_ENCODER_SPEC.outputs[0] as GraphSpec['outputs'][number]),
        name: names.encoderOutput,
      },
    ],
  };
}

/** The decoder contract, with the low-resolution output when the manifest names one. */
export function samDecoderSpec(names?: SamTensorNames): GraphSpec {
  if (!names?.lowResMasks) return SAM_DECODER_SPEC;
  return {
    inputs: SAM_DECODER_SPEC.inputs,
    outputs: [
      ...SAM_DECODER_SPEC.outputs,
      { name: names.lowResMasks, type: 'float32', dims: [-1, -1, LOW_RES_SIZE, LOW_RES_SIZE] },
    ],
  };
}

/** Normalisation in 0-255 units, from the manifest (ImageNet by default). */
export interface Normalisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The frame-to-model scale of SAM's ResizeLongestSide: one factor for both axes. */
export function samScale(frame: { width: number; height: number }): ModelScale {
  const s = SAM_SIZE / Math.max(frame.width, frame.height);
  return { sx: s, sy: s };
}

/**
 * The encoder tensor: resized so the longest side is 1024 (960x540 becomes 1024x576),
 * normalised per channel, zero-padded bottom and right (zero after normalisation, as
 * SAM pads) to 1024 square.
 */
export function samEncoderInput(image: RgbImage, norm: Normalisation = IMAGENET): ort.Tensor {
  assertRgb(image);
  const s = samScale(image).sx;
  const w = Math.round(image.width * s),
    h = Math.round(image.height * s);
  const plane = SAM_SIZE * SAM_SIZE;
  const data = new Float32Array(3 * plane);
  resizeToPlanar(
    image,
    w,
    h,
    data,
    SAM_SIZE,
    plane,
    [0, 1, 2],
    norm.mean,
    norm.std.map((s) => 1 / s),
  );
  return new ort.Tensor('float32', data, [1, 3, SAM_SIZE, SAM_SIZE]);
}

/**
 * The input of exports that normalise and pad inside the graph (Acly's MobileSAM): the
 * frame resized to 1024 on its longest side, float32 [h, w, 3] RGB 0-255.
 */
export function samEncoderInputHwc(image: RgbImage): ort.Tensor {
  assertRgb(image);
  const s = samScale(image).sx;
  const w = Math.round(image.width * s),
    h = Math.round(image.height * s);
  const planar = new Float32Array(3 * w * h);
  resizeToPlanar(image, w, h, planar, w, w * h, [0, 1, 2]);
  const data = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) {
    data[3 * i] = planar[i] as number;
    data[3 * i + 1] = planar[w * h + i] as number;
    data[3 * i + 2] = planar[2 * w * h + i] as number;
  }
  return new ort.Tensor('float32', data, [h, w, 3]);
}

/** True when the encoder takes [h, w, 3] (normalisation inside the graph) rather than [1, 3, 1024, 1024]. */
export function isHwcEncoder(encoder: ort.InferenceSession): boolean {
  const m = encoder.inputMetadata[0];
  return !!m && m.isTensor && m.shape.length === 3;
}

/** Runs the encoder; the result is what the embedding cache keeps per frame. */
export async function samEncode(
  encoder: ort.InferenceSession,
  image: RgbImage,
  norm?: Normalisation,
  names?: SamTensorNames,
): Promise<Record<string, ort.Tensor>> {
  const input = isHwcEncoder(encoder) ? samEncoderInputHwc(image) : samEncoderInput(image, norm);
  const out = await encoder.run({
    [names?.encoderInput ?? (encoder.inputNames[0] as string)]: input,
  });
  return samEmbeddingOf(out, encoder, names);
}

/** The embedding among an encoder run's outputs, as the cache keeps it. */
export function samEmbeddingOf(
  out: Record<string, ort.Tensor>,
  encoder: ort.InferenceSession,
  names?: SamTensorNames,
): Record<string, ort.Tensor> {
  // Exports name the output differently; the embedding is the only [1,256,64,64] output.
  const emb =
    (names ? out[names.encoderOutput] : undefined) ??
    out.image_embeddings ??
    out[encoder.outputNames[0] as string];
  if (!emb) throw new Error('sam encoder gave no image_embeddings output');
  return { image_embeddings: emb };
}

/** Whether an embedding holds the per-frame tensors of the decoder's prompt stage. */
function hasStageTensors(embedding: Record<string, ort.Tensor>): boolean {
  return STAGE_TENSORS.every((name) => embedding[name] !== undefined);
}

/** The per-frame stage tensors of an embedding, by name. */
function stageTensorsOf(embedding: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
  return Object.fromEntries(STAGE_TENSORS.map((name) => [name, embedding[name] as ort.Tensor]));
}

/**
 * Runs the decoder's image stage (samDecoderGraph.ts) on a fresh embedding: the tensors a
 * click without a mask input needs from the frame, computed once. Its prompt inputs only
 * shape the graph (one point set, no mask), so a placeholder point is enough.
 */
export async function samImageStage(
  imageStage: ort.InferenceSession,
  embedding: Record<string, ort.Tensor>,
): Promise<Record<string, ort.Tensor>> {
  const plane = LOW_RES_SIZE * LOW_RES_SIZE;
  const all: Record<string, ort.Tensor> = {
    image_embeddings: embedding.image_embeddings as ort.Tensor,
    point_coords: new ort.Tensor('float32', new Float32Array(2), [1, 1, 2]),
    point_labels: new ort.Tensor('float32', new Float32Array([-1]), [1, 1]),
    mask_input: new ort.Tensor('float32', new Float32Array(plane), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
  };
  const feeds = Object.fromEntries(imageStage.inputNames.map((n) => [n, all[n] as ort.Tensor]));
  const out = await imageStage.run(feeds);
  return {
    ...embedding,
    ...Object.fromEntries(STAGE_TENSORS.map((n) => [n, out[n] as ort.Tensor])),
  };
}

/** A mask in source pixels and the decoder's own quality estimate for it. */
export interface SegmentResult {
  readonly mask: Mask;
  readonly score: number;
  /** The chosen mask's 256x256 logits, when the decoder gives them (to refine with). */
  readonly lowResMask?: Float32Array;
  /** The mask's COCO run lengths and tight box, when the post-processing computed them. */
  readonly counts?: number[];
  readonly box?: Box;
}

/**
 * The `orig_im_size` asked of a decoder whose mask is read from its low-res logits: the
 * frame at this longest side, aspect kept. The graph still builds `masks` at that size, but
 * 256 px instead of 1920x1080 saves its last resize; the frame-sized mask comes from
 * upscaleLogits, which also yields the RLE and box in the same pass.
 */
export const REDUCED_MASK_SIDE = 256;

/** `frame` scaled so its longest side is `side` (at least 1 px each way). */
export function reducedSize(
  frame: { width: number; height: number },
  side = REDUCED_MASK_SIDE,
): { width: number; height: number } {
  const s = side / Math.max(frame.width, frame.height);
  return {
    width: Math.max(1, Math.round(frame.width * s)),
    height: Math.max(1, Math.round(frame.height * s)),
  };
}

/**
 * How the frame-sized mask is made: `lowRes` (the default where the decoder has a low-res
 * output) upscales its 256x256 logits here; `decoder` takes the graph's own `masks` at the
 * frame's size (SAM's reference post-processing, kept for exports without low-res output
 * and to compare against).
 */
export type MaskPost = 'lowRes' | 'decoder';

/**
 * Runs the decoder for one prompt and reads the best mask back into the frame. With a
 * `promptStage` (samDecoderGraph.ts) and an embedding that holds the per-frame stage
 * tensors, a prompt without a mask input runs that smaller graph instead of `decoder`.
 */
export async function samDecode(
  decoder: ort.InferenceSession,
  embedding: Record<string, ort.Tensor>,
  prompt: SegmentPrompt,
  frame: { width: number; height: number },
  names?: SamTensorNames,
  post: MaskPost = 'lowRes',
  promptStage?: ort.InferenceSession,
): Promise<SegmentResult> {
  const scale = samScale(frame);
  const { coords, labels, count } = encodePrompt(prompt, scale);
  const plane = LOW_RES_SIZE * LOW_RES_SIZE;
  if (prompt.maskInput && prompt.maskInput.length !== plane)
    throw new Error(
      `mask_input has ${prompt.maskInput.length} values, expected ${plane} (256x256)`,
    );
  const lowResName = names?.lowResMasks ?? 'low_res_masks';
  const fromLowRes = post === 'lowRes' && decoder.outputNames.includes(lowResName);
  const asked = fromLowRes ? reducedSize(frame) : frame;
  const promptFeeds: Record<string, ort.Tensor> = {
    point_coords: new ort.Tensor('float32', coords, [1, count, 2]),
    point_labels: new ort.Tensor('float32', labels, [1, count]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([asked.height, asked.width]), [2]),
  };
  // The prompt stage gives no frame-sized `masks`: it serves the low-res post-processing.
  const staged = fromLowRes && !prompt.maskInput && promptStage && hasStageTensors(embedding);
  const session = staged ? promptStage : decoder;
  const feeds: Record<string, ort.Tensor> = staged
    ? { ...promptFeeds, ...stageTensorsOf(embedding) }
    : {
        ...promptFeeds,
        image_embeddings: embedding.image_embeddings as ort.Tensor,
        mask_input: new ort.Tensor('float32', prompt.maskInput ?? new Float32Array(plane), [
          1,
          1,
          LOW_RES_SIZE,
          LOW_RES_SIZE,
        ]),
        has_mask_input: new ort.Tensor(
          'float32',
          new Float32Array([prompt.maskInput ? 1 : 0]),
          [1],
        ),
      };
  traceClick('decoder start');
  const out = await traceCpu('decoder', () => session.run(feeds));
  traceClick('decoder end');
  const iou = out.iou_predictions as ort.Tensor;
  const best = bestMaskIndex(iou.data as Float32Array);
  const score = (iou.data as Float32Array)[best] as number;
  const lowRes = out[lowResName];
  // A copy: the plane is a view into onnxruntime's output, which the next run may reuse.
  const lowResMask = lowRes
    ? (lowRes.data as Float32Array).slice(best * plane, (best + 1) * plane)
    : undefined;
  if (fromLowRes && lowResMask) {
    const up = upscaleLogits(lowResMask, LOW_RES_SIZE, frame, scale.sx, SAM_SIZE);
    return {
      mask: up.mask,
      score,
      lowResMask,
      counts: up.counts,
      ...(up.box ? { box: up.box } : {}),
    };
  }
  const masks = out.masks as ort.Tensor;
  return {
    mask: logitsToMask(masks.data as Float32Array, masks.dims, best, frame, scale, SAM_SIZE),
    score,
    ...(lowResMask ? { lowResMask } : {}),
  };
}
