/** The CLI's link to the video layer: frame providers and frame counts for video samples. */
import type { FrameProvider } from '../core/model';
import type { VideoFrameCounter } from '../io/mediaFacts';

/** A frame counter backed by the video layer's probe index. */
export async function videoFrameCounter(): Promise<VideoFrameCounter | undefined> {
  return undefined;
}

/** The frame provider for export and prelabel (video layer; frame lists read from disk). */
export async function frameProvider(_roots: readonly string[]): Promise<FrameProvider> {
  return {
    async frames() {
      throw new Error('frames need the video layer (src/video), which is not available in this build');
    },
  };
}
