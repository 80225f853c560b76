/**
 * `prelabel --masks`: after the boxes, a SAM mask for each entity from its box (the
 * grounding's or the proposal's, imported model text included; the detector's best match
 * is the proposal the box pass just wrote), or from an area's points as clicks, then the
 * mask carried over every sampled frame both ways by core's runTrack (the editor's rule).
 * Masks are model proposals (`model:<id>`, with predicted IoU); a person's grounding
 * without a mask and frames a person masked stay as they are. The output file is streamed
 * batch by batch (src/io/lineReader.ts) into an atomic rewrite, so memory stays bounded.
 */
import { dirname } from 'node:path';
import type { DatasetDoc, DocLine } from '../core/dataset';
import { isBlank } from '../core/dataset';
import type { EntityState, Grounding } from '../core/model';
import { OpError, apply } from '../core/ops';
import type { ViewLeafOp } from '../core/ops';
import { decodeRle } from '../core/rle';
import { runTrack, trackPrompt } from '../core/raster/trackRun';
import type { TrackPrompt, TrackStep } from '../core/raster/trackRun';
import type { SampleView } from '../core/sample';
import { isProblem, readSample } from '../core/sample';
import { AtomicTextWriter } from '../io/atomicWriter';
import { openLines, tidyAfterRead } from '../io/lineReader';
import { readImageRgb, readRgbFrame } from '../video/rawFrames';
import type { VideoFrameProvider } from '../video/videoFrameProvider';
import type { InferenceClient } from './client';
import type { SegmentPrompt } from './families/samPrompt';
import type { SegmentedReply } from './messages';

/** What the mask pass asks of the inference worker (a fake in tests). */
export type MaskClient = Pick<InferenceClient, 'loadModel' | 'segment'>;

/** Inputs of the mask pass. */
export interface MaskPassOptions {
  readonly datasetPath: string;
  /** The lines to work on: the whole file, or one streamed batch of it. */
  readonly doc: DatasetDoc;
  /** The lines (0-based, in `doc`) of the samples to mask. */
  readonly lines: readonly number[];
  /** The samples of `lines` already read (same order), so no line is parsed twice. */
  readonly views?: readonly SampleView[];
  /** Index in the file of `doc.lines[0]` (a batch's first line), for messages. */
  readonly lineBase?: number;
  readonly client: MaskClient;
  readonly provider: VideoFrameProvider;
  readonly segmenterId: string;
  readonly signal?: AbortSignal;
  readonly onMask?: (sample: string, entity: string, frames: number) => void;
}

/** What the mask pass did. */
export interface MaskPassReport {
  /** Entities that got a mask track, and the masks written in all. */
  readonly entities: number;
  readonly masks: number;
  readonly skipped: readonly {
    readonly sample: string;
    readonly entity: string;
    readonly reason: string;
  }[];
  readonly errors: readonly {
    readonly sample: string;
    readonly line: number;
    readonly message: string;
  }[];
  readonly seconds: number;
}

/** The SAM prompt of an entity's seed frame, in that frame's pixels, or why there is none. */
function seedPrompt(g: Grounding, width: number, height: number): SegmentPrompt | string {
  const sx = width / g.size[0],
    sy = height / g.size[1];
  const pts = g.points.map(([x, y]) => [x * sx, y * sy] as const);
  if (g.tag === 'object' && pts.length === 2) {
    const [[x1, y1], [x2, y2]] = pts as [readonly [number, number], readonly [number, number]];
    return { box: [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)] };
  }
  if (g.tag === 'area' && pts.length > 0)
    return { clicks: pts.map(([x, y]) => ({ x, y, positive: true })) };
  return `a ${g.tag} grounding gives SAM no box or points`;
}

/** Masks the entities of `o.lines` and tracks them over their sampled frames. */
export async function runMaskPass(
  o: MaskPassOptions,
): Promise<MaskPassReport & { readonly doc: DatasetDoc }> {
  const started = performance.now();
  let doc = o.doc;
  let entities = 0,
    masks = 0;
  const skipped: { sample: string; entity: string; reason: string }[] = [];
  const errors: { sample: string; line: number; message: string }[] = [];
  const dir = dirname(o.datasetPath);
  for (const [k, line] of o.lines.entries()) {
    const s = o.views?.[k] ?? readSample((doc.lines[line] as { raw: string }).raw, line);
    if (isProblem(s)) continue;
    try {
      const frames = await o.provider.frameList(s.fields, dir, o.signal);
      const segment = async (frame: number, prompt: SegmentPrompt): Promise<SegmentedReply> => {
        const f = frames[frame];
        if (!f) throw new Error(`sample "${s.fields.id}" has no frame ${frame}`);
        const settings = {
          ...o.provider.resolvedSettings,
          ...(o.signal ? { signal: o.signal } : {}),
        };
        return o.client.segment({
          modelId: o.segmenterId,
          frameKey: `${s.fields.id}#${frame}`,
          frameSize: { width: f.width, height: f.height },
          prompt,
          image: () =>
            s.fields.video === undefined
              ? readImageRgb(f.path, undefined, settings)
              : readRgbFrame(
                  o.provider.mediaPath(dir, s.fields.video),
                  { frame: f.sourceFrame ?? 0 },
                  undefined,
                  settings,
                ),
        });
      };
      for (const [i, e] of s.state.entities.entries()) {
        const sizeOf = (f: number): readonly [number, number] | undefined => {
          const size = frames[f];
          return size ? [size.width, size.height] : undefined;
        };
        const ops = await entityOps(
          s,
          i,
          e,
          frames.length,
          segment,
          sizeOf,
          `model:${o.segmenterId}`,
        );
        if (typeof ops === 'string') {
          skipped.push({ sample: s.fields.id, entity: e.text, reason: ops });
          continue;
        }
        try {
          doc = apply(doc, { type: 'batch', ops }).doc;
          entities++;
          masks += ops.length;
          o.onMask?.(s.fields.id, e.text, ops.length);
        } catch (err) {
          if (!(err instanceof OpError)) throw err;
          skipped.push({ sample: s.fields.id, entity: e.text, reason: err.message });
        }
      }
    } catch (err) {
      if (o.signal?.aborted) throw err;
      const at = line + (o.lineBase ?? 0);
      errors.push({ sample: s.fields.id, line: at + 1, message: (err as Error).message });
    }
  }
  return { doc, entities, masks, skipped, errors, seconds: (performance.now() - started) / 1000 };
}

/** The mask ops of one entity (seed mask and track), or why it gets none. */
async function entityOps(
  s: SampleView,
  index: number,
  e: EntityState,
  frameCount: number,
  segment: (frame: number, prompt: SegmentPrompt) => Promise<SegmentedReply>,
  sizeOf: (frame: number) => readonly [number, number] | undefined,
  source: `model:${string}`,
): Promise<ViewLeafOp[] | string> {
  if (e.status === 'not_groundable') return 'not groundable';
  const main = e.grounding ?? e.proposal;
  if (!main) return 'no box or points to prompt SAM with';
  if (e.grounding && !e.grounding.mask) return "a person's grounding without a mask stays as it is";
  const ref = { line: s.line, id: s.fields.id, entity: index, text: e.text };
  const ops: ViewLeafOp[] = [];
  let seed = main.mask;
  let seedLowRes: Float32Array | undefined;
  let seedFeature: Float32Array | undefined;
  const size = sizeOf(main.frame);
  if (!size) return `frame ${main.frame} is not in the sample's frame list`;
  if (!seed) {
    const prompt = seedPrompt(main, size[0], size[1]);
    if (typeof prompt === 'string') return prompt;
    const r = await segment(main.frame, prompt);
    seed = r.mask;
    seedLowRes = r.lowResMask;
    seedFeature = r.feature;
    ops.push({
      ...ref,
      type: 'mask/set',
      frame: main.frame,
      mask: r.mask,
      source,
      score: Math.min(1, Math.max(0, r.score)),
    });
  }
  if (!seedFeature) {
    // As the editor does (session/maskTrack.ts): a stored mask has no logits and no image
    // feature, so one decoder run on the seed frame gives both, and the drift checks compare
    // every step with the seed (without it a track slid onto the wall went unnoticed).
    const again = trackPrompt(decodeRle(seed));
    if (again) {
      const r = await segment(main.frame, {
        box: again.box,
        clicks: [{ x: again.point[0], y: again.point[1], positive: true }],
      });
      seedLowRes ??= r.lowResMask;
      seedFeature = r.feature;
    }
  }
  const personal = (f: number): string | undefined =>
    e.track?.some((t) => t.frame === f && t.source === 'human') ? "a person's mask" : undefined;
  const toPrompt = (p: TrackPrompt): SegmentPrompt => ({
    box: p.box,
    clicks: [{ x: p.point[0], y: p.point[1], positive: true }],
    ...(p.maskInput ? { maskInput: p.maskInput } : {}),
  });
  const steps: TrackStep[] = [];
  for (const order of [
    Array.from({ length: Math.max(0, frameCount - main.frame - 1) }, (_, k) => main.frame + 1 + k),
    Array.from({ length: main.frame }, (_, k) => main.frame - 1 - k),
  ]) {
    const run = await runTrack(seed, order, (f, p) => segment(f, toPrompt(p)), {
      ...(seedLowRes ? { seedLowRes } : {}),
      ...(seedFeature ? { seedFeature } : {}),
      stopAt: personal,
    });
    steps.push(...run.steps);
  }
  for (const step of steps)
    ops.push({
      ...ref,
      type: 'mask/set',
      frame: step.frame,
      mask: step.mask,
      source,
      score: step.score,
    });
  return ops.length ? ops : 'SAM found no mask';
}

/** Entities without a mask listed in the report (the count is apart): a bounded report. */
const MAX_LISTED = 1000;

/**
 * The mask pass over a prelabel output file: the sample lines of this shard (every line of
 * a `--out-dir` slice, else those at positions `index` modulo `count`), streamed batch by
 * batch into an atomic rewrite of the file, published only when a mask was written (else
 * the file stays as it was). Memory: one batch of lines and the masks of one sample.
 */
export async function maskOutputFile(o: {
  readonly path: string;
  readonly datasetPath: string;
  readonly shard: { readonly index: number; readonly count: number };
  readonly sliced: boolean;
  readonly client: MaskClient;
  readonly provider: VideoFrameProvider;
  readonly segmenterId: string;
  readonly onMask?: (sample: string, entity: string, frames: number) => void;
}): Promise<MaskPassReport & { readonly skippedCount: number }> {
  const started = performance.now();
  const src = await openLines(o.path);
  await o.client.loadModel(o.segmenterId);
  const out = await AtomicTextWriter.create(o.path);
  const total = { entities: 0, masks: 0 };
  const skipped: MaskPassReport['skipped'][number][] = [];
  const errors: MaskPassReport['errors'][number][] = [];
  let position = 0,
    skippedCount = 0;
  try {
    if (src.bom) await out.write('\ufeff');
    for await (const batch of src.batches()) {
      const lines: number[] = [];
      const views: SampleView[] = [];
      // The same positions as the box pass (prelabelStream): valid samples only.
      for (const [k, l] of batch.lines.entries()) {
        const s = isBlank(l.raw) ? undefined : readSample(l.raw, k);
        if (!s || isProblem(s)) continue;
        const mine = o.sliced || position % o.shard.count === o.shard.index;
        position++;
        if (mine) {
          lines.push(k);
          views.push(s);
        }
      }
      let kept: readonly DocLine[] = batch.lines;
      if (lines.length) {
        const r = await runMaskPass({
          datasetPath: o.datasetPath,
          doc: { bom: false, lines: batch.lines },
          lines,
          views,
          lineBase: batch.first,
          client: o.client,
          provider: o.provider,
          segmenterId: o.segmenterId,
          ...(o.onMask ? { onMask: o.onMask } : {}),
        });
        kept = r.doc.lines;
        total.entities += r.entities;
        total.masks += r.masks;
        skippedCount += r.skipped.length;
        for (const k of r.skipped) if (skipped.length < MAX_LISTED) skipped.push(k);
        errors.push(...r.errors);
      }
      await out.write(kept.map((l) => l.raw + l.eol).join(''));
    }
    await tidyAfterRead(src.path);
    if (total.masks > 0) await out.commit();
    else await out.abort();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return {
    ...total,
    skipped,
    skippedCount,
    errors,
    seconds: (performance.now() - started) / 1000,
  };
}
