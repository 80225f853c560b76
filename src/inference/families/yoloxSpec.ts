/** The graph contract of the `yolox` family, separate so that loaders need not import the decoder. */
import type { GraphSpec } from '../signature';

/** `images` float32 [1,3,size,size] in, `output` [1, anchors, 5 + classes] out. */
export function yoloxSpec(inputSize: number, classes: number): GraphSpec {
  const anchors = [8, 16, 32].reduce((a, s) => a + (inputSize / s) ** 2, 0);
  return {
    inputs: [{ name: 'images', type: 'float32', dims: [1, 3, inputSize, inputSize] }],
    outputs: [{ name: 'output', type: 'float32', dims: [1, anchors, 5 + classes] }],
  };
}
