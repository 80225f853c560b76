/**
 * A faster SAM decoder, made from the standard ONNX export (SamOnnxModel) by rewrites that
 * keep its maths (tests compare every output with the original graph's; the third, the
 * attentions on the short side, is in samAttentionGraph.ts):
 *
 * 1. **Upscaling as per-pixel matrix products.** The export upsamples the transformer's
 *    64x64 image tokens with two 2x2 stride-2 ConvTranspose layers, a channel LayerNorm2d
 *    written as ReduceMean/Pow/Sqrt over NCHW, and GELUs. Each token feeds its own 4x4 block
 *    of the 256x256 mask and nothing else, so the whole stage is two MatMuls over the tokens
 *    as they come out of the transformer (no NCHW transpose), one fused LayerNormalization,
 *    and one reorder of the final masks. onnxruntime's ConvTranspose and the unfused
 *    LayerNorm2d were a quarter of the decoder's time.
 * 2. **The prompt-independent part runs once per frame.** Without a mask input the first
 *    transformer layer's image-side projections (the keys and values the prompt tokens attend
 *    to, and the image tokens' queries) depend on the frame alone, and the positional
 *    encoding on nothing at all. `image` computes them beside the embedding; `prompt` takes
 *    them instead of the embedding, so a click runs three fewer 4096-row matrix products.
 *    Prompts with a mask input use `full`.
 *
 * A graph that is not the standard export's shape keeps its original form: the reason is
 * returned and the engine uses the file as it is.
 */
import type { onnx } from 'onnx-proto';
import {
  GraphMismatch,
  OnnxGraph,
  floatAttr,
  floatTensor,
  int64Tensor,
  intAttr,
  intsAttr,
  node,
} from '../onnxGraph';
import { attentionOnShortSide } from './samAttentionGraph';

/** The decoder's graphs: the whole rewritten decoder and, where the split applies, its two stages. */
export interface SamDecoderGraphs {
  /** Same inputs and outputs as the original export. */
  readonly full: Uint8Array;
  /** The embedding in, {@link STAGE_TENSORS} out. */
  readonly image?: Uint8Array;
  /** {@link STAGE_TENSORS} and the prompt in, `iou_predictions` and `low_res_masks` out (no mask input). */
  readonly prompt?: Uint8Array;
  /** What was left as it was, and why. */
  readonly notes: string[];
}

/** The per-frame tensors the prompt stage takes, in the order the image stage gives them. */
export const STAGE_TENSORS = [
  'sam_image_keys',
  'sam_layer0_token_to_image_k',
  'sam_layer0_token_to_image_v',
  'sam_layer0_image_to_token_q',
  // The image tokens' positional encoding: the same for every frame (the engine keeps one).
  'sam_image_pe',
] as const;

/** The stage tensor that does not depend on the frame. */
export const IMAGE_PE = 'sam_image_pe';

const LAYER0 = '/transformer/layers.0/';
const PREFIX = 'gw_upscale/';

/** A ConvTranspose weight [cin, cout, 2, 2] as a MatMul weight [cin, 4 * cout], column (2i + j) * cout + co. */
function blockWeight(weight: Float32Array, cin: number, cout: number): Float32Array {
  const out = new Float32Array(cin * 4 * cout);
  for (let ci = 0; ci < cin; ci++)
    for (let co = 0; co < cout; co++)
      for (let k = 0; k < 4; k++)
        out[ci * 4 * cout + k * cout + co] = weight[(ci * cout + co) * 4 + k] as number;
  return out;
}

/** A bias [cout] repeated for the four outputs of each input pixel. */
function blockBias(bias: Float32Array): Float32Array {
  const out = new Float32Array(4 * bias.length);
  for (let k = 0; k < 4; k++) out.set(bias, k * bias.length);
  return out;
}

/** GELU as the export writes it (onnxruntime fuses the pattern): x * 0.5 * (1 + erf(x / sqrt 2)). */
function gelu(x: string, y: string): onnx.INodeProto[] {
  return [
    node('Div', [x, PREFIX + 'sqrt2'], [y + '/div']),
    node('Erf', [y + '/div'], [y + '/erf']),
    node('Add', [y + '/erf', PREFIX + 'one'], [y + '/add']),
    node('Mul', [x, y + '/add'], [y + '/mul']),
    node('Mul', [y + '/mul', PREFIX + 'half'], [y]),
  ];
}

/** A ConvTranspose with a 2x2 kernel and stride 2 (the only kind the rewrite folds). */
function checkBlockConv(conv: onnx.INodeProto): void {
  const kernel = OnnxGraph.ints(conv, 'kernel_shape').join();
  const strides = OnnxGraph.ints(conv, 'strides').join();
  const pads = OnnxGraph.ints(conv, 'pads');
  if (kernel !== '2,2' || strides !== '2,2' || pads.some((p) => p !== 0))
    throw new GraphMismatch(`${conv.name} is not a 2x2 stride-2 ConvTranspose`);
}

/** Rewrite 1 (see the file comment), in place. */
function foldUpscaling(g: OnnxGraph): void {
  const convs = g.nodes.filter((n) => n.opType === 'ConvTranspose');
  if (convs.length !== 2) throw new GraphMismatch(`${convs.length} ConvTranspose nodes, not 2`);
  const [first, second] = convs as [onnx.INodeProto, onnx.INodeProto];
  convs.forEach(checkBlockConv);
  const toGrid = g.producer(first.input?.[0] ?? '');
  const transpose = toGrid && g.producer(toGrid.input?.[0] ?? '');
  if (toGrid?.opType !== 'Reshape' || transpose?.opType !== 'Transpose')
    throw new GraphMismatch('the upscaling does not start from the transformer tokens');
  const tokens = transpose.input?.[0] as string;
  // LayerNorm2d: ReduceMean -> Sub -> Pow -> ReduceMean -> Add(eps) -> Sqrt -> Div -> Mul(w) -> Add(b)
  const centred = g.consumers(first.output?.[0] ?? '').find((n) => n.opType === 'Sub');
  if (!centred) throw new GraphMismatch('no LayerNorm2d after the first ConvTranspose');
  const centredOut = centred.output?.[0] as string;
  const pow = g.consumers(centredOut).find((n) => n.opType === 'Pow');
  const div = g.consumers(centredOut).find((n) => n.opType === 'Div');
  if (!pow || !div) throw new GraphMismatch('the LayerNorm2d is not the export one');
  const variance = g.only(pow.output?.[0] ?? '', 'ReduceMean');
  const plusEps = g.only(variance.output?.[0] ?? '', 'Add');
  const eps = g.constant(plusEps.input?.[1] ?? '')[0] as number;
  const scaled = g.only(div.output?.[0] ?? '', 'Mul');
  const shifted = g.only(scaled.output?.[0] ?? '', 'Add');
  const other = (n: onnx.INodeProto, not: string): string =>
    (n.input ?? []).find((i) => i !== not) as string;
  const lnWeight = g.constant(other(scaled, div.output?.[0] ?? ''));
  const lnBias = g.constant(other(shifted, scaled.output?.[0] ?? ''));
  // After the second ConvTranspose and its GELU: Reshape to [1, 32, 65536], MatMul, Reshape.
  let flat: onnx.INodeProto | undefined;
  const queue = [...(second.output ?? [])];
  while (queue.length && !flat) {
    for (const c of g.consumers(queue.shift() as string))
      if (c.opType === 'Reshape') flat = c;
      else queue.push(...(c.output ?? []));
  }
  if (!flat) throw new GraphMismatch('no reshape after the upscaling');
  const product = g.only(flat.output?.[0] ?? '', 'MatMul');
  const hyper = product.input?.[0] as string;
  const toMasks = g.only(product.output?.[0] ?? '', 'Reshape');

  const weight = (conv: onnx.INodeProto, i: number) => {
    const t = g.initializer(conv.input?.[i] ?? '');
    if (!t) throw new GraphMismatch(`${conv.name} has no constant weight`);
    return { dims: (t.dims ?? []).map(Number), values: g.constant(t.name ?? '') };
  };
  const w1 = weight(first, 1),
    w2 = weight(second, 1);
  const [cin1, cout1] = w1.dims as [number, number];
  const [cin2, cout2] = w2.dims as [number, number];
  if (cin2 !== cout1 || lnWeight.length !== cout1) throw new GraphMismatch('channel counts differ');
  const side = 64; // SAM's embedding grid; the final masks are 4 * side square
  const P = PREFIX;
  g.addInitializers([
    floatTensor(P + 'w1', [cin1, 4 * cout1], blockWeight(w1.values, cin1, cout1)),
    floatTensor(P + 'b1', [4 * cout1], blockBias(weight(first, 2).values)),
    floatTensor(P + 'w2', [cin2, 4 * cout2], blockWeight(w2.values, cin2, cout2)),
    floatTensor(P + 'b2', [4 * cout2], blockBias(weight(second, 2).values)),
    floatTensor(P + 'ln_w', [cout1], lnWeight),
    floatTensor(P + 'ln_b', [cout1], lnBias),
    floatTensor(P + 'half', [], new Float32Array([0.5])),
    floatTensor(P + 'one', [], new Float32Array([1])),
    floatTensor(P + 'sqrt2', [], new Float32Array([Math.SQRT2])),
    int64Tensor(P + 'shape_rows1', [-1, cout1]),
    int64Tensor(P + 'shape_rows2', [-1, cout2]),
    int64Tensor(P + 'shape_blocks', [side, side, 2, 2, 2, 2, -1]),
    int64Tensor(P + 'shape_masks', [1, -1, 4 * side, 4 * side]),
  ]);
  // Rows stay in token order: row ((y * 64 + x) * 4 + 2 i1 + j1) * 4 + 2 i2 + j2 is mask pixel
  // (4y + 2 i1 + i2, 4x + 2 j1 + j2), which the last transpose puts in place.
  g.replace(
    [toMasks],
    [
      node('MatMul', [tokens, P + 'w1'], [P + 'up1']),
      node('Add', [P + 'up1', P + 'b1'], [P + 'up1b']),
      node('Reshape', [P + 'up1b', P + 'shape_rows1'], [P + 'rows1']),
      node(
        'LayerNormalization',
        [P + 'rows1', P + 'ln_w', P + 'ln_b'],
        [P + 'norm'],
        [intAttr('axis', -1), floatAttr('epsilon', eps)],
      ),
      ...gelu(P + 'norm', P + 'act1'),
      node('MatMul', [P + 'act1', P + 'w2'], [P + 'up2']),
      node('Add', [P + 'up2', P + 'b2'], [P + 'up2b']),
      ...gelu(P + 'up2b', P + 'act2'),
      node('Reshape', [P + 'act2', P + 'shape_rows2'], [P + 'pixels']),
      node('Reshape', [hyper, P + 'shape_rows2'], [P + 'hyper']),
      node('Transpose', [P + 'hyper'], [P + 'hyper_t'], [intsAttr('perm', [1, 0])]),
      node('MatMul', [P + 'pixels', P + 'hyper_t'], [P + 'logits']),
      node('Reshape', [P + 'logits', P + 'shape_blocks'], [P + 'blocks']),
      node('Transpose', [P + 'blocks'], [P + 'ordered'], [intsAttr('perm', [6, 0, 2, 4, 1, 3, 5])]),
      node('Reshape', [P + 'ordered', P + 'shape_masks'], [toMasks.output?.[0] as string]),
    ],
  );
}

/** The tensors of rewrite 2, by the export's module names, with their shapes. */
function stageSources(g: OnnxGraph): { name: string; dims: number[] }[] {
  const out = (nodeName: string) => g.named(nodeName).output?.[0] as string;
  const keys = g.named(LAYER0 + 'cross_attn_token_to_image/v_proj/MatMul').input?.[0] as string;
  // The keys' positional encoding: what the first layer adds to the keys besides themselves.
  const withPe = g.producer(
    g.named(LAYER0 + 'cross_attn_token_to_image/k_proj/MatMul').input?.[0] ?? '',
  );
  const pe = withPe?.opType === 'Add' ? withPe.input?.find((i) => i !== keys) : undefined;
  if (!pe) throw new GraphMismatch('no positional encoding beside the keys');
  const sources = [
    keys,
    out(LAYER0 + 'cross_attn_token_to_image/k_proj/Add'),
    out(LAYER0 + 'cross_attn_token_to_image/v_proj/Add'),
    out(LAYER0 + 'cross_attn_image_to_token/q_proj/Add'),
    pe,
  ];
  const widths = [256, 128, 128, 128, 256];
  return sources.map((name, i) => ({ name, dims: [1, 64 * 64, widths[i] as number] }));
}

/** Rewrite 2: the graph up to the stage tensors, and the graph from them. */
function splitStages(full: Uint8Array): { image: Uint8Array; prompt: Uint8Array } {
  const image = new OnnxGraph(full);
  const sources = stageSources(image);
  sources.forEach((s, i) => image.rename(s.name, STAGE_TENSORS[i] as string));
  image.outputsAt(STAGE_TENSORS.map((name, i) => ({ name, dims: sources[i]?.dims ?? [] })));
  const prompt = new OnnxGraph(full);
  sources.forEach((s, i) => prompt.rename(s.name, STAGE_TENSORS[i] as string));
  prompt.cutAt(STAGE_TENSORS.map((name, i) => ({ name, dims: sources[i]?.dims ?? [] })));
  // A click's mask comes from the low-res logits (upscaleLogits): the frame-sized `masks`
  // and the resizes behind them are left out of the prompt stage.
  prompt.dropOutput('masks');
  if (prompt.graph.input?.some((i) => i.name === 'image_embeddings' || i.name === 'mask_input'))
    throw new GraphMismatch('the prompt stage still reads the embedding');
  return { image: image.encode(), prompt: prompt.encode() };
}

/** `bytes` rewritten by `edit`, or as they were (and why, in `notes`) when the graph does not fit. */
function rewritten(
  bytes: Uint8Array,
  edit: (g: OnnxGraph) => void,
  notes: string[],
  what: string,
): Uint8Array {
  try {
    const g = new OnnxGraph(bytes);
    edit(g);
    return g.encode();
  } catch (e) {
    if (!(e instanceof GraphMismatch)) throw e;
    notes.push(`${what}: ${e.message}`);
    return bytes;
  }
}

/** The rewritten decoder graphs of a standard SAM decoder export (see the file comment). */
export function samDecoderGraphs(bytes: Uint8Array): SamDecoderGraphs {
  const notes: string[] = [];
  const upscaled = rewritten(bytes, foldUpscaling, notes, 'upscaling kept as exported');
  const shortSide = (graph: Uint8Array, what: string) =>
    rewritten(graph, attentionOnShortSide, notes, `${what}: attention kept as exported`);
  const full = shortSide(upscaled, 'full decoder');
  let stages: { image: Uint8Array; prompt: Uint8Array } | undefined;
  try {
    stages = splitStages(upscaled);
  } catch (e) {
    if (!(e instanceof GraphMismatch)) throw e;
    notes.push(`no per-frame stage: ${e.message}`);
    return { full, notes };
  }
  return { full, image: stages.image, prompt: shortSide(stages.prompt, 'prompt stage'), notes };
}
