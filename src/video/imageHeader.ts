/**
 * Size of a frame-list image from its header alone (JPEG SOF, PNG IHDR), with the EXIF
 * orientation of JPEGs, so listing a sample's frames reads a few KB per image and decodes
 * nothing. Browsers apply EXIF orientation when they show an image, so the displayed size
 * is the header size with width and height swapped for orientations 5 to 8.
 */
import { open } from 'node:fs/promises';
import { VideoError } from './videoError';

/** Header facts of one image. */
export interface ImageHeader {
  readonly format: 'jpeg' | 'png';
  /** Stored size, as the pixels are in the file. */
  readonly storedWidth: number;
  readonly storedHeight: number;
  /** EXIF orientation 1..8 (1 = as stored). */
  readonly orientation: number;
  /** Displayed size (orientation applied). */
  readonly width: number;
  readonly height: number;
}

// Big enough for an EXIF block with a thumbnail before SOF in camera JPEGs.
const HEAD_BYTES = 256 * 1024;

function exifOrientation(b: Buffer, start: number, end: number): number {
  // APP1 payload: "Exif\0\0" then a TIFF header (byte order, 42, IFD0 offset).
  if (b.toString('latin1', start, start + 6) !== 'Exif\0\0') return 1;
  const t = start + 6;
  const le = b.toString('latin1', t, t + 2) === 'II';
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const ifd = t + u32(t + 4);
  if (ifd + 2 > end) return 1;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > end) break;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

function parseJpeg(b: Buffer): { w: number; h: number; orientation: number } | undefined {
  let i = 2;
  let orientation = 1;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const m = b[i + 1] as number;
    if (m === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    if (m === 0xe1 && i + 2 + len <= b.length) orientation = exifOrientation(b, i + 4, i + 2 + len);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (i + 9 > b.length) return undefined;
      return { h: b.readUInt16BE(i + 5), w: b.readUInt16BE(i + 7), orientation };
    }
    i += 2 + len;
  }
  return undefined;
}

/** Reads the header of a JPEG or PNG; a VideoError names the file when it is neither. */
export async function readImageHeader(path: string): Promise<ImageHeader> {
  let b: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
      b = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VideoError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      code === 'ENOENT'
        ? `Image not found: ${path}`
        : `Cannot read image ${path}: ${code ?? String(e)}`,
      path,
    );
  }
  if (b.length === 0) throw new VideoError('empty', `Image file is empty (0 bytes): ${path}`, path);
  if (
    b.length >= 24 &&
    b.readUInt32BE(0) === 0x89504e47 &&
    b.toString('latin1', 12, 16) === 'IHDR'
  ) {
    const w = b.readUInt32BE(16);
    const h = b.readUInt32BE(20);
    return { format: 'png', storedWidth: w, storedHeight: h, orientation: 1, width: w, height: h };
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    const j = parseJpeg(b);
    if (j && j.w > 0 && j.h > 0) {
      const swap = j.orientation >= 5;
      return {
        format: 'jpeg',
        storedWidth: j.w,
        storedHeight: j.h,
        orientation: j.orientation,
        width: swap ? j.h : j.w,
        height: swap ? j.w : j.h,
      };
    }
  }
  throw new VideoError(
    'unreadable',
    `Not a JPEG or PNG image (or its header is damaged): ${path}`,
    path,
  );
}

/** The ffmpeg filter that turns stored pixels into displayed ones for an EXIF orientation. */
export function orientationFilter(orientation: number): string {
  const filters: Record<number, string> = {
    2: 'hflip',
    3: 'hflip,vflip',
    4: 'vflip',
    5: 'transpose=0',
    6: 'transpose=1',
    7: 'transpose=3',
    8: 'transpose=2',
  };
  return filters[orientation] ?? 'null';
}
