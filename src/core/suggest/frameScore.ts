/** Frame suggestion: sharpness (variance of the Laplacian) blended with detector confidence. */

/** An 8-bit image, `channels` interleaved bytes per pixel (1 = grey, 3 = RGB), row-major. */
export interface PixelImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** Per-frame inputs of the frame suggestion. */
export interface FrameEvidence {
  /** Variance of the Laplacian (see {@link sharpness}). */
  readonly sharpness: number;
  /** Best detector score for the entity on this frame, 0..1; absent when no detector ran. */
  readonly confidence?: number;
}

/** A frame's blended score and the parts it came from, for the filmstrip bars. */
export interface FrameScore {
  readonly index: number;
  /** Sharpness relative to the sharpest frame of the sample, 0..1. */
  readonly sharpness: number;
  readonly confidence: number;
  readonly score: number;
}

/**
 * Variance of the 4-neighbour Laplacian of the luma, sampled every `step` pixels so that
 * a 1080p frame costs a few milliseconds. Blur lowers it; it is only comparable between
 * frames of the same video, which is how the suggestion uses it.
 */
export function sharpness(image: PixelImage, step = 2): number {
  const { width: w, height: h, channels: c, data } = image;
  const luma = (x: number, y: number): number => {
    const i = (y * w + x) * c;
    return c === 1
      ? (data[i] as number)
      : 0.299 * (data[i] as number) +
          0.587 * (data[i + 1] as number) +
          0.114 * (data[i + 2] as number);
  };
  let sum = 0,
    sum2 = 0,
    n = 0;
  for (let y = 1; y < h - 1; y += step) {
    if (c === 1 && data.length >= w * h) {
      // Grey (the cache pass scores every frame it extracts): the same sums in the same
      // order, read straight off the bytes; the closure per pixel was ~1.5 ms a frame.
      for (let i = y * w + 1, end = y * w + w - 1; i < end; i += step) {
        const l =
          (data[i - 1] as number) +
          (data[i + 1] as number) +
          (data[i - w] as number) +
          (data[i + w] as number) -
          4 * (data[i] as number);
        sum += l;
        sum2 += l * l;
        n++;
      }
      continue;
    }
    for (let x = 1; x < w - 1; x += step) {
      const l = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1) - 4 * luma(x, y);
      sum += l;
      sum2 += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

/**
 * Scores every frame: with detector evidence, 0.4 x relative sharpness + 0.6 x confidence
 * (seeing the entity matters more than a crisp frame without it); without, sharpness alone.
 */
export function scoreFrames(
  frames: readonly FrameEvidence[],
  confidenceWeight = 0.6,
): FrameScore[] {
  const maxSharp = Math.max(0, ...frames.map((f) => f.sharpness));
  const anyConfidence = frames.some((f) => f.confidence !== undefined);
  const w = anyConfidence ? confidenceWeight : 0;
  return frames.map((f, index) => {
    const s = maxSharp > 0 ? f.sharpness / maxSharp : 0;
    const confidence = f.confidence ?? 0;
    return { index, sharpness: s, confidence, score: (1 - w) * s + w * confidence };
  });
}

/** The index of the best frame (the earliest on a tie), or -1 for an empty list. */
export function bestFrame(frames: readonly FrameEvidence[], confidenceWeight = 0.6): number {
  let best = -1,
    bestScore = -Infinity;
  for (const f of scoreFrames(frames, confidenceWeight)) {
    if (f.score > bestScore) {
      best = f.index;
      bestScore = f.score;
    }
  }
  return best;
}
