/** The CLI's link to the video layer: frame providers and frame counts for video samples. */
import { dirname } from 'node:path';
import type { FrameProvider } from '../core/model';
import type { VideoFrameCounter } from '../io/mediaFacts';
import { VideoFrameProvider } from '../video/videoFrameProvider';

/** A frame counter backed by the video layer's probe index (no decoding). */
export async function videoFrameCounter(provider = new VideoFrameProvider()): Promise<VideoFrameCounter> {
  return async (absPath, fps) => (await provider.frameList({ id: absPath, video: absPath, fps, reasoning: '' }, dirname(absPath))).length;
}

/** The frame provider for export and prelabel, limited to the media roots. */
export async function frameProvider(roots: readonly string[]): Promise<FrameProvider> {
  return new VideoFrameProvider({ mediaRoots: [...roots] });
}
