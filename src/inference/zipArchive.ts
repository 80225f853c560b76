/** Extracts members of a .zip (stored or deflated, no ZIP64): some model publishers ship only archives. */
import { open, rename, rm } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';

/** One member as the central directory lists it. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** Lists the members of a zip file from its central directory; a damaged archive is named as such. */
export async function listZip(path: string): Promise<ZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    // The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let at = -1;
    for (let i = tailLength - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        at = i;
        break;
      }
    if (at < 0)
      throw new Error(
        `${path}: not a zip archive (no end of central directory); the download may be truncated`,
      );
    const count = tail.readUInt16LE(at + 10);
    const dirSize = tail.readUInt32LE(at + 12),
      dirOffset = tail.readUInt32LE(at + 16);
    if (dirOffset === 0xffffffff || count === 0xffff)
      throw new Error(`${path}: a ZIP64 archive; extract it with an unzip tool instead`);
    const dir = Buffer.alloc(dirSize);
    await fh.read(dir, 0, dirSize, dirOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (dir.readUInt32LE(p) !== CENTRAL_SIGNATURE)
        throw new Error(`${path}: damaged central directory at entry ${i}`);
      const nameLength = dir.readUInt16LE(p + 28),
        extraLength = dir.readUInt16LE(p + 30),
        commentLength = dir.readUInt16LE(p + 32);
      entries.push({
        name: dir.toString('utf8', p + 46, p + 46 + nameLength),
        method: dir.readUInt16LE(p + 10),
        crc: dir.readUInt32LE(p + 16),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        localHeaderOffset: dir.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/**
 * Extracts the member whose name (or last path segment) is `member` to `dest`, via a
 * temporary file and a rename, after checking its CRC-32 and size.
 */
export async function extractZipMember(path: string, member: string, dest: string): Promise<void> {
  const entries = await listZip(path);
  const e =
    entries.find((x) => x.name === member) ??
    entries.find((x) => x.name.split('/').pop() === member);
  if (!e)
    throw new Error(
      `${path}: has no member ${member} (it has ${entries.map((x) => x.name).join(', ') || 'nothing'})`,
    );
  if (e.size === 0xffffffff || e.compressedSize === 0xffffffff)
    throw new Error(`${path}: ${e.name} needs ZIP64; extract it with an unzip tool instead`);
  const fh = await open(path, 'r');
  let data: Buffer;
  try {
    const local = Buffer.alloc(30);
    await fh.read(local, 0, 30, e.localHeaderOffset);
    if (local.readUInt32LE(0) !== LOCAL_SIGNATURE)
      throw new Error(`${path}: damaged local header for ${e.name}`);
    const start = e.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const raw = Buffer.alloc(e.compressedSize);
    await fh.read(raw, 0, e.compressedSize, start);
    if (e.method === 0) data = raw;
    else if (e.method === 8) data = inflateRawSync(raw);
    else
      throw new Error(
        `${path}: ${e.name} uses compression method ${e.method}; only stored and deflate are supported`,
      );
  } finally {
    await fh.close();
  }
  if (data.length !== e.size || crc32(data) !== e.crc)
    throw new Error(`${path}: ${e.name} fails its size or CRC-32 check; the archive is damaged`);
  const tmp = `${dest}.part`;
  const out = await open(tmp, 'w');
  try {
    await out.writeFile(data);
    await out.sync();
  } catch (err) {
    await out.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await out.close();
  await rename(tmp, dest);
}
