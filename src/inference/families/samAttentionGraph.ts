/**
 * Rewrite 3 of the SAM decoder (see samDecoderGraph.ts): the two-way transformer's cross
 * attentions computed on the short side. A click's prompt has a handful of tokens (T = 5
 * output tokens + the points, 7 for one click) against 4096 image tokens, and each
 * attention projects all 4096 image tokens from 256 to 128 channels before it meets the
 * few prompt tokens. Reassociating the products moves the projection weights onto the
 * prompt side, so the 4096-row products have 8 heads x T columns instead of 128:
 *
 * - token to image (prompt tokens attend to the image): scores_h = q_h (X Wk_h + bk_h)^T
 *   = (q_h Wk_h^T) X^T + a per-row constant that the softmax cancels; the values
 *   P_h (X Wv_h + bv_h) = (P_h X) Wv_h + bv_h, since each row of P_h sums to 1.
 * - image to token (image tokens attend to the prompt): scores_h = X (Wq_h k_h^T) +
 *   bq_h k_h^T, and out_proj(concat_h P_h v_h) = concat_h(P_h) (stacked v_h Wo_h).
 *
 * For one click that is 8 x 7 = 56 columns instead of 128 in every such product (about
 * 2.3x fewer multiply-adds); past 11 points it would cost more, and such prompts are rare.
 * Heads: SAM's TwoWayTransformer always has 8.
 */
import type { onnx } from 'onnx-proto';
import { GraphMismatch, floatTensor, int64Tensor, intAttr, intsAttr, node } from '../onnxGraph';
import type { OnnxGraph } from '../onnxGraph';

const HEADS = 8;

/** The blocks of the export's TwoWayTransformer, by module name. */
const TOKEN_TO_IMAGE = [
  '/transformer/layers.0/cross_attn_token_to_image/',
  '/transformer/layers.1/cross_attn_token_to_image/',
  '/transformer/final_attn_token_to_image/',
];
const IMAGE_TO_TOKEN = [
  '/transformer/layers.0/cross_attn_image_to_token/',
  '/transformer/layers.1/cross_attn_image_to_token/',
];

/** A projection: its input, its weight [in, out] and its bias, or undefined once cut away. */
interface Projection {
  readonly input: string;
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly width: number;
}

function projection(g: OnnxGraph, prefix: string, name: string): Projection | undefined {
  const matmul = g.nodes.find((n) => n.name === `${prefix}${name}/MatMul`);
  const add = g.nodes.find((n) => n.name === `${prefix}${name}/Add`);
  if (!matmul || !add) return undefined;
  const weight = g.initializer(matmul.input?.[1] ?? '');
  const biasName = (add.input ?? []).find((i) => g.initializer(i));
  if (!weight || weight.dims?.length !== 2 || !biasName)
    throw new GraphMismatch(`${prefix}${name} is not a constant projection`);
  return {
    input: matmul.input?.[0] as string,
    weight: g.constant(weight.name ?? ''),
    bias: g.constant(biasName),
    width: Number(weight.dims[1]),
  };
}

/**
 * Per head h, the columns h*d..(h+1)*d of a [rows, heads*d] weight (times `scale`), as
 * [heads, rows, d], or with `transposed` each head's block turned: [heads, d, rows].
 */
function headsOf(
  weight: Float32Array,
  rows: number,
  width: number,
  scale = 1,
  transposed = false,
): Float32Array {
  const d = width / HEADS;
  const out = new Float32Array(weight.length);
  for (let h = 0; h < HEADS; h++)
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < d; j++)
        out[transposed ? (h * d + j) * rows + r : (h * rows + r) * d + j] =
          (weight[r * width + h * d + j] as number) * scale;
  return out;
}

/** The block's softmax and the divisor of its scores (the export divides by sqrt(d)). */
function attentionCore(g: OnnxGraph, prefix: string) {
  const softmax = g.named(`${prefix}Softmax`);
  const scaled = g.producer(softmax.input?.[0] ?? '');
  if (scaled?.opType !== 'Div') throw new GraphMismatch(`${prefix}: no scaled scores`);
  const divisor = g.constant(scaled.input?.[1] ?? '')[0] as number;
  return { softmax, divisor };
}

/** Token to image: keys and values taken from the image tokens on the prompt side. */
function tokenToImage(g: OnnxGraph, prefix: string): boolean {
  const k = projection(g, prefix, 'k_proj');
  const v = projection(g, prefix, 'v_proj');
  if (!k || !v) return false; // cut into the per-frame stage
  const { softmax, divisor } = attentionCore(g, prefix);
  const values = g.named(`${prefix}MatMul_1`); // P . V
  const queries = g.named(`${prefix}Transpose`).output?.[0] as string; // [1, 8, T, d]
  const rows = k.weight.length / k.width;
  const d = k.width / HEADS;
  const P = `${prefix}gw/`;
  g.addInitializers([
    floatTensor(P + 'wk', [HEADS, d, rows], headsOf(k.weight, rows, k.width, 1 / divisor, true)),
    floatTensor(P + 'wv', [HEADS, rows, d], headsOf(v.weight, rows, v.width)),
    floatTensor(P + 'bv', [HEADS, 1, d], v.bias),
    int64Tensor(P + 'shape_rows', [-1, rows]),
    int64Tensor(P + 'shape_heads', [1, HEADS, -1, rows]),
    int64Tensor(P + 'shape_scores', [1, HEADS, -1, 64 * 64]),
    int64Tensor(P + 'shape_probs', [-1, 64 * 64]),
  ]);
  const added: onnx.INodeProto[] = [
    node('MatMul', [queries, P + 'wk'], [P + 'qk']), // [1, 8, T, rows]
    node('Reshape', [P + 'qk', P + 'shape_rows'], [P + 'qk_rows']), // [8T, rows]
    node('Reshape', [k.input, P + 'shape_rows'], [P + 'keys']), // [4096, rows]
    node('Gemm', [P + 'qk_rows', P + 'keys'], [P + 'scores'], [intAttr('transB', 1)]),
    node('Reshape', [P + 'scores', P + 'shape_scores'], [P + 'scores_heads']),
    node('Reshape', [softmax.output?.[0] as string, P + 'shape_probs'], [P + 'probs']),
    node('Reshape', [v.input, P + 'shape_rows'], [P + 'values_in']),
    node('MatMul', [P + 'probs', P + 'values_in'], [P + 'mixed']), // [8T, rows]
    node('Reshape', [P + 'mixed', P + 'shape_heads'], [P + 'mixed_heads']),
    node('MatMul', [P + 'mixed_heads', P + 'wv'], [P + 'out']), // [1, 8, T, d]
    node('Add', [P + 'out', P + 'bv'], [P + 'out_b']),
  ];
  softmax.input = [P + 'scores_heads'];
  redirect(g, values.output?.[0] as string, P + 'out_b');
  g.replace([], added);
  return true;
}

/** Image to token: the image tokens' queries (where not cut) and the output projection. */
function imageToToken(g: OnnxGraph, prefix: string): void {
  const { softmax, divisor } = attentionCore(g, prefix);
  const q = projection(g, prefix, 'q_proj');
  const out = projection(g, prefix, 'out_proj');
  if (!out) throw new GraphMismatch(`${prefix}: no out_proj`);
  const keysT = g.named(`${prefix}Transpose_2`).output?.[0] as string; // [1, 8, d, T]
  const valuesH = g.named(`${prefix}Transpose_1`).output?.[0] as string; // [1, 8, T, d]
  const width = out.weight.length / out.width; // 128
  const d = width / HEADS;
  const P = `${prefix}gw/`;
  const inits = [
    floatTensor(P + 'wo', [HEADS, d, out.width], out.weight), // rows h*d.. are head h's
    int64Tensor(P + 'shape_out', [-1, out.width]),
    int64Tensor(P + 'shape_probs', [64 * 64, -1]),
    int64Tensor(P + 'shape_tokens', [1, 64 * 64, out.width]),
  ];
  const added: onnx.INodeProto[] = [
    node(
      'Transpose',
      [softmax.output?.[0] as string],
      [P + 'probs_t'],
      [intsAttr('perm', [0, 2, 1, 3])],
    ),
    node('Reshape', [P + 'probs_t', P + 'shape_probs'], [P + 'probs']), // [4096, 8T]
    node('MatMul', [valuesH, P + 'wo'], [P + 'vo']), // [1, 8, T, 256]
    node('Reshape', [P + 'vo', P + 'shape_out'], [P + 'vo_rows']), // [8T, 256]
    node('MatMul', [P + 'probs', P + 'vo_rows'], [P + 'mixed']), // [4096, 256]
    node('Reshape', [P + 'mixed', P + 'shape_tokens'], [P + 'mixed_tokens']),
  ];
  const outMatMul = g.named(`${prefix}out_proj/MatMul`);
  redirect(g, outMatMul.output?.[0] as string, P + 'mixed_tokens');
  if (q) {
    const rows = q.weight.length / q.width;
    inits.push(
      floatTensor(P + 'wq', [HEADS, rows, d], headsOf(q.weight, rows, q.width, 1 / divisor)),
      floatTensor(
        P + 'bq',
        [HEADS, 1, d],
        q.bias.map((b) => b / divisor),
      ),
      int64Tensor(P + 'shape_rows', [-1, rows]),
      int64Tensor(P + 'shape_m', [rows, -1]),
      int64Tensor(P + 'shape_c', [1, -1]),
      int64Tensor(P + 'shape_scores', [1, 64 * 64, HEADS, -1]),
    );
    added.push(
      node('MatMul', [P + 'wq', keysT], [P + 'm']), // [1, 8, rows, T]
      node('Transpose', [P + 'm'], [P + 'm_t'], [intsAttr('perm', [0, 2, 1, 3])]),
      node('Reshape', [P + 'm_t', P + 'shape_m'], [P + 'm_rows']), // [rows, 8T]
      node('MatMul', [P + 'bq', keysT], [P + 'c']), // [1, 8, 1, T]
      node('Reshape', [P + 'c', P + 'shape_c'], [P + 'c_row']), // [1, 8T]
      node('Reshape', [q.input, P + 'shape_rows'], [P + 'image']), // [4096, rows]
      node('Gemm', [P + 'image', P + 'm_rows', P + 'c_row'], [P + 'scores']), // [4096, 8T]
      node('Reshape', [P + 'scores', P + 'shape_scores'], [P + 'scores_4']),
      node('Transpose', [P + 'scores_4'], [P + 'scores_heads'], [intsAttr('perm', [0, 2, 1, 3])]),
    );
    softmax.input = [P + 'scores_heads'];
  }
  g.addInitializers(inits);
  g.replace([], added);
}

/** Points every reader of `from` at `to` (the old producer then falls away in the prune). */
function redirect(g: OnnxGraph, from: string, to: string): void {
  for (const n of g.nodes) n.input = (n.input ?? []).map((i) => (i === from ? to : i));
}

/**
 * Rewrite 3 on every cross attention the graph still has, in place. A mismatch may leave
 * the graph half-edited: the caller drops it and keeps the bytes it had.
 */
export function attentionOnShortSide(g: OnnxGraph): void {
  for (const prefix of TOKEN_TO_IMAGE) tokenToImage(g, prefix);
  for (const prefix of IMAGE_TO_TOKEN) imageToToken(g, prefix);
}
