/**
 * The frame list of a sample as a view needs it: frame-list samples read their images'
 * sizes; video samples go through the video layer (lazy extraction) when one is wired.
 * Every path is checked against the allowed roots; URIs come from the host's mapper.
 */
import { dirname } from 'node:path';
import type { CancelSignal, FrameInfo, SampleFields } from '../core/model';
import type { FrameRef, MediaSnapshot } from '../protocol/snapshot';
import { readImageHeader } from '../video/imageHeader';
import { MediaPathError, realRoots, resolveExistingMedia } from '../video/mediaPath';

/** One frame of a video sample's list, as the video layer describes it before extraction. */
export interface VideoFrameEntry extends FrameInfo {
  readonly thumbPath?: string;
}

/** The video layer as the editor sees it (an adapter over src/video's VideoFrameProvider). */
export interface VideoFrames {
  /** The sampled frame list, sizes known, decoding nothing. */
  frameList(
    fields: SampleFields,
    datasetDir: string,
    signal?: CancelSignal,
  ): Promise<readonly VideoFrameEntry[]>;
  /** Extracts frame `index` (if needed); resolves with its JPEG path. */
  ensureFrame(
    fields: SampleFields,
    datasetDir: string,
    index: number,
    priority: 'now' | 'soon',
    signal?: CancelSignal,
  ): Promise<string>;
  /** Sharpness scores by list index (undefined where not decoded yet). */
  sharpness(
    fields: SampleFields,
    datasetDir: string,
    signal?: CancelSignal,
  ): Promise<readonly (number | undefined)[]>;
  /** True when the JPEG of this entry is already on disk. */
  isReady(entry: VideoFrameEntry): Promise<boolean>;
  /** Folders the extracted images live in (added to the allowed roots). */
  readonly cacheDirs: readonly string[];
  /** The VP9/WebM watching copy of the video at `videoPath` (made once, in the cache). */
  proxy?(videoPath: string, signal?: CancelSignal): Promise<string>;
  /** Why the video has fewer frames than its header says (a truncated file), if it has. */
  truncation?(
    fields: SampleFields,
    datasetDir: string,
    signal?: CancelSignal,
  ): Promise<string | undefined>;
}

/** Where the media of samples comes from, as the session uses it. */
export interface MediaSource {
  /** The media snapshot of a sample (never throws: problems go into `error`). */
  sampleMedia(fields: SampleFields, signal?: CancelSignal): Promise<MediaSnapshot>;
  /** Frame `index` of a video sample, extracted now; throws with a readable message. */
  ensureFrame(
    fields: SampleFields,
    index: number,
    priority: 'now' | 'soon',
    signal?: CancelSignal,
  ): Promise<FrameRef>;
  /** The folders views may load media from (realpath'd), for a webview's or server's check. */
  roots(): Promise<readonly string[]>;
  /** The URI of a video sample's VP9 watching copy, for a player without its codec. */
  videoProxy?(fields: SampleFields, signal?: CancelSignal): Promise<string>;
}

/** Options of the local media source. */
export interface LocalMediaOptions {
  readonly datasetPath: string;
  /** Workspace folders and configured media roots. */
  readonly roots: readonly string[];
  /** Turns an absolute file path into a URI the view can load. */
  readonly toUri: (absPath: string) => string;
  readonly video?: VideoFrames;
}

/** Media of samples read from the local disk. */
export class LocalMedia implements MediaSource {
  private readonly sizes = new Map<string, Promise<readonly [number, number] | undefined>>();
  private rootsReady: Promise<string[]> | undefined;

  constructor(private readonly opts: LocalMediaOptions) {}

  /** The allowed roots, realpath'd (the cache dirs of the video layer included). */
  roots(): Promise<string[]> {
    this.rootsReady ??= realRoots([...this.opts.roots, ...(this.opts.video?.cacheDirs ?? [])]);
    return this.rootsReady;
  }

  async sampleMedia(fields: SampleFields, signal?: CancelSignal): Promise<MediaSnapshot> {
    const dir = dirname(this.opts.datasetPath);
    const roots = await this.roots();
    if (fields.frames && fields.frames.length > 0) {
      const problems: string[] = [];
      const frames = await Promise.all(
        fields.frames.map(async (rel, index): Promise<FrameRef> => {
          try {
            const abs = await resolveExistingMedia(dir, rel, roots);
            const size = await this.size(abs);
            if (!size) problems.push(`${rel}: not a JPEG or PNG image`);
            return {
              index,
              uri: this.opts.toUri(abs),
              width: size?.[0] ?? 0,
              height: size?.[1] ?? 0,
            };
          } catch (e) {
            problems.push(e instanceof MediaPathError ? e.message : `${rel}: ${String(e)}`);
            return { index, width: 0, height: 0 };
          }
        }),
      );
      return problems.length
        ? { kind: 'frames', frames, error: summarise(problems, fields.frames.length) }
        : { kind: 'frames', frames };
    }
    if (fields.video) {
      let videoPath: string;
      try {
        videoPath = await resolveExistingMedia(dir, fields.video, roots);
      } catch (e) {
        return { kind: 'video', frames: [], error: e instanceof Error ? e.message : String(e) };
      }
      const video = this.opts.video;
      if (!video)
        return {
          kind: 'video',
          frames: [],
          error: `${fields.video}: frames need the video layer, which is not available in this build`,
        };
      try {
        const list = await video.frameList(fields, dir, signal);
        const [ready, sharp, truncated] = await Promise.all([
          Promise.all(list.map((f) => video.isReady(f))),
          video.sharpness(fields, dir, signal).catch(() => []),
          // A warning only: the frames that decode are still shown.
          video.truncation?.(fields, dir, signal).catch(() => undefined),
        ]);
        return {
          kind: 'video',
          lazy: true,
          ...(truncated ? { warning: truncated } : {}),
          // The player's clip travels like the frames: through the host's URI mapper.
          videoUri: this.opts.toUri(videoPath),
          frames: list.map((f, i) =>
            this.videoRef(f, ready[i] === true, ready[i] ? f.thumbPath : undefined, sharp[i]),
          ),
        };
      } catch (e) {
        return {
          kind: 'video',
          frames: [],
          error: `${fields.video}: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    }
    return { kind: 'none', frames: [], error: 'this sample has neither "frames" nor "video"' };
  }

  async ensureFrame(
    fields: SampleFields,
    index: number,
    priority: 'now' | 'soon',
    signal?: CancelSignal,
  ): Promise<FrameRef> {
    const dir = dirname(this.opts.datasetPath);
    if (fields.frames) {
      const m = await this.sampleMedia(fields, signal);
      const f = m.frames[index];
      if (!f) throw new Error(`sample "${fields.id}" has no frame ${index}`);
      return f;
    }
    if (!fields.video) throw new Error(`sample "${fields.id}" has no media`);
    if (!this.opts.video)
      throw new Error('frames need the video layer, which is not available in this build');
    await resolveExistingMedia(dir, fields.video, await this.roots());
    const video = this.opts.video;
    await video.ensureFrame(fields, dir, index, priority, signal);
    const f = (await video.frameList(fields, dir, signal))[index];
    if (!f) throw new Error(`sample "${fields.id}" has no frame ${index}`);
    return this.videoRef(f, true, f.thumbPath);
  }

  async videoProxy(fields: SampleFields, signal?: CancelSignal): Promise<string> {
    const video = this.opts.video;
    if (!fields.video) throw new Error(`sample "${fields.id}" has no video`);
    if (!video?.proxy) throw new Error('a VP9 copy needs ffmpeg, which is not available here');
    const abs = await resolveExistingMedia(
      dirname(this.opts.datasetPath),
      fields.video,
      await this.roots(),
    );
    // The copy lives in the video cache, one of the roots: it travels like the frames.
    return this.opts.toUri(await video.proxy(abs, signal));
  }

  private videoRef(f: FrameInfo, ready: boolean, thumbPath?: string, sharpness?: number): FrameRef {
    const ref: FrameRef = {
      index: f.index,
      width: f.width,
      height: f.height,
      time: f.time,
      sourceFrame: f.sourceFrame,
      sharpness,
    };
    return {
      ...ref,
      ...(ready ? { uri: this.opts.toUri(f.path) } : {}),
      ...(thumbPath ? { thumbUri: this.opts.toUri(thumbPath) } : {}),
    };
  }

  private size(abs: string): Promise<readonly [number, number] | undefined> {
    let p = this.sizes.get(abs);
    if (!p) {
      // The video layer's header reader applies EXIF orientation: sizes are as displayed.
      p = readImageHeader(abs).then(
        (h) => [h.width, h.height] as const,
        () => undefined,
      );
      this.sizes.set(abs, p);
    }
    return p;
  }
}

function summarise(problems: readonly string[], total: number): string {
  const head = problems.slice(0, 3).join('; ');
  return problems.length > 3
    ? `${problems.length} of ${total} frames unavailable: ${head}; …`
    : head;
}
