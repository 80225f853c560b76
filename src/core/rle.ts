/** COCO run-length encoding of binary masks, byte-compatible with pycocotools' compressed strings. */
import type { Rle } from './model';
import type { Mask } from './mask';

/**
 * Run lengths of a row-major mask read in column-major order (as pycocotools does),
 * alternating 0-runs and 1-runs and always starting with a (possibly empty) 0-run.
 */
export function maskToCounts(mask: Mask): number[] {
  const { width, height, data } = mask;
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = data[y * width + x] ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Rebuilds a row-major mask of `height` x `width` from column-major run lengths. */
export function countsToMask(counts: readonly number[], height: number, width: number): Mask {
  const data = new Uint8Array(width * height);
  let pos = 0;
  let value = 0;
  for (const c of counts) {
    if (c < 0 || pos + c > width * height)
      throw new Error(`RLE counts exceed the mask size ${height}x${width}`);
    if (value) {
      for (let i = pos; i < pos + c; i++) {
        const x = Math.floor(i / height);
        data[(i - x * height) * width + x] = 1;
      }
    }
    pos += c;
    value ^= 1;
  }
  if (pos !== width * height)
    throw new Error(
      `RLE counts cover ${pos} pixels, expected ${width * height} (${height}x${width})`,
    );
  return { width, height, data };
}

/**
 * pycocotools' `rleToString`: each count (minus the count two places back, from the
 * fourth on) as little-endian 5-bit groups with a continuation bit, offset by '0'.
 * Plain arithmetic instead of bit shifts keeps counts above 2^31 exact.
 */
export function countsToString(counts: readonly number[]): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i] as number;
    if (i > 2) x -= counts[i - 2] as number;
    let more = true;
    while (more) {
      let c = ((x % 32) + 32) % 32;
      x = Math.floor(x / 32);
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

/** pycocotools' `rleFrString`: the inverse of {@link countsToString}. */
export function stringToCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new Error(`truncated RLE string at offset ${p}`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new Error(`invalid RLE character "${s[p]}" at offset ${p}`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2] as number;
    counts.push(x);
  }
  return counts;
}

/** Encodes a mask as a COCO compressed RLE (`size` is [height, width]). */
export function encodeRle(mask: Mask): Rle {
  return { size: [mask.height, mask.width], counts: countsToString(maskToCounts(mask)) };
}

/** Decodes a COCO compressed RLE into a row-major mask; throws a clear message when malformed. */
export function decodeRle(rle: Rle): Mask {
  const [height, width] = rle.size;
  return countsToMask(stringToCounts(rle.counts), height, width);
}

/** Area (number of set pixels) of an RLE without decoding it. */
export function rleArea(rle: Rle): number {
  const counts = stringToCounts(rle.counts);
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) area += counts[i] as number;
  return area;
}
