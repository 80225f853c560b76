/**
 * How one video's frames get decoded for the scheduler: the frame on screen from the seek
 * decoder kept open on the video (seekDecoder.ts), else from a warm standby ffmpeg
 * (standbyDecoder.ts: for an ffmpeg without the zmq filter), anything else by an ordinary
 * cache pass; neighbour passes at low OS priority.
 */
import { cacheOutputs, fillFrameCache, openFrameStore } from './cachePass';
import type { CachePassOptions } from './cachePass';
import type { SchedulerVideo } from './frameScheduler';
import type { ProbeIndex } from './probeParse';
import { SeekDecoder } from './seekDecoder';
import { StandbyDecoder } from './standbyDecoder';
import type { ResolvedVideoSettings } from './videoSettings';

/** What the jobs of one provider share: the decoders of the video on screen. */
export class VideoJobs {
  /** The foreground decoders of the video whose frame was last asked for on screen. */
  private onScreen:
    { seek?: SeekDecoder; near?: SeekDecoder; standby?: StandbyDecoder } | undefined;

  constructor(private readonly settings: ResolvedVideoSettings) {}

  /**
   * The scheduler's handle on `path`; `emit` hears of every frame that lands in the cache;
   * `sampled` lists the source frames the samples open on it show (the seek decoder's).
   */
  create(
    path: string,
    index: ProbeIndex,
    emit: (sourceFrame: number) => void,
    sampled: () => Iterable<number> = () => [],
  ): SchedulerVideo {
    const s = this.settings;
    const pass: Omit<CachePassOptions, 'signal'> = {
      ffmpegPath: s.ffmpegPath,
      cacheDir: s.cacheDir,
      quality: s.quality,
      thumbWidth: s.thumbWidth,
      ...(s.spawnFn ? { spawnFn: s.spawnFn } : {}),
    };
    // A spawn seam means a test's fake ffmpeg: it speaks passes, not the warm decoder's pipe.
    const outputs = cacheOutputs(index.width, index.height, s.quality, s.thumbWidth);
    const opts = { ffmpegPath: s.ffmpegPath, input: path, index, outputs };
    const decoders: { seek?: SeekDecoder; near?: SeekDecoder; standby?: StandbyDecoder } = s.spawnFn
      ? {}
      : {
          seek: new SeekDecoder({ ...opts, frames: sampled }),
          // The filmstrip asks frame by frame, in order: one decoder reading on serves it.
          near: new SeekDecoder({ ...opts, frames: sampled, lowPriority: true }),
          standby: new StandbyDecoder(opts),
        };
    const { seek, near, standby } = decoders;
    const put = async (f: number, parts: readonly Buffer[]): Promise<void> => {
      const store = await openFrameStore(index, pass);
      try {
        await store.put(f, parts);
      } finally {
        await store.close();
      }
    };
    return {
      id: `${index.hash}/q${s.quality}/t${s.thumbWidth}`,
      run: async (frames, signal, onFrame, priority) => {
        const report = (f: number): void => {
          onFrame(f);
          emit(f);
        };
        const only = frames.length === 1 ? (frames[0] as number) : undefined;
        // Frames a seek decoder decodes past the wanted one (parking ahead) are cached too.
        const sink = async (f: number, parts: readonly Buffer[]): Promise<void> => {
          await put(f, parts);
          report(f);
        };
        if (priority === 'near' && only !== undefined && this.onScreen === decoders)
          if (near?.usable && (await near.take(only, signal, sink))) return;
        if (priority === 'visible' && only !== undefined) {
          // Decoders only for the video on screen: switching samples must not pile them up.
          if (this.onScreen !== decoders) {
            this.onScreen?.seek?.close();
            this.onScreen?.near?.close();
            this.onScreen?.standby?.close();
          }
          this.onScreen = decoders;
          if (seek?.usable && (await seek.take(only, signal, sink))) return;
          const parts = standby?.usable ? await standby.take(only, signal) : undefined;
          if (parts) {
            await put(only, parts);
            report(only);
            return;
          }
        }
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
          },
          report,
        );
      },
    };
  }
}
