/** The knobs of the video layer, their defaults, and their resolution to concrete values. */
import { resolveBinaries } from './ffmpegBinaries';
import type { SpawnFn } from './processRunner';
import { defaultCacheDir } from './videoCache';
import { VideoError } from './videoError';

/** Options every entry point of the video layer accepts; all optional. */
export interface VideoSettings {
  /** Explicit ffmpeg/ffprobe paths (the settings); else PATH, else the npm binaries. */
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  /** Cache folder; default `$GROUNDWORK_CACHE_DIR` or `~/.cache/groundwork`. */
  readonly cacheDir?: string;
  /** JPEG quality as ffmpeg's `-q:v`, 2 (best) to 31; default 3. */
  readonly quality?: number;
  /** Filmstrip thumbnail width in pixels; default 160. */
  readonly thumbWidth?: number;
  /** Most ffmpeg processes at once; default 2. */
  readonly concurrency?: number;
  /** Folders media paths must resolve inside; undefined = no check (the CLI's own files). */
  readonly mediaRoots?: readonly string[];
  /** Spawn seam for tests (counting or inspecting processes). */
  readonly spawnFn?: SpawnFn;
}

/** VideoSettings with every default filled in and both binaries found. */
export interface ResolvedVideoSettings {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  readonly cacheDir: string;
  readonly quality: number;
  readonly thumbWidth: number;
  readonly concurrency: number;
  readonly mediaRoots?: readonly string[];
  readonly spawnFn?: SpawnFn;
}

/** Fills defaults, checks ranges and finds the binaries (throws a VideoError if absent). */
export function resolveVideoSettings(s: VideoSettings = {}): ResolvedVideoSettings {
  const quality = s.quality ?? 3;
  if (!Number.isInteger(quality) || quality < 2 || quality > 31)
    throw new VideoError(
      'bad-request',
      `JPEG quality must be an integer from 2 (best) to 31, got ${String(quality)}`,
    );
  const thumbWidth = s.thumbWidth ?? 160;
  if (!Number.isInteger(thumbWidth) || thumbWidth < 16 || thumbWidth > 1024)
    throw new VideoError(
      'bad-request',
      `thumbnail width must be an integer from 16 to 1024, got ${String(thumbWidth)}`,
    );
  const bins = resolveBinaries({
    ...(s.ffmpegPath ? { ffmpegPath: s.ffmpegPath } : {}),
    ...(s.ffprobePath ? { ffprobePath: s.ffprobePath } : {}),
  });
  return {
    ffmpegPath: bins.ffmpeg.path,
    ffprobePath: bins.ffprobe.path,
    cacheDir: s.cacheDir ?? defaultCacheDir(),
    quality,
    thumbWidth,
    concurrency: Math.max(1, Math.floor(s.concurrency ?? 2)),
    ...(s.mediaRoots ? { mediaRoots: s.mediaRoots } : {}),
    ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
  };
}
