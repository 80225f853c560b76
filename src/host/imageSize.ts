/**
 * Pixel size of a JPEG, PNG, GIF or WebP file from its header, without decoding it: the
 * frame list needs sizes before the view has loaded any image (groundings store them).
 */
import { open } from 'node:fs/promises';

/** Width and height in pixels, or undefined when the format is not recognised. */
export async function imageSize(path: string): Promise<readonly [number, number] | undefined> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const size = sizeFromHeader(head.subarray(0, bytesRead));
    if (size || !isJpeg(head)) return size;
    // A JPEG with a large EXIF block: read the whole file (still only headers are parsed).
    const all = await fh.readFile();
    return sizeFromHeader(all);
  } finally {
    await fh.close();
  }
}

function isJpeg(b: Buffer): boolean {
  return b[0] === 0xff && b[1] === 0xd8;
}

/** Size from the first bytes of an image file. */
export function sizeFromHeader(b: Buffer): readonly [number, number] | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return [b.readUInt32BE(16), b.readUInt32BE(20)];
  if (b.length >= 10 && b.toString('latin1', 0, 3) === 'GIF') return [b.readUInt16LE(6), b.readUInt16LE(8)];
  if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    const kind = b.toString('latin1', 12, 16);
    if (kind === 'VP8X') return [1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3)];
    if (kind === 'VP8L') { const bits = b.readUInt32LE(21); return [1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff)]; }
    if (kind === 'VP8 ') return [b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff];
  }
  if (!isJpeg(b)) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) { i++; continue; }
    const marker = b[i + 1] as number;
    if (marker === 0xff) { i++; continue; }
    const len = b.readUInt16BE(i + 2);
    // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    }
    i += 2 + len;
  }
  return undefined;
}
