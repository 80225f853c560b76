/**
 * Adapts the video layer's VideoFrameProvider to the editor's VideoFrames seam: priorities
 * mapped (the frame on screen is `visible`, its neighbours `near`), readiness by a stat.
 */
import { access } from 'node:fs/promises';
import type { CancelSignal, SampleFields } from '../core/model';
import { VideoFrameProvider } from '../video/videoFrameProvider';
import { videoProxy } from '../video/videoProxy';
import type { VideoSettings } from '../video/videoSettings';
import type { VideoFrameEntry, VideoFrames } from './sampleMedia';

function abortSignal(signal?: CancelSignal): AbortSignal | undefined {
  if (!signal) return undefined;
  const c = new AbortController();
  if (signal.aborted) c.abort();
  else signal.addEventListener('abort', () => c.abort());
  return c.signal;
}

/** Makes the video seam from settings; undefined (with the reason) when ffmpeg is missing. */
export function createVideoFrames(settings: VideoSettings): {
  video?: VideoFrames;
  provider?: VideoFrameProvider;
  problem?: string;
} {
  let provider: VideoFrameProvider;
  try {
    provider = new VideoFrameProvider(settings);
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
  const video: VideoFrames = {
    cacheDirs: [provider.resolvedSettings.cacheDir],
    frameList: (fields: SampleFields, dir: string, signal?: CancelSignal) =>
      provider.frameList(fields, dir, abortSignal(signal)),
    async ensureFrame(fields, dir, index, priority, signal) {
      const s = abortSignal(signal);
      return provider.ensureFrame(fields, dir, index, {
        priority: priority === 'now' ? 'visible' : 'near',
        ...(s ? { signal: s } : {}),
      });
    },
    sharpness: (fields, dir, signal) => provider.sharpness(fields, dir, abortSignal(signal)),
    truncation: async (fields, dir, signal) =>
      (await provider.truncation(fields, dir, abortSignal(signal)))?.message,
    proxy: (videoPath, signal) => {
      const s = abortSignal(signal);
      const { ffmpegPath, cacheDir } = provider.resolvedSettings;
      return videoProxy({ ffmpegPath, cacheDir, video: videoPath, ...(s ? { signal: s } : {}) });
    },
    isReady: (entry: VideoFrameEntry) =>
      access(entry.path).then(
        () => true,
        () => false,
      ),
  };
  return { video, provider };
}
