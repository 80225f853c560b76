/** Where the video layer keeps its files, and the atomic writes that keep them whole. */
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$GROUNDWORK_CACHE_DIR`, else `~/.cache/groundwork`. */
export function defaultCacheDir(): string {
  const env = process.env.GROUNDWORK_CACHE_DIR;
  return env && env.trim() ? env : join(homedir(), '.cache', 'groundwork');
}

// Bump when the layout or the meaning of a cached file changes, so old caches are ignored.
const LAYOUT = 'video-v1';

/** The paths of one video's cache entries (all keyed by content hash, see contentHash.ts). */
export interface VideoCachePaths {
  readonly dir: string;
  readonly probe: string;
  readonly sharpness: string;
  /** Folder of full-size JPEGs at one quality; a file per source frame number. */
  readonly jpegDir: string;
  /** Folder of filmstrip thumbnails at one width. */
  readonly thumbDir: string;
}

/** Cache paths for a video with content hash `hash`. */
export function videoCachePaths(
  cacheDir: string,
  hash: string,
  quality: number,
  thumbWidth: number,
): VideoCachePaths {
  const dir = join(cacheDir, LAYOUT, hash);
  return {
    dir,
    probe: join(dir, 'probe.json'),
    sharpness: join(dir, 'sharpness.json'),
    jpegDir: join(dir, `q${quality}`),
    thumbDir: join(dir, `thumb${thumbWidth}`),
  };
}

/** File name of source frame `n` in a JPEG or thumbnail folder. */
export function frameFileName(sourceFrame: number): string {
  return `${String(sourceFrame).padStart(6, '0')}.jpg`;
}

/** Parses `frameFileName` back, or undefined for any other file. */
export function parseFrameFileName(name: string): number | undefined {
  const m = /^(\d{6,})\.jpg$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

let counter = 0;

/**
 * Writes via a temporary file and a rename, so a reader (or a killed process) never sees a
 * half-written JPEG: a cached file is complete by construction. Synchronous calls: a frame's
 * file goes to the page cache in well under a millisecond, and the promise API's five
 * thread-pool round trips per file (open, write, close, stat, rename) cost 2.5x the CPU
 * (a cold extraction writes two files per sampled frame) and queued the frame on screen's
 * write behind other file work (20-100 ms in the seek bench).
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${++counter}.tmp`;
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (let done = 0; done < bytes.byteLength;)
        done += writeSync(fd, bytes, done, bytes.byteLength - done);
      // A full disk can cut a file without an error on some file systems; check before use.
      const got = fstatSync(fd).size;
      if (got !== bytes.byteLength)
        throw new Error(
          `short write: ${got} of ${bytes.byteLength} bytes of ${path} reached the disk`,
        );
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** `mkdir -p`. */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
