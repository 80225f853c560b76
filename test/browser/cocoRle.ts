/**
 * A COCO compressed-RLE decoder for the browser tests, written from the format's definition
 * (pycocotools' maskApi.c `rleFrString`) and not from src/core/rle.ts, so a test that reads
 * a saved mask checks the editor's encoder against an independent reading.
 */

/** A decoded mask: row-major bytes, 1 where set. */
export interface DecodedMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * The counts of a compressed string: each value is little-endian groups of 5 bits, offset by
 * 48, bit 0x20 meaning "more groups follow", the last group's bit 0x10 the sign; from the
 * third value on it is a difference to the value two places back.
 */
function readCounts(text: string): number[] {
  const counts: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    let value = 0;
    let shift = 0;
    for (;;) {
      const group = text.charCodeAt(pos) - 48;
      pos += 1;
      value |= (group & 0x1f) << shift;
      shift += 5;
      if (group & 0x20) continue;
      if (group & 0x10) value |= -1 << shift;
      break;
    }
    if (counts.length > 2) value += counts[counts.length - 2] as number;
    counts.push(value);
  }
  return counts;
}

/** Decodes `{size: [h, w], counts}`: runs alternate 0 and 1 starting with 0, column by column. */
export function decodeCocoRle(rle: { size: readonly number[]; counts: string }): DecodedMask {
  const [height, width] = rle.size as [number, number];
  const data = new Uint8Array(width * height);
  let index = 0;
  let bit = 0;
  for (const run of readCounts(rle.counts)) {
    for (let k = 0; k < run; k++) {
      // Column-major position `index` is pixel (x, y) = (index / h, index % h).
      if (bit) data[(index % height) * width + Math.floor(index / height)] = 1;
      index += 1;
    }
    bit ^= 1;
  }
  if (index !== width * height) throw new Error(`RLE covers ${index} of ${width * height} pixels`);
  return { width, height, data };
}

/** Set pixels of a decoded mask. */
export function setPixels(mask: DecodedMask): number {
  let count = 0;
  for (const value of mask.data) count += value;
  return count;
}
