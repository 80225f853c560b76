/**
 * The probe index: one ffprobe pass per video listing every frame's pts and key flag, plus
 * start, rotation, displayed size, codec and VFR. Packets, not decoded frames: demuxing
 * only is ~50x faster, and sorting packet pts undoes B-frame reordering.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cachedContentHash } from './contentHash';
import { ensureDir, videoCachePaths, writeAtomic } from './videoCache';
import { runToEnd } from './processRunner';
import type { SpawnFn } from './processRunner';
import { VideoError, ffmpegReason } from './videoError';
import { parseProbeJson } from './probeParse';
import type { ProbeIndex } from './probeParse';

/** What probing needs: the ffprobe binary, the cache folder, and optionally a spawn seam. */
export interface ProbeOptions {
  readonly ffprobePath: string;
  readonly cacheDir: string;
  readonly spawnFn?: SpawnFn;
  readonly signal?: AbortSignal;
}

// `V` (capital) skips cover art and attached pictures, which are video streams too.
const PACKET_ARGS = [
  '-v',
  'error',
  '-hide_banner',
  '-select_streams',
  'V:0',
  '-show_entries',
  'stream=codec_name,width,height,time_base,r_frame_rate,duration,nb_frames:stream_tags=rotate:stream_side_data=rotation:format=format_name,start_time,nb_streams,duration:packet=pts,dts,flags,pos,size',
  '-of',
  'json',
];

/** Checks that `path` is a non-empty regular file, with messages that say which case it is. */
export async function checkVideoFile(path: string): Promise<number> {
  let size: number;
  try {
    // Synchronous: asked on every frame request, and an async stat waited its turn in the
    // thread pool behind the media server's file reads (20-30 ms of a seek, seek bench).
    const s = statSync(path);
    if (!s.isFile())
      throw new VideoError(
        'unreadable',
        `Not a video file (it is a folder or device): ${path}`,
        path,
      );
    size = s.size;
  } catch (e) {
    if (e instanceof VideoError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VideoError('not-found', `Video not found: ${path}`, path);
    throw new VideoError('unreadable', `Cannot read video ${path}: ${code ?? String(e)}`, path);
  }
  if (size === 0) throw new VideoError('empty', `Video file is empty (0 bytes): ${path}`, path);
  return size;
}

async function runProbe(
  path: string,
  size: number,
  opts: ProbeOptions,
): Promise<Omit<ProbeIndex, 'hash'>> {
  const r = await runToEnd(opts.ffprobePath, [...PACKET_ARGS, path], {
    what: `probing ${path}`,
    ...(opts.spawnFn ? { spawnFn: opts.spawnFn } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    timeoutMs: 10 * 60_000,
  });
  if (r.code !== 0)
    throw new VideoError(
      'unreadable',
      `Cannot read video ${path}: ${ffmpegReason(r.stderr, path)}`,
      path,
    );
  let json: unknown;
  try {
    json = JSON.parse(r.stdout.toString('utf8'));
  } catch {
    throw new VideoError(
      'unreadable',
      `Cannot read video ${path}: ffprobe printed no readable listing`,
      path,
    );
  }
  return parseProbeJson(json, path, size, r.stderr);
}

// Within one process, probing the same content twice at once shares one ffprobe run, and a
// probed index stays in memory (a few MB for hours of video) so reopening costs a stat.
const inflight = new Map<string, Promise<ProbeIndex>>();
const known = new Map<string, ProbeIndex>();

/**
 * The probe index of `path`, from the cache (keyed by content hash) or from one ffprobe run
 * whose result is then cached. Bad input rejects with a VideoError naming the file.
 */
export async function probeVideo(path: string, opts: ProbeOptions): Promise<ProbeIndex> {
  const size = await checkVideoFile(path);
  const hash = await cachedContentHash(path);
  const key = `${opts.cacheDir}\0${hash}`;
  const hit = known.get(key);
  if (hit) return hit;
  const running = inflight.get(key);
  if (running) return running;
  const p = (async (): Promise<ProbeIndex> => {
    const file = videoCachePaths(opts.cacheDir, hash, 0, 0).probe;
    const cached = await readCachedProbe(file, hash);
    if (cached) return cached;
    const index: ProbeIndex = { ...(await runProbe(path, size, opts)), hash };
    await ensureDir(videoCachePaths(opts.cacheDir, hash, 0, 0).dir);
    await writeAtomic(file, JSON.stringify(index));
    return index;
  })();
  inflight.set(key, p);
  try {
    const index = await p;
    known.set(key, index);
    return index;
  } finally {
    inflight.delete(key);
  }
}

/**
 * Keeps an index built elsewhere (a cold pass's own packet listing, packetListing.ts) as if
 * ffprobe had made it: on disk by content hash and in memory, so nothing probes this video.
 */
export async function rememberProbe(cacheDir: string, index: ProbeIndex): Promise<void> {
  const paths = videoCachePaths(cacheDir, index.hash, 0, 0);
  await ensureDir(paths.dir);
  await writeAtomic(paths.probe, JSON.stringify(index));
  known.set(`${cacheDir}\0${index.hash}`, index);
}

async function readCachedProbe(file: string, hash: string): Promise<ProbeIndex | undefined> {
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as ProbeIndex;
    // Layout 3 added the declared duration and frame count (truncation.ts); older ones re-probe.
    if (cached.layout === 3 && cached.hash === hash) return cached;
  } catch {
    /* not cached yet, or unreadable: probe again */
  }
  return undefined;
}

/** Whether `path`'s index is known without running ffprobe (in memory or in the disk cache). */
export async function probeIsCached(path: string, cacheDir: string): Promise<boolean> {
  let hash: string;
  try {
    hash = await cachedContentHash(path);
  } catch {
    return false; // a missing or unreadable file: probeVideo words the error
  }
  if (known.has(`${cacheDir}\0${hash}`)) return true;
  return (await readCachedProbe(videoCachePaths(cacheDir, hash, 0, 0).probe, hash)) !== undefined;
}

/** Drops the in-memory indexes (the disk cache stays); for memory pressure and for tests. */
export function clearProbeMemory(): void {
  known.clear();
}
