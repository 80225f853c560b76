/**
 * How one video's frames get decoded for the scheduler: the frame on screen from the seek
 * decoder kept open on the video (seekDecoder.ts), else from a warm standby ffmpeg
 * (standbyDecoder.ts: for an ffmpeg without the zmq filter), anything else by an ordinary
 * cache pass; neighbour passes at low OS priority.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheOutputs, fillFrameCache, openFrameStore } from './cachePass';
import type { CachePassOptions, FrameStore } from './cachePass';
import type { SchedulerVideo } from './frameScheduler';
import type { ProbeIndex } from './probeParse';
import { SeekDecoder } from './seekDecoder';
import { holdLowPriority } from './lowPriorityHold';
import { keepRecentFrame } from './recentFrames';
import { traceSeek } from './seekTrace';
import { StandbyDecoder } from './standbyDecoder';
import { frameFileName, videoCachePaths } from './videoCache';
import type { ResolvedVideoSettings } from './videoSettings';

/**
 * How long the page has the cores after the frame on screen is served, to fetch, decode and
 * draw it (30-130 ms after the reply in the seek bench, more on a busy step): the background
 * stays held, the seek decoder rests instead of parking ahead, and the speculative ← decode
 * waits. 250 ms: seek bench p95 215-238 ms in six runs, against 199-283 ms at 150 ms.
 */
const PAGE_DECODE_GRACE_MS = 250;

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
    /**
     * After the frame on screen, the same decoder (normal priority) decodes the sampled frame
     * before it: parking one ahead already has the next one, and a niced neighbour pass on a
     * loaded machine was never done before ← came (every ← step of the seek bench was
     * uncached). Abandoned the moment another frame is wanted on screen.
     */
    const speculateBack = (
      decoder: SeekDecoder,
      shown: number,
      sink: (f: number, parts: readonly Buffer[]) => Promise<void>,
    ): AbortController => {
      const ctl = new AbortController();
      let before = -1;
      for (const f of sampled()) if (f < shown && f > before) before = f;
      if (before < 0) return ctl;
      const path = join(jpegDir, frameFileName(before));
      void (async () => {
        // The page's own fetch and decode of the frame just served come first.
        await new Promise((r) => setTimeout(r, PAGE_DECODE_GRACE_MS));
        const cached = await access(path).then(
          () => true,
          () => false,
        );
        if (!ctl.signal.aborted && !cached) await decoder.take(before, ctl.signal, sink);
      })().catch(() => undefined);
      return ctl;
    };
    // One store for the decoders' frames, opened once (two mkdirs fewer per frame); the
    // sharpness file is saved behind each frame, not before its reply: a save waits for any
    // other save of the file, and that was 20-110 ms of the frame on screen's reply (seek
    // probe, load 8). A score not saved yet is in the shared map, where readers look.
    let store: Promise<FrameStore> | undefined;
    const put = async (f: number, parts: readonly Buffer[]): Promise<void> => {
      let opened = await (store ??= openFrameStore(index, pass));
      try {
        await opened.put(f, parts);
      } catch {
        // A cache folder removed behind our back: open (mkdir) again, once.
        store = openFrameStore(index, pass);
        opened = await store;
        await opened.put(f, parts);
      }
      void opened.close().catch(() => undefined);
    };
    const { jpegDir, thumbDir } = videoCachePaths(s.cacheDir, index.hash, s.quality, s.thumbWidth);
    let speculation: AbortController | undefined;
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
          if (f === only) traceSeek('decoded', f);
          await put(f, parts);
          if (f === only) traceSeek('written', f);
          if (f === only && priority === 'visible') {
            keepRecentFrame(join(jpegDir, frameFileName(f)), parts[0] as Buffer);
            keepRecentFrame(join(thumbDir, frameFileName(f)), parts[1] as Buffer);
          }
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
          traceSeek('job', only);
          speculation?.abort();
          const release = holdLowPriority();
          let served = false;
          try {
            served = !!seek?.usable && (await seek.take(only, signal, sink));
          } finally {
            // Served: the hold lasts while the page fetches and decodes the frame (30-130 ms
            // after the reply in the seek bench, beside the background's decoders otherwise).
            if (served) {
              setTimeout(release, PAGE_DECODE_GRACE_MS).unref?.();
              seek?.rest(PAGE_DECODE_GRACE_MS);
            } else release();
          }
          if (served && seek) {
            speculation = speculateBack(seek, only, sink);
            return;
          }
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
