/**
 * Detector findings (detections and sharpness) per video frame, shared by every sample on
 * the same media: two samples cut from one video each waited for the detector over the same
 * frames when findings were kept per sample id (issue 13). A frame is known by its image in
 * the frame cache (`FrameInfo.path`: the cached JPEG of one source frame of one video's
 * content, or the image file of a frame list) and the size it was decoded at, since the
 * sharpness depends on that size.
 */
import { dirname } from 'node:path';
import { DEFAULT_FPS } from '../core/model';
import type { SampleFields } from '../core/model';
import type { FrameFindings } from '../core/suggest/frameFindings';
import { decodeSampleFrames } from '../inference/frameSource';
import type { DecodedFrame } from '../inference/frameSource';
import type { VideoFrameProvider } from '../video/videoFrameProvider';

/** Frames kept (a few hundred bytes each: boxes and a number); the oldest go first. */
const MAX_FRAMES = 20_000;

/** Findings by frame, least recently used dropped past a bound. */
export class FindingsCache {
  private readonly byFrame = new Map<string, FrameFindings>();

  constructor(private readonly maxFrames = MAX_FRAMES) {}

  /** How many frames are known. */
  get size(): number {
    return this.byFrame.size;
  }

  /** The findings of one frame, if known (and marks them recently used). */
  get(key: string): FrameFindings | undefined {
    const found = this.byFrame.get(key);
    if (found) {
      this.byFrame.delete(key);
      this.byFrame.set(key, found);
    }
    return found;
  }

  /** Remembers one frame's findings. */
  set(key: string, findings: FrameFindings): void {
    this.byFrame.delete(key);
    this.byFrame.set(key, findings);
    while (this.byFrame.size > this.maxFrames)
      this.byFrame.delete(this.byFrame.keys().next().value as string);
  }
}

/**
 * The worker's key of sampled frame `frame` of a sample's media, for the embedding cache: the
 * same video at the same rate (or the same image) is the same key whichever sample shows it,
 * so a second sample on a video reuses the embeddings of the first. Relative paths name one
 * file within a dataset, and a worker serves one dataset.
 */
export function mediaFrameKey(fields: SampleFields, frame: number): string {
  if (fields.video !== undefined)
    return `video:${fields.video}@${fields.fps ?? DEFAULT_FPS}#${frame}`;
  const image = fields.frames?.[frame];
  return image !== undefined ? `image:${image}` : `sample:${fields.id}#${frame}`;
}

/** The cache key of a frame decoded at `decodeSize` (undefined: full size). */
export function frameFindingsKey(framePath: string, decodeSize: number | undefined): string {
  return `${decodeSize ?? 'full'}\u0000${framePath}`;
}

/** What {@link sampleFindings} needs: the frames, the detector, where to look, and when to stop. */
export interface SampleFindingsInput {
  readonly cache: FindingsCache;
  readonly provider: VideoFrameProvider;
  readonly fields: SampleFields;
  readonly datasetPath: string;
  readonly decodeSize: number | undefined;
  /** Runs the detector on one decoded frame and turns it into findings. */
  readonly detect: (frame: DecodedFrame) => Promise<FrameFindings>;
  readonly signal?: AbortSignal;
}

/**
 * Findings for every sampled frame of a sample: from the cache when all are known (no decode,
 * no detector), else one decode pass that runs the detector only on frames not known yet.
 */
export async function sampleFindings(input: SampleFindingsInput): Promise<FrameFindings[]> {
  const { cache, provider, fields, signal } = input;
  const list = await provider.frameList(fields, dirname(input.datasetPath), signal);
  const keys = list.map((f) => frameFindingsKey(f.path, input.decodeSize));
  const out = keys.map((key) => cache.get(key));
  if (out.every((f): f is FrameFindings => f !== undefined)) return out;
  await decodeSampleFrames(
    provider,
    fields,
    input.datasetPath,
    async (frame) => {
      if (out[frame.index]) return;
      const found = await input.detect(frame);
      out[frame.index] = found;
      const key = keys[frame.index];
      if (key !== undefined) cache.set(key, found);
    },
    signal,
    input.decodeSize,
  );
  // A frame the pass never delivered (a truncated video) stays a hole, as the ranking expects.
  const found: FrameFindings[] = [];
  out.forEach((f, index) => {
    if (f) found[index] = f;
  });
  return found;
}
