/**
 * How one video's frames get decoded for the scheduler: the frame on screen from a warm
 * foreground decoder (standbyDecoder.ts) when one is ready, anything else by an ordinary
 * cache pass; neighbour passes at low OS priority; a cold extraction takes the ffmpeg that
 * was started beside its probe (warmPass.ts).
 */
import { cacheOutputs, fillFrameCache, openFrameStore } from './cachePass';
import type { CachePassOptions } from './cachePass';
import type { SchedulerVideo } from './frameScheduler';
import type { ProbeIndex } from './probeParse';
import { StandbyDecoder } from './standbyDecoder';
import type { ResolvedVideoSettings } from './videoSettings';
import type { WarmPass } from './warmPass';

/** What the jobs of one provider share: early ffmpegs by path, the video on screen. */
export class VideoJobs {
  /** ffmpeg processes started beside a cold probe, by video path, for the first pass to take. */
  readonly warmPasses = new Map<string, WarmPass>();
  /** The warm foreground decoders of the video whose frame was last asked for on screen. */
  private onScreen: StandbyDecoder | undefined;

  constructor(private readonly settings: ResolvedVideoSettings) {}

  /** The scheduler's handle on `path`; `emit` hears of every frame that lands in the cache. */
  create(path: string, index: ProbeIndex, emit: (sourceFrame: number) => void): SchedulerVideo {
    const s = this.settings;
    const pass: Omit<CachePassOptions, 'signal'> = {
      ffmpegPath: s.ffmpegPath,
      cacheDir: s.cacheDir,
      quality: s.quality,
      thumbWidth: s.thumbWidth,
      ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    };
    // A spawn seam means a test's fake ffmpeg: it speaks passes, not the warm decoder's pipe.
    const standby = s.spawnFn
      ? undefined
      : new StandbyDecoder({
          ffmpegPath: s.ffmpegPath,
          input: path,
          index,
          outputs: cacheOutputs(index.width, index.height, s.quality, s.thumbWidth),
        });
    return {
      id: `${index.hash}/q${s.quality}/t${s.thumbWidth}`,
      run: async (frames, signal, onFrame, priority) => {
        const report = (f: number): void => {
          onFrame(f);
          emit(f);
        };
        const only = frames.length === 1 ? (frames[0] as number) : undefined;
        if (priority === 'visible' && only !== undefined && standby?.usable) {
          // Warm decoders only for the video on screen: switching samples must not pile them up.
          if (this.onScreen !== standby) this.onScreen?.close();
          this.onScreen = standby;
          const parts = await standby.take(only, signal);
          if (parts) {
            const store = await openFrameStore(index, pass);
            try {
              await store.put(only, parts);
            } finally {
              await store.close();
            }
            report(only);
            return;
          }
        }
        const warm = priority === 'visible' ? undefined : this.warmPasses.get(path);
        if (warm) this.warmPasses.delete(path);
        // Neighbours and the filmstrip yield the cores to the frame on screen; `background`
        // (a command line run, an export) has nobody to yield to and keeps normal priority.
        await fillFrameCache(
          path,
          index,
          frames,
          {
            ...pass,
            signal,
            ...(priority === 'near' ? { lowPriority: true } : {}),
            ...(warm ? { warm } : {}),
          },
          report,
        );
      },
    };
  }
}
