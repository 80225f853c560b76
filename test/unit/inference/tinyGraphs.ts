/** Tiny ONNX graphs with the exact input/output names and shapes of each family, for end-to-end tests. */
import { onnx } from 'onnx-proto';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;

function valueInfo(name: string, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function floatInit(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
): onnx.ITensorProto {
  return {
    name,
    dataType: FLOAT,
    dims: [...dims],
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  };
}

function intInit(name: string, values: readonly number[]): onnx.ITensorProto {
  return {
    name,
    dataType: INT64,
    dims: [values.length],
    rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
  };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attrs: Record<string, number | number[]> = {},
): onnx.INodeProto {
  const attribute = Object.entries(attrs).map(([name, v]) =>
    Array.isArray(v)
      ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
      : { name, type: onnx.AttributeProto.AttributeType.INT, i: v },
  );
  return { opType, input, output, attribute };
}

function model(g: onnx.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ version: 17 }],
    producerName: 'groundwork-tests',
    graph: g,
  }).finish();
}

/** A yolox-shaped graph whose output is `planted` (3549 x 85 values) plus 0 x mean(images). */
export function yoloxGraph(planted: Float32Array, inputSize = 416): Uint8Array {
  const anchors = [8, 16, 32].reduce((a, s) => a + (inputSize / s) ** 2, 0);
  return model({
    name: 'tiny-yolox',
    node: [
      node('ReduceMean', ['images'], ['m'], { axes: [1, 2, 3], keepdims: 0 }),
      node('Mul', ['m', 'zero'], ['m0']),
      node('Add', ['planted', 'm0'], ['output']),
    ],
    initializer: [floatInit('planted', [1, anchors, 85], planted), floatInit('zero', [1], [0])],
    input: [valueInfo('images', [1, 3, inputSize, inputSize])],
    output: [valueInfo('output', [1, anchors, 85])],
  });
}

/** Average-pools `from` by `k`, averages channels, and expands to `channels`: a feature map that depends on the image. */
function pooled(
  from: string,
  k: number,
  channels: number,
  side: number,
  out: string,
): { nodes: onnx.INodeProto[]; inits: onnx.ITensorProto[] } {
  return {
    nodes: [
      node('AveragePool', [from], [`${out}_p`], { kernel_shape: [k, k], strides: [k, k] }),
      node('ReduceMean', [`${out}_p`], [`${out}_c`], { axes: [1], keepdims: 1 }),
      node('Expand', [`${out}_c`, `${out}_shape`], [out]),
    ],
    inits: [intInit(`${out}_shape`, [1, channels, side, side])],
  };
}

/** SAM encoder: `image` [1,3,1024,1024] to `image_embeddings` [1,256,64,64] (16x16 average of the input). */
export function samEncoderGraph(): Uint8Array {
  const p = pooled('image', 16, 256, 64, 'image_embeddings');
  return model({
    name: 'tiny-sam-enc',
    node: p.nodes,
    initializer: p.inits,
    input: [valueInfo('image', [1, 3, 1024, 1024])],
    output: [valueInfo('image_embeddings', [1, 256, 64, 64])],
  });
}

/**
 * An encoder like Acly's MobileSAM export: `input_image` float32 [h, w, 3] RGB 0-255 (any
 * size), normalisation inside; here it is resized to 1024 square, pooled and expanded.
 */
export function samHwcEncoderGraph(): Uint8Array {
  const p = pooled('chw1024', 16, 256, 64, 'image_embeddings');
  return model({
    name: 'tiny-sam-hwc-enc',
    node: [
      node('Transpose', ['input_image'], ['chw'], { perm: [2, 0, 1] }),
      node('Unsqueeze', ['chw', 'axis0'], ['nchw']),
      node('Resize', ['nchw', '', '', 'size1024'], ['chw1024']),
      ...p.nodes,
    ],
    initializer: [intInit('axis0', [0]), intInit('size1024', [1, 3, 1024, 1024]), ...p.inits],
    input: [valueInfo('input_image', ['h', 'w', 3])],
    output: [valueInfo('image_embeddings', [1, 256, 64, 64])],
  });
}

/** SAM 2 encoder: `image` to the two high-resolution features and `image_embed`, all pooled from the input. */
export function sam2EncoderGraph(): Uint8Array {
  const a = pooled('image', 4, 32, 256, 'high_res_feats_0');
  const b = pooled('image', 8, 64, 128, 'high_res_feats_1');
  const c = pooled('image', 16, 256, 64, 'image_embed');
  return model({
    name: 'tiny-sam2-enc',
    node: [...a.nodes, ...b.nodes, ...c.nodes],
    initializer: [...a.inits, ...b.inits, ...c.inits],
    input: [valueInfo('image', [1, 3, 1024, 1024])],
    output: [
      valueInfo('high_res_feats_0', [1, 32, 256, 256]),
      valueInfo('high_res_feats_1', [1, 64, 128, 128]),
      valueInfo('image_embed', [1, 256, 64, 64]),
    ],
  });
}

/** Radii (in 1024-space pixels) of the three diamond masks and the IoU each is given. */
export const TINY_RADII = [32, 64, 96];
/** The middle mask (radius 64) is rated best, so post-processing must pick index 1. */
export const TINY_IOU = [0.2, 0.9, 0.5];

/**
 * A decoder whose masks are diamonds |x - px| + |y - py| < r around the FIRST point, as
 * 256x256 low-res logits over the 1024 input (cell centres at 4j + 2), and whose IoU is
 * TINY_IOU + 0.001 x mean(embedding), so a test can read the encoder's mean back.
 */
function decoderGraph(
  name: string,
  embedding: string,
  extraInputs: onnx.IValueInfoProto[],
  batch: Dim,
): Uint8Array {
  const grid = new Float32Array(256 * 256),
    gridY = new Float32Array(256 * 256);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) {
      grid[y * 256 + x] = 4 * x + 2;
      gridY[y * 256 + x] = 4 * y + 2;
    }
  return model({
    name,
    node: [
      node('Slice', ['point_coords', 'sx0', 'sx1', 'sax'], ['px3']),
      node('Slice', ['point_coords', 'sy0', 'sy1', 'sax'], ['py3']),
      node('Reshape', ['px3', 'shape4'], ['px']),
      node('Reshape', ['py3', 'shape4'], ['py']),
      node('Sub', ['gx', 'px'], ['dx']),
      node('Abs', ['dx'], ['adx']),
      node('Sub', ['gy', 'py'], ['dy']),
      node('Abs', ['dy'], ['ady']),
      node('Add', ['adx', 'ady'], ['d']),
      node('Sub', ['radii', 'd'], ['masks']),
      node('ReduceMean', [embedding], ['em'], { axes: [0, 1, 2, 3], keepdims: 0 }),
      node('Mul', ['em', 'milli'], ['emk']),
      node('Add', ['iou0', 'emk'], ['iou_predictions']),
    ],
    initializer: [
      intInit('sx0', [0, 0, 0]),
      intInit('sx1', [1, 1, 1]),
      intInit('sy0', [0, 0, 1]),
      intInit('sy1', [1, 1, 2]),
      intInit('sax', [0, 1, 2]),
      intInit('shape4', [1, 1, 1, 1]),
      floatInit('gx', [1, 1, 256, 256], grid),
      floatInit('gy', [1, 1, 256, 256], gridY),
      floatInit('radii', [1, 3, 1, 1], TINY_RADII),
      floatInit('milli', [1], [0.001]),
      floatInit('iou0', [1, 3], TINY_IOU),
    ],
    input: [
      valueInfo(embedding, [1, 256, 64, 64]),
      ...extraInputs,
      valueInfo('point_coords', [batch, 'n', 2]),
      valueInfo('point_labels', [batch, 'n']),
      valueInfo('mask_input', [batch, 1, 256, 256]),
      valueInfo('has_mask_input', [batch]),
    ],
    output: [valueInfo('masks', [1, 3, 256, 256]), valueInfo('iou_predictions', [1, 3])],
  });
}

/** SAM decoder with SAM's ONNX input names (including `orig_im_size`); returns low-res masks. */
export function samDecoderGraph(): Uint8Array {
  return decoderGraph('tiny-sam-dec', 'image_embeddings', [valueInfo('orig_im_size', [2])], 1);
}

/** SAM 2 decoder with the two high-resolution features as extra inputs. */
export function sam2DecoderGraph(): Uint8Array {
  return decoderGraph(
    'tiny-sam2-dec',
    'image_embed',
    [
      valueInfo('high_res_feats_0', [1, 32, 256, 256]),
      valueInfo('high_res_feats_1', [1, 64, 128, 128]),
    ],
    'b',
  );
}
