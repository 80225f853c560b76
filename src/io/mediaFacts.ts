/**
 * What validation needs to know about a sample's media, found with I/O: every path inside
 * the media roots and present, and the length of the frame list (a probe for videos).
 */
import { resolve } from 'node:path';
import type { SampleFields } from '../core/model';
import { DEFAULT_FPS } from '../core/model';
import type { MediaFacts } from '../core/validate';
import { resolveExistingMedia } from '../video/mediaPath';

/** Counts the sampled frames of a video at `fps` (the video layer's probe). */
export type VideoFrameCounter = (absPath: string, fps: number) => Promise<number>;

/** The media roots a CLI run allows: `--media-root` values, else the dataset folder's parent. */
export function defaultMediaRoots(datasetPath: string, extra: readonly string[] = []): string[] {
  return extra.length ? extra.map((r) => resolve(r)) : [resolve(datasetPath, '..', '..')];
}

/** Resolves media facts for one sample; problems become `missing` with a message naming the path. */
export async function mediaFacts(
  sample: SampleFields,
  datasetDir: string,
  roots: readonly string[],
  countVideo?: VideoFrameCounter,
): Promise<MediaFacts> {
  try {
    if (sample.frames) {
      for (const f of sample.frames) await resolveExistingMedia(datasetDir, f, roots);
      return { frameCount: sample.frames.length };
    }
    if (sample.video) {
      const abs = await resolveExistingMedia(datasetDir, sample.video, roots);
      if (!countVideo) return {};
      return { frameCount: await countVideo(abs, sample.fps ?? DEFAULT_FPS) };
    }
    return {};
  } catch (e) {
    // MediaPathError (outside the roots, missing) and the probe's VideoError both name the file.
    return { missing: e instanceof Error ? e.message : String(e) };
  }
}
