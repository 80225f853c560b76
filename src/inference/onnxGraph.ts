/**
 * A small editor for ONNX graphs (onnx-proto's protobuf types): find a node's producer and
 * consumers, read constant weights, add nodes and initializers, cut a graph at named
 * tensors, drop what no output needs and write the model back. The SAM decoder rewrite
 * (families/samDecoderGraph.ts) is built on it; every rewrite is checked against the
 * original graph's outputs by the tests, never trusted by construction.
 */
import { onnx } from 'onnx-proto';

type NodeProto = onnx.INodeProto;
type TensorProto = onnx.ITensorProto;

/** A float32 tensor's values from its raw bytes or float list (copied: the proto's bytes may be a view). */
export function tensorFloats(tensor: TensorProto): Float32Array {
  const raw = tensor.rawData;
  if (raw && raw.length) {
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(tensor.floatData ?? []);
}

/** An initializer of float32 values. */
export function floatTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): TensorProto {
  return {
    name,
    dataType: onnx.TensorProto.DataType.FLOAT,
    dims: [...dims],
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

/** An initializer of int64 values (shapes). */
export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return {
    name,
    dataType: onnx.TensorProto.DataType.INT64,
    dims: [values.length],
    rawData: new Uint8Array(data.buffer),
  };
}

/** An integer-list attribute. */
export function intsAttr(name: string, ints: readonly number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...ints] };
}

/** An integer attribute. */
export function intAttr(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

/** A float attribute. */
export function floatAttr(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
}

/** Thrown when a graph does not have the shape a rewrite expects (the caller keeps the original). */
export class GraphMismatch extends Error {}

/** A decoded ONNX model with lookups over its main graph. */
export class OnnxGraph {
  readonly model: onnx.ModelProto;
  private readonly inits = new Map<string, TensorProto>();

  /** Decodes a model's bytes. */
  constructor(bytes: Uint8Array) {
    this.model = onnx.ModelProto.decode(bytes);
    for (const t of this.graph.initializer ?? []) this.inits.set(t.name ?? '', t);
  }

  /** The main graph. */
  get graph(): onnx.IGraphProto {
    const g = this.model.graph;
    if (!g) throw new GraphMismatch('the model has no graph');
    return g;
  }

  /** The graph's nodes in file order. */
  get nodes(): NodeProto[] {
    return (this.graph.node ?? []) as NodeProto[];
  }

  /** The node that writes `tensor`, if any. */
  producer(tensor: string): NodeProto | undefined {
    return this.nodes.find((n) => n.output?.includes(tensor));
  }

  /** The nodes that read `tensor`. */
  consumers(tensor: string): NodeProto[] {
    return this.nodes.filter((n) => n.input?.includes(tensor));
  }

  /** The node with this exact name; a mismatch when absent. */
  named(name: string): NodeProto {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new GraphMismatch(`no node ${name}`);
    return node;
  }

  /** The only consumer of `tensor`, which must be an `opType`. */
  only(tensor: string, opType: string): NodeProto {
    const found = this.consumers(tensor);
    if (found.length !== 1 || found[0]?.opType !== opType)
      throw new GraphMismatch(
        `expected one ${opType} after ${tensor}, found ${found.map((n) => n.opType).join(', ') || 'none'}`,
      );
    return found[0];
  }

  /** An initializer by name. */
  initializer(name: string): TensorProto | undefined {
    return this.inits.get(name);
  }

  /** A constant's values: an initializer or the output of a Constant node. */
  constant(tensor: string): Float32Array {
    const init = this.inits.get(tensor);
    if (init) return tensorFloats(init);
    const node = this.producer(tensor);
    const value =
      node?.opType === 'Constant' ? node.attribute?.find((a) => a.name === 'value') : undefined;
    if (!value?.t) throw new GraphMismatch(`${tensor} is not a constant`);
    return tensorFloats(value.t);
  }

  /** A node attribute's integer list (empty when absent). */
  static ints(node: NodeProto, name: string): number[] {
    return (node.attribute?.find((a) => a.name === name)?.ints ?? []).map(Number);
  }

  /** Adds initializers. */
  addInitializers(tensors: readonly TensorProto[]): void {
    this.graph.initializer = [...(this.graph.initializer ?? []), ...tensors];
    for (const t of tensors) this.inits.set(t.name ?? '', t);
  }

  /** Replaces `removed` nodes by `added` ones, then keeps the graph sorted and minimal. */
  replace(removed: readonly NodeProto[], added: readonly NodeProto[]): void {
    const gone = new Set(removed);
    this.graph.node = [...this.nodes.filter((n) => !gone.has(n)), ...added];
    this.prune();
  }

  /**
   * Turns `tensors` into graph inputs: their producers go, and so does everything only they
   * needed (original inputs the cut graph no longer reads go too).
   */
  cutAt(tensors: readonly { name: string; dims: readonly number[] }[]): void {
    const names = new Set(tensors.map((t) => t.name));
    this.graph.node = this.nodes.filter((n) => !n.output?.some((o) => names.has(o)));
    const elemType = onnx.TensorProto.DataType.FLOAT;
    this.graph.input = [
      ...(this.graph.input ?? []),
      ...tensors.map((t) => ({
        name: t.name,
        type: {
          tensorType: { elemType, shape: { dim: t.dims.map((d) => ({ dimValue: d })) } },
        },
      })),
    ];
    this.prune();
  }

  /** Makes `tensors` the graph's outputs (float32 of the given shapes) and drops the rest. */
  outputsAt(tensors: readonly { name: string; dims: readonly number[] }[]): void {
    const elemType = onnx.TensorProto.DataType.FLOAT;
    this.graph.output = tensors.map((t) => ({
      name: t.name,
      type: { tensorType: { elemType, shape: { dim: t.dims.map((d) => ({ dimValue: d })) } } },
    }));
    this.prune();
  }

  /** Removes one of the graph's outputs, and what only it needed. */
  dropOutput(name: string): void {
    const outputs = this.graph.output ?? [];
    if (!outputs.some((o) => o.name === name)) throw new GraphMismatch(`no output ${name}`);
    this.graph.output = outputs.filter((o) => o.name !== name);
    this.prune();
  }

  /** Renames a tensor everywhere it appears (inputs, outputs, nodes). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = n.input?.map((i) => (i === from ? to : i)) ?? [];
      n.output = n.output?.map((o) => (o === from ? to : o)) ?? [];
    }
    for (const v of [...(this.graph.input ?? []), ...(this.graph.output ?? [])])
      if (v.name === from) v.name = to;
  }

  /**
   * Keeps only the nodes, initializers and inputs the outputs need, in an order where every
   * node comes after what it reads (ONNX requires it). A tensor nobody writes is a mismatch.
   */
  private prune(): void {
    const g = this.graph;
    const byOutput = new Map<string, NodeProto>();
    for (const n of this.nodes) for (const o of n.output ?? []) byOutput.set(o, n);
    const needed = new Set<NodeProto>();
    const seen = new Set<string>();
    const stack = (g.output ?? []).map((o) => o.name ?? '');
    while (stack.length) {
      const tensor = stack.pop() as string;
      if (seen.has(tensor)) continue;
      seen.add(tensor);
      const node = byOutput.get(tensor);
      if (node && !needed.has(node)) {
        needed.add(node);
        stack.push(...(node.input ?? []).filter(Boolean));
      }
    }
    const inputs = (g.input ?? []).filter((i) => seen.has(i.name ?? ''));
    const ready = new Set<string>(['', ...inputs.map((i) => i.name ?? ''), ...this.inits.keys()]);
    const pending = this.nodes.filter((n) => needed.has(n));
    const ordered: NodeProto[] = [];
    while (pending.length) {
      const before = pending.length;
      for (let i = 0; i < pending.length; i++) {
        const node = pending[i] as NodeProto;
        if (!(node.input ?? []).every((t) => ready.has(t))) continue;
        ordered.push(node);
        for (const o of node.output ?? []) ready.add(o);
        pending.splice(i--, 1);
      }
      if (pending.length === before)
        throw new GraphMismatch(
          `nothing writes ${(pending[0]?.input ?? []).find((t) => !ready.has(t))} (read by ${pending[0]?.name})`,
        );
    }
    g.node = ordered;
    g.input = inputs;
    const read = new Set(ordered.flatMap((n) => n.input ?? []));
    g.initializer = (g.initializer ?? []).filter((t) => read.has(t.name ?? ''));
    this.inits.clear();
    for (const t of g.initializer) this.inits.set(t.name ?? '', t);
  }

  /** The model's bytes. */
  encode(): Uint8Array {
    return onnx.ModelProto.encode(this.model).finish();
  }
}

/** A node; its name is its first output's, so profiles and errors name it. */
export function node(
  opType: string,
  input: readonly string[],
  output: readonly string[],
  attribute: readonly onnx.IAttributeProto[] = [],
): NodeProto {
  return {
    opType,
    input: [...input],
    output: [...output],
    attribute: [...attribute],
    name: output[0],
  };
}
