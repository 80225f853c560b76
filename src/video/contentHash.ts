/**
 * The cache key of a video: sha256 over its size and three 1 MiB windows (start, middle,
 * end). Why not the path or mtime: a copied, moved or `touch`ed video must hit the same
 * cache, and a re-encoded one under the same name must not. Why three windows and not the
 * whole file: hashing a 4 GB video would take seconds on every open; the MP4 index (moov)
 * sits at the start or the end, so any re-mux or trim changes one of them, and the middle
 * window catches a re-encode that kept the size and header layout.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';

const WINDOW = 1024 * 1024;

/** Content hash of a file, hex; the same bytes give the same hash wherever the file lives. */
export async function contentHash(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const h = createHash('sha256');
    h.update(`groundwork-video-v1:${size}\n`);
    const starts = size <= 3 * WINDOW ? [0] : [0, Math.floor(size / 2 - WINDOW / 2), size - WINDOW];
    const len = size <= 3 * WINDOW ? size : WINDOW;
    const buf = Buffer.allocUnsafe(len);
    for (const start of starts) {
      const { bytesRead } = await fh.read(buf, 0, len, start);
      h.update(buf.subarray(0, bytesRead));
    }
    return h.digest('hex');
  } finally {
    await fh.close();
  }
}

const memo = new Map<string, { stamp: string; hash: Promise<string> }>();

/**
 * `contentHash`, remembered per (path, size, mtime, inode) for this process, so reopening a
 * sample costs a stat and not three reads; a changed file changes the stamp and is re-hashed.
 */
export async function cachedContentHash(path: string): Promise<string> {
  // Synchronous, like checkVideoFile's: a microsecond, never queued behind other file work.
  const s = statSync(path);
  const stamp = `${s.size}:${s.mtimeMs}:${s.ino}`;
  const hit = memo.get(path);
  if (hit && hit.stamp === stamp) return hit.hash;
  const hash = contentHash(path);
  memo.set(path, { stamp, hash });
  hash.catch(() => memo.delete(path));
  return hash;
}
