/**
 * The video layer's face to the editor, export and inference: frame lists of video and
 * frame-list samples, lazily decoded JPEGs with priorities, thumbnails and sharpness.
 */
import { access, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_FPS } from '../core/model';
import type { FrameProvider, SampleFields } from '../core/model';
import { coldExtract } from './coldExtract';
import type { ColdExtraction } from './coldExtract';
import { frameTime, sampledSourceFrames } from './frameSampling';
import { FrameScheduler } from './frameScheduler';
import type { FramePriority, SchedulerVideo } from './frameScheduler';
import { ImageListFrames } from './imageListFrames';
import type { SampledFrame } from './imageListFrames';
import { resolveInsideRoots } from './mediaPath';
import { probeIsCached, probeVideo } from './probeIndex';
import type { ProbeIndex } from './probeParse';
import { sourceFrameOf } from './rawFrames';
import type { FrameRef } from './rawFrames';
import { traceSeek } from './seekTrace';
import { loadSharpness } from './sharpnessStore';
import { frameFileName, parseFrameFileName, videoCachePaths } from './videoCache';
import type { VideoCachePaths } from './videoCache';
import { resolveVideoSettings } from './videoSettings';
import type { ResolvedVideoSettings, VideoSettings } from './videoSettings';
import { VideoJobs } from './videoJob';
import { VideoError } from './videoError';
import { truncationOf } from './truncation';
import type { TruncationNotice } from './truncation';

/** Options of a single-frame request. */
export interface EnsureOptions {
  readonly priority?: FramePriority;
  readonly signal?: AbortSignal;
}

interface VideoEntry {
  readonly path: string;
  readonly index: ProbeIndex;
  readonly paths: VideoCachePaths;
  readonly job: SchedulerVideo;
  readonly listeners: Set<(sourceFrame: number) => void>;
  readonly sampled: Map<number, readonly SampledFrame[]>;
}

/** Implements FrameProvider for video samples (decoded, cached) and frame-list samples (as is). */
export class VideoFrameProvider implements FrameProvider {
  private readonly settings: ResolvedVideoSettings;
  private readonly scheduler: FrameScheduler;
  private readonly videos = new Map<string, Promise<VideoEntry>>();
  private readonly images: ImageListFrames;
  private readonly jobs: VideoJobs;

  constructor(settings: VideoSettings = {}) {
    this.settings = resolveVideoSettings(settings);
    this.scheduler = new FrameScheduler(this.settings.concurrency);
    this.jobs = new VideoJobs(this.settings);
    this.images = new ImageListFrames(this.settings);
  }

  /** The resolved settings (binaries, cache folder, quality) this provider runs with. */
  get resolvedSettings(): ResolvedVideoSettings {
    return this.settings;
  }

  /** Absolute path of a sample's media path, checked against the media roots when set. */
  mediaPath(datasetDir: string, relPath: string): string {
    return this.settings.mediaRoots
      ? resolveInsideRoots(datasetDir, relPath, this.settings.mediaRoots)
      : resolve(datasetDir, relPath);
  }

  /** The probe index of a video file (ffprobe once per content, then the cache). */
  async probe(videoPath: string, signal?: AbortSignal): Promise<ProbeIndex> {
    return (await this.video(videoPath, signal)).index;
  }

  /** The frame list with sizes, times and future cache paths, decoding nothing. */
  async frameList(
    sample: SampleFields,
    datasetDir: string,
    signal?: AbortSignal,
  ): Promise<readonly SampledFrame[]> {
    if (sample.video !== undefined && sample.frames !== undefined)
      throw new VideoError(
        'bad-request',
        `sample "${sample.id}" has both "video" and "frames"; keep one`,
      );
    if (sample.frames !== undefined)
      return this.images.list(sample, (rel) => this.mediaPath(datasetDir, rel));
    if (sample.video === undefined)
      throw new VideoError('bad-request', `sample "${sample.id}" has neither "video" nor "frames"`);
    const v = await this.video(this.mediaPath(datasetDir, sample.video), signal);
    return this.sampled(v, sample.fps ?? DEFAULT_FPS);
  }

  /**
   * Whether a video sample's file is cut short (declared span vs what decodes), for
   * `validate`, `frames` and the editor's banner; undefined for whole videos and frame lists.
   */
  async truncation(
    sample: SampleFields,
    datasetDir: string,
    signal?: AbortSignal,
  ): Promise<TruncationNotice | undefined> {
    if (sample.video === undefined || sample.frames !== undefined) return undefined;
    const path = this.mediaPath(datasetDir, sample.video);
    const v = await this.video(path, signal);
    const fps = sample.fps ?? DEFAULT_FPS;
    return truncationOf(v.index, path, { frames: this.sampled(v, fps).length, fps });
  }

  /** FrameProvider: the frame list with every image on disk (decodes what is missing, in one pass). */
  async frames(
    sample: SampleFields,
    datasetDir: string,
    signal?: AbortSignal,
  ): Promise<readonly SampledFrame[]> {
    return this.extractAll(sample, datasetDir, signal ? { signal } : {});
  }

  /** Like `frames`, reporting each frame as it lands (for progress bars). */
  async extractAll(
    sample: SampleFields,
    datasetDir: string,
    opts: { signal?: AbortSignal; onFrame?: (done: number, total: number) => void } = {},
  ): Promise<readonly SampledFrame[]> {
    const cold = await this.coldFirst(sample, datasetDir, opts.signal);
    const list = await this.frameList(sample, datasetDir, opts.signal);
    if (sample.video === undefined) return list;
    const v = await this.video(this.mediaPath(datasetDir, sample.video), opts.signal);
    const wanted = [...new Set(list.map((f) => f.sourceFrame as number))];
    const wantedSet = new Set(wanted);
    let done = 0;
    if (cold) {
      this.scheduler.markDone(v.job, cold.delivered);
      for (const f of cold.delivered) for (const l of v.listeners) l(f);
      done = wanted.filter((f) => cold.delivered.has(f)).length;
      if (done) opts.onFrame?.(done, wanted.length);
    }
    const onFrame = (f: number): void => {
      if (wantedSet.has(f)) opts.onFrame?.(++done, wanted.length);
    };
    v.listeners.add(onFrame);
    try {
      // Whatever the cold pass did not write (or wrote under another name) is done here.
      await this.scheduler.request(v.job, wanted, 'background', opts.signal);
    } finally {
      v.listeners.delete(onFrame);
    }
    return list;
  }

  /**
   * A video nobody has probed: one process decodes its sampled frames and lists its packets,
   * and the listing is its probe index (coldExtract.ts). Not with a spawn seam: a test's fake
   * ffmpeg speaks ordinary passes only.
   */
  private async coldFirst(
    sample: SampleFields,
    datasetDir: string,
    signal?: AbortSignal,
  ): Promise<ColdExtraction | undefined> {
    const s = this.settings;
    if (sample.video === undefined || sample.frames !== undefined || s.spawnFn) return undefined;
    const path = this.mediaPath(datasetDir, sample.video);
    if (await probeIsCached(path, s.cacheDir)) return undefined;
    return coldExtract(s, path, sample.fps ?? DEFAULT_FPS, signal);
  }

  /** The JPEG of frame `index` of the sample's list, decoding it first if needed. */
  async ensureFrame(
    sample: SampleFields,
    datasetDir: string,
    index: number,
    opts: EnsureOptions = {},
  ): Promise<string> {
    const list = await this.frameList(sample, datasetDir, opts.signal);
    const f = list[index];
    if (!f)
      throw new VideoError(
        'bad-request',
        `sample "${sample.id}" has no frame ${index} (it has ${list.length})`,
      );
    if (sample.video === undefined) return f.path;
    const v = await this.video(this.mediaPath(datasetDir, sample.video), opts.signal);
    if (opts.priority === 'visible') traceSeek('asked', f.sourceFrame as number);
    await this.ensureOne(v, f.sourceFrame as number, f.path, opts);
    if (opts.priority === 'visible') traceSeek('ensured', f.sourceFrame as number);
    return f.path;
  }

  /** The filmstrip thumbnail of frame `index` (made by the same pass as the JPEG). */
  async ensureThumbnail(
    sample: SampleFields,
    datasetDir: string,
    index: number,
    opts: EnsureOptions = {},
  ): Promise<string> {
    await this.ensureFrame(sample, datasetDir, index, { priority: 'near', ...opts });
    return (await this.frameList(sample, datasetDir, opts.signal))[index]?.thumbPath as string;
  }

  /**
   * Queues the frames a user is about to see: `around` now, its neighbours next, then the
   * rest of the list in one background pass. Resolves when all are cached.
   */
  async prefetch(
    sample: SampleFields,
    datasetDir: string,
    around: number,
    signal?: AbortSignal,
    neighbours = 3,
  ): Promise<void> {
    const list = await this.frameList(sample, datasetDir, signal);
    if (sample.video === undefined) return;
    const v = await this.video(this.mediaPath(datasetDir, sample.video), signal);
    const src = (i: number): number | undefined => list[i]?.sourceFrame;
    const near: number[] = [];
    for (let d = 1; d <= neighbours; d++)
      for (const i of [around + d, around - d]) {
        const s = src(i);
        if (s !== undefined) near.push(s);
      }
    const first = src(around);
    await Promise.all([
      first === undefined
        ? Promise.resolve()
        : this.scheduler.request(v.job, [first], 'visible', signal),
      this.scheduler.request(v.job, near, 'near', signal),
      this.scheduler.request(
        v.job,
        list.map((f) => f.sourceFrame as number),
        'background',
        signal,
      ),
    ]);
  }

  /**
   * Sharpness scores by list index. Video frames: undefined until decoded (scores come with
   * the JPEGs). Frame-list images: scored now, one small decode each, then cached.
   */
  async sharpness(
    sample: SampleFields,
    datasetDir: string,
    signal?: AbortSignal,
  ): Promise<(number | undefined)[]> {
    const list = await this.frameList(sample, datasetDir, signal);
    if (sample.video === undefined) return this.images.sharpness(list, signal);
    const v = await this.video(this.mediaPath(datasetDir, sample.video), signal);
    const scores = await loadSharpness(v.paths.sharpness);
    return list.map((f) => scores.get(f.sourceFrame as number));
  }

  /**
   * Any frame of a video (full-rate scrubber) as a cached JPEG, exact by source frame or
   * time. `videoPath` is absolute and already checked (see `mediaPath`).
   */
  async frameAt(
    videoPath: string,
    at: FrameRef,
    opts: EnsureOptions = {},
  ): Promise<{ path: string; sourceFrame: number; time: number }> {
    const v = await this.video(videoPath, opts.signal);
    const sourceFrame = sourceFrameOf(v.index, at, videoPath);
    const path = join(v.paths.jpegDir, frameFileName(sourceFrame));
    await this.ensureOne(v, sourceFrame, path, opts);
    return { path, sourceFrame, time: frameTime(v.index, sourceFrame) };
  }

  /** Requests one frame; a cache file deleted behind our back (a cleared cache) is decoded again. */
  private async ensureOne(
    v: VideoEntry,
    sourceFrame: number,
    path: string,
    opts: EnsureOptions,
  ): Promise<void> {
    await this.scheduler.request(v.job, [sourceFrame], opts.priority ?? 'visible', opts.signal);
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return;
    this.scheduler.forget(v.job, [sourceFrame]);
    await this.scheduler.request(v.job, [sourceFrame], opts.priority ?? 'visible', opts.signal);
  }

  /** The list at `fps`, built once per video: reopening a sample must not cost O(frames). */
  private sampled(v: VideoEntry, fps: number): readonly SampledFrame[] {
    let list = v.sampled.get(fps);
    if (!list) {
      const { width, height } = v.index;
      list = Object.freeze(
        sampledSourceFrames(v.index, fps).map((sourceFrame, index) => ({
          index,
          sourceFrame,
          width,
          height,
          time: frameTime(v.index, sourceFrame),
          path: join(v.paths.jpegDir, frameFileName(sourceFrame)),
          thumbPath: join(v.paths.thumbDir, frameFileName(sourceFrame)),
        })),
      );
      v.sampled.set(fps, list);
    }
    return list;
  }

  private async video(path: string, signal?: AbortSignal): Promise<VideoEntry> {
    const s = this.settings;
    const index = await probeVideo(path, {
      ffprobePath: s.ffprobePath,
      cacheDir: s.cacheDir,
      ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
      ...(signal ? { signal } : {}),
    });
    const key = `${index.hash}\0${path}`;
    let p = this.videos.get(key);
    if (!p) {
      p = this.openVideo(path, index);
      this.videos.set(key, p);
    }
    return p;
  }

  private async openVideo(path: string, index: ProbeIndex): Promise<VideoEntry> {
    const s = this.settings;
    const paths = videoCachePaths(s.cacheDir, index.hash, s.quality, s.thumbWidth);
    const listeners = new Set<(f: number) => void>();
    const sampled = new Map<number, readonly SampledFrame[]>();
    const job = this.jobs.create(
      path,
      index,
      (f) => {
        for (const l of listeners) l(f);
      },
      () => [...sampled.values()].flatMap((list) => list.map((f) => f.sourceFrame as number)),
    );
    // One directory listing per video makes every later "is it cached?" a set lookup.
    const names = await readdir(paths.jpegDir).catch(() => [] as string[]);
    this.scheduler.markDone(
      job,
      names.map(parseFrameFileName).filter((n): n is number => n !== undefined),
    );
    return { path, index, paths, job, listeners, sampled };
  }
}
