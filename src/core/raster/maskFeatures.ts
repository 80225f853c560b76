/**
 * What a mask looks like to SAM, cheaply, for catching a track that slid off its object:
 * the mean of the image embedding under the mask (the encoder's 64x64 grid of 256-channel
 * features, weighted by how much of each cell the mask's low-res logits cover), and SAM's
 * stability score (the automatic mask generator's: the IoU of the mask thresholded at +1
 * and at -1 logits). A mask prompted with the previous frame's box and low-res mask can
 * keep its shape and place while the object moved away (the camera walked on): SAM then
 * rates it highly and it overlaps its predecessor well, but what lies under it is wall.
 */

/** The mean embedding feature under a mask, unit length; undefined when the mask is empty. */
export function maskFeature(
  embedding: Float32Array,
  channels: number,
  grid: number,
  lowRes: Float32Array,
  lowSide: number,
): Float32Array | undefined {
  const cell = lowSide / grid;
  if (!Number.isInteger(cell) || embedding.length !== channels * grid * grid) return undefined;
  if (lowRes.length !== lowSide * lowSide) return undefined;
  // Share of each grid cell the mask covers (cell x cell low-res pixels per grid cell).
  const weight = new Float32Array(grid * grid);
  let total = 0;
  for (let y = 0; y < lowSide; y++) {
    const row = Math.floor(y / cell) * grid;
    for (let x = 0; x < lowSide; x++) {
      if ((lowRes[y * lowSide + x] as number) <= 0) continue;
      const k = row + Math.floor(x / cell);
      weight[k] = (weight[k] as number) + 1;
      total++;
    }
  }
  if (total === 0) return undefined;
  const plane = grid * grid;
  const out = new Float32Array(channels);
  let norm = 0;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    const base = c * plane;
    for (let k = 0; k < plane; k++) {
      const w = weight[k] as number;
      if (w) sum += w * (embedding[base + k] as number);
    }
    out[c] = sum / total;
    norm += (out[c] as number) ** 2;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let c = 0; c < channels; c++) out[c] = (out[c] as number) / norm;
  return out;
}

/** Cosine similarity of two features (1: the same direction). */
export function featureSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number,
      y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * SAM's stability score on logits: pixels above `offset` over pixels above `-offset` (1 when
 * the mask's edge is sharp, low when a small change of threshold moves it a lot).
 */
export function stabilityScore(logits: Float32Array, offset = 1): number {
  let inner = 0,
    outer = 0;
  for (const v of logits) {
    if (v > offset) inner++;
    if (v > -offset) outer++;
  }
  return outer ? inner / outer : 0;
}
