/** Expected input/output signatures of each family's graphs, checked when a session loads. */
import type { InferenceSession } from 'onnxruntime-node';

/** One expected tensor: its name, element type and dims (-1 = any size, a string = a named dim). */
export interface TensorSpec {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly (number | string)[];
}

/** The graph contract of one model file: inputs it must accept and outputs it must give. */
export interface GraphSpec {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

/** Formats specs like `images float32 [1,3,416,416]`, the form used in every message. */
export function formatSpecs(specs: readonly TensorSpec[]): string {
  return specs
    .map(
      (s) => `${s.name} ${s.type} [${s.dims.map((d) => (d === -1 ? '?' : String(d))).join(',')}]`,
    )
    .join(', ');
}

/** What a loaded session declares, in the same form as the expectations. */
export function sessionSpecs(metadata: readonly InferenceSession.ValueMetadata[]): TensorSpec[] {
  return metadata.map((m) =>
    m.isTensor
      ? {
          name: m.name,
          type: m.type,
          dims: m.shape.map((d) => (typeof d === 'number' ? d : String(d))),
        }
      : { name: m.name, type: 'non-tensor', dims: [] },
  );
}

function dimMatches(expected: number | string, found: number | string | undefined): boolean {
  // A symbolic or unknown dim in the file accepts any expected size, and vice versa.
  return (
    expected === -1 ||
    typeof expected === 'string' ||
    typeof found === 'string' ||
    found === -1 ||
    expected === found
  );
}

function specMatches(expected: TensorSpec, found: TensorSpec | undefined): boolean {
  if (!found || found.type !== expected.type) return false;
  if (found.dims.length === 0) return true;
  return (
    found.dims.length === expected.dims.length &&
    expected.dims.every((d, i) => dimMatches(d, found.dims[i]))
  );
}

/**
 * Checks a session against its expected graph contract; the message names the file, the
 * expected signature and what the file declares, so a wrong model is recognisable at once.
 */
export function checkSignature(session: InferenceSession, spec: GraphSpec, what: string): void {
  const inputs = sessionSpecs(session.inputMetadata);
  const outputs = sessionSpecs(session.outputMetadata);
  const badIn = spec.inputs.some(
    (e) =>
      !specMatches(
        e,
        inputs.find((f) => f.name === e.name),
      ),
  );
  const badOut = spec.outputs.some(
    (e) =>
      !specMatches(
        e,
        outputs.find((f) => f.name === e.name),
      ),
  );
  if (badIn)
    throw new Error(
      `${what}: expected inputs ${formatSpecs(spec.inputs)}, found ${formatSpecs(inputs) || 'none'}`,
    );
  if (badOut)
    throw new Error(
      `${what}: expected outputs ${formatSpecs(spec.outputs)}, found ${formatSpecs(outputs) || 'none'}`,
    );
}
