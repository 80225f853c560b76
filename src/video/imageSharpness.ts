/**
 * Sharpness of a frame-list image (the same measure as for sampled video frames), so frame
 * suggestion can rank both kinds of sample alike. Cached by the image's content hash.
 */
import { cachedContentHash } from './contentHash';
import { orientationFilter, readImageHeader } from './imageHeader';
import { runToEnd } from './processRunner';
import type { SpawnFn } from './processRunner';
import { laplacianVariance, sharpnessSize } from './sharpness';
import { loadSharpness, saveSharpness } from './sharpnessStore';
import { videoCachePaths } from './videoCache';
import { VideoError, ffmpegReason } from './videoError';

/** What scoring an image needs. */
export interface ImageSharpnessOptions {
  readonly ffmpegPath: string;
  readonly cacheDir: string;
  readonly spawnFn?: SpawnFn;
  readonly signal?: AbortSignal;
}

/** The sharpness score of one image: from the cache, or one small ffmpeg decode to grey. */
export async function imageSharpness(path: string, opts: ImageSharpnessOptions): Promise<number> {
  const hash = await cachedContentHash(path);
  const file = videoCachePaths(opts.cacheDir, hash, 0, 0).sharpness;
  const scores = await loadSharpness(file);
  const hit = scores.get(0);
  if (hit !== undefined) return hit;
  const header = await readImageHeader(path);
  const g = sharpnessSize(header.width, header.height);
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-noautorotate',
    '-i',
    path,
    '-frames:v',
    '1',
    '-vf',
    `${orientationFilter(header.orientation)},scale=${g.width}:${g.height}:flags=area,format=gray`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ];
  const r = await runToEnd(opts.ffmpegPath, args, {
    what: `scoring ${path}`,
    timeoutMs: 60_000,
    ...(opts.spawnFn ? { spawnFn: opts.spawnFn } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (r.code !== 0 || r.stdout.length !== g.width * g.height)
    throw new VideoError(
      'unreadable',
      `Cannot decode image ${path}: ${ffmpegReason(r.stderr, path)}`,
      path,
    );
  const score = laplacianVariance(r.stdout, g.width, g.height);
  scores.set(0, score);
  await saveSharpness(file);
  return score;
}
