/**
 * A cold extraction in one process (issue 13 item 4): the cold pass decodes the sampled
 * frames and lists the packets, and its listing becomes the probe index, so no ffprobe
 * starts (its start-up alone was 0.10-0.16 CPU-s, 8-19% of a short clip's bare
 * extraction). Frame identity stays the probe index's: a listing that looked odd in any way
 * (packetListing.ts) is not used, ffprobe runs as before, and every frame the pass wrote is
 * checked against ffprobe's index; one it named differently is removed from the cache, for
 * an ordinary pass to write again.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openFrameStore } from './cachePass';
import { startColdPass } from './coldPass';
import { cachedContentHash } from './contentHash';
import { sampledSourceFrames } from './frameSampling';
import { checkVideoFile, probeVideo, rememberProbe } from './probeIndex';
import type { ProbeIndex } from './probeParse';
import { frameFileName, videoCachePaths } from './videoCache';
import type { ResolvedVideoSettings } from './videoSettings';

/** The index of a cold video and the sampled frames the one pass left in the cache. */
export interface ColdExtraction {
  readonly index: ProbeIndex;
  readonly delivered: ReadonlySet<number>;
  /** Why ffprobe had to run after all (the listing was not trusted), if it did. */
  readonly probedBecause?: string;
}

/**
 * Runs the one-process cold extraction of `path` at `fps`. Undefined when the file cannot
 * even be hashed (missing, empty, a folder): the ordinary path words that error.
 */
export async function coldExtract(
  settings: ResolvedVideoSettings,
  path: string,
  fps: number,
  signal?: AbortSignal,
): Promise<ColdExtraction | undefined> {
  let hash: string;
  let fileSize: number;
  try {
    fileSize = await checkVideoFile(path);
    hash = await cachedContentHash(path);
  } catch {
    return undefined;
  }
  const pass = startColdPass({
    ffmpegPath: settings.ffmpegPath,
    input: path,
    fps,
    quality: settings.quality,
    thumbWidth: settings.thumbWidth,
    listPackets: true,
    ...(signal ? { signal } : {}),
  });
  let result;
  try {
    result = await pass.finishByListing(
      (size) => openFrameStore({ hash, ...size }, settings),
      () => undefined,
    );
  } catch {
    signal?.throwIfAborted();
    // The pass failed (a file ffmpeg cannot read): ffprobe's error says why, below.
    result = undefined;
  } finally {
    pass.cancel();
  }
  const own = result?.listing.index(path, fileSize);
  let index: ProbeIndex;
  if (own) {
    index = { ...own, hash };
    await rememberProbe(settings.cacheDir, index);
  } else
    index = await probeVideo(path, {
      ffprobePath: settings.ffprobePath,
      cacheDir: settings.cacheDir,
      ...(signal ? { signal } : {}),
    });
  const sampled = new Set(sampledSourceFrames(index, fps));
  const delivered = new Set<number>();
  const paths = videoCachePaths(settings.cacheDir, hash, settings.quality, settings.thumbWidth);
  for (const [frame, pts] of result?.delivered ?? []) {
    if (index.pts[frame] === pts && sampled.has(frame)) delivered.add(frame);
    else
      await Promise.all(
        [paths.jpegDir, paths.thumbDir].map((dir) =>
          rm(join(dir, frameFileName(frame)), { force: true }),
        ),
      );
  }
  const why = result ? result.listing.distrust() : 'the pass failed';
  return { index, delivered, ...(own ? {} : { probedBecause: why ?? 'unknown' }) };
}
