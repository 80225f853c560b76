/**
 * Frame-list samples (`"frames": [...]`, images used as they are): their frame list with
 * sizes read from the image headers (remembered per file until its mtime changes), and
 * their sharpness scores. Video samples go through the decoder and cache instead
 * (videoFrameProvider.ts).
 */
import { stat } from 'node:fs/promises';
import type { FrameInfo, SampleFields } from '../core/model';
import { readImageHeader } from './imageHeader';
import type { ImageHeader } from './imageHeader';
import { imageSharpness } from './imageSharpness';
import type { ResolvedVideoSettings } from './videoSettings';
import { VideoError } from './videoError';

/** A frame of a sample's list as the editor needs it; `path` may not exist until ensured. */
export interface SampledFrame extends FrameInfo {
  /** Filmstrip thumbnail (video samples; frame-list samples use `path`). */
  readonly thumbPath: string;
}

/** The frame lists and scores of frame-list samples, for one provider's settings. */
export class ImageListFrames {
  private readonly headers = new Map<string, { mtime: number; header: Promise<ImageHeader> }>();

  constructor(private readonly settings: ResolvedVideoSettings) {}

  /** The sample's images in order, with their sizes; `resolvePath` applies the media roots. */
  async list(sample: SampleFields, resolvePath: (rel: string) => string): Promise<SampledFrame[]> {
    const frames = sample.frames ?? [];
    if (frames.length === 0)
      throw new VideoError('bad-request', `sample "${sample.id}" has an empty "frames" list`);
    return Promise.all(
      frames.map(async (rel, index) => {
        const path = resolvePath(rel);
        const h = await this.header(path);
        return { index, path, thumbPath: path, width: h.width, height: h.height };
      }),
    );
  }

  /** Sharpness of each image: one small decode each, then cached by content. */
  async sharpness(
    list: readonly SampledFrame[],
    signal?: AbortSignal,
  ): Promise<(number | undefined)[]> {
    const s = this.settings;
    const out: (number | undefined)[] = [];
    // One at a time: each is an ffmpeg start, and the editor shows the list meanwhile.
    for (const f of list)
      out.push(
        await imageSharpness(f.path, {
          ffmpegPath: s.ffmpegPath,
          cacheDir: s.cacheDir,
          ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
          ...(signal ? { signal } : {}),
        }),
      );
    return out;
  }

  private async header(path: string): Promise<ImageHeader> {
    const mtime = await stat(path).then(
      (s) => s.mtimeMs,
      () => -1,
    );
    const hit = this.headers.get(path);
    if (hit && hit.mtime === mtime) return hit.header;
    const header = readImageHeader(path);
    this.headers.set(path, { mtime, header });
    header.catch(() => this.headers.delete(path));
    return header;
  }
}
