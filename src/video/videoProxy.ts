/**
 * The watching copy of a video: a 480p VP9/WebM that every Chromium plays (VS Code's
 * Electron ships without H.264 on some platforms). Made on demand with ffmpeg, once per
 * video content, and kept in the video cache beside the extracted frames. For the player
 * only: the frames that get annotated always come from the original through the probe index.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cachedContentHash } from './contentHash';
import { runToEnd } from './processRunner';
import type { SpawnFn } from './processRunner';
import { VideoError, ffmpegReason } from './videoError';

/** ffmpeg's output options: realtime VP9 (fast, good enough to watch), 480 lines, no sound. */
export const PROXY_ARGS: readonly string[] = [
  '-c:v',
  'libvpx-vp9',
  '-deadline',
  'realtime',
  '-cpu-used',
  '8',
  '-vf',
  'scale=-2:480',
  '-an',
];

/** What a proxy needs: the ffmpeg binary, the cache folder, the video (real path). */
export interface ProxyOptions {
  readonly ffmpegPath: string;
  readonly cacheDir: string;
  readonly video: string;
  readonly signal?: AbortSignal;
  readonly spawnFn?: SpawnFn;
  /** Milliseconds before ffmpeg is stopped (default 30 min: a long clip at realtime speed). */
  readonly timeoutMs?: number;
}

/** Where the proxy of the content `hash` lives in the cache. */
export function proxyPath(cacheDir: string, hash: string): string {
  return join(cacheDir, 'proxy', `${hash}.vp9-480.webm`);
}

// Two views asking at once share one ffmpeg (keyed by the output path).
const running = new Map<string, Promise<string>>();

/** The proxy's path, made now if the cache lacks it; rejects with a readable VideoError. */
export async function videoProxy(o: ProxyOptions): Promise<string> {
  const out = proxyPath(o.cacheDir, await cachedContentHash(o.video));
  const cached = await stat(out).catch(() => undefined);
  if (cached?.isFile() && cached.size > 0) return out;
  let job = running.get(out);
  if (!job) {
    job = encode(o, out).finally(() => running.delete(out));
    running.set(out, job);
  }
  return job;
}

async function encode(o: ProxyOptions, out: string): Promise<string> {
  await mkdir(join(o.cacheDir, 'proxy'), { recursive: true });
  // Written beside its final name and renamed once ffmpeg is done: a cut run leaves no
  // half a file under the name the cache trusts.
  const part = `${out}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    const exit = await runToEnd(
      o.ffmpegPath,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-i',
        o.video,
        ...PROXY_ARGS,
        '-f',
        'webm',
        part,
      ],
      {
        what: `VP9 copy of ${o.video}`,
        lowPriority: true,
        timeoutMs: o.timeoutMs ?? 30 * 60_000,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.spawnFn ? { spawnFn: o.spawnFn } : {}),
      },
    );
    const made = await stat(part).catch(() => undefined);
    if (exit.code !== 0 || !made || made.size === 0)
      throw new VideoError(
        'ffmpeg-failed',
        `ffmpeg could not make a VP9 copy of ${o.video}: ${ffmpegReason(exit.stderr, o.video)}`,
        o.video,
      );
    await rename(part, out);
    return out;
  } finally {
    await rm(part, { force: true });
  }
}
