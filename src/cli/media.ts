/** The CLI's link to the video layer: frame providers and frame counts for video samples. */
import { dirname } from 'node:path';
import type { FrameProvider } from '../core/model';
import type { VideoFrameCounter } from '../io/mediaFacts';
import { VideoFrameProvider } from '../video/videoFrameProvider';

/** A frame counter backed by the video layer's probe index (no decoding). */
export function videoFrameCounter(provider = new VideoFrameProvider()): VideoFrameCounter {
  return async (absPath, fps) =>
    (
      await provider.frameList(
        { id: absPath, video: absPath, fps, reasoning: '' },
        dirname(absPath),
      )
    ).length;
}

/** The frame provider for export, limited to the media roots. */
export function frameProvider(roots: readonly string[]): FrameProvider {
  return new VideoFrameProvider({ mediaRoots: [...roots] });
}
