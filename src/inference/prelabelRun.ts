/**
 * `groundwork prelabel` without the command line: decode frames (ffmpeg) and run the
 * detector (worker process) overlapped through a bounded queue, then write each entity's
 * proposal into its line. Proposals only: human work and imported outputs stay untouched.
 */
import { dirname } from 'node:path';
import type { DatasetDoc } from '../core/dataset';
import type { EntityState, Grounding } from '../core/model';
import { OpError, apply } from '../core/ops';
import type { Op } from '../core/ops';
import { mayPropose } from '../core/rules/proposalRule';
import type { SampleView } from '../core/sample';
import { frameFindings } from '../core/suggest/frameFindings';
import type { FrameFindings } from '../core/suggest/frameFindings';
import type { KindExample } from '../core/suggest/kindSuggest';
import { kindHistory, proposeEntity } from '../core/suggest/proposeEntity';
import { takenBoxes } from '../core/suggest/rankCandidates';
import type { VideoFrameProvider } from '../video/videoFrameProvider';
import { BoundedQueue } from './boundedQueue';
import type { InferenceClient } from './client';
import { decodeSampleFrames } from './frameSource';
import type { DecodedFrame } from './frameSource';

/** Which part of the dataset this machine does: samples whose position modulo `count` is `index`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Inputs of a prelabel run. */
export interface PrelabelOptions {
  readonly datasetPath: string;
  readonly doc: DatasetDoc;
  readonly samples: readonly SampleView[];
  readonly client: InferenceClient;
  readonly provider: VideoFrameProvider;
  readonly modelId: string;
  readonly shard?: Shard;
  /** Longest side frames are decoded at (the detector's input size); boxes are scaled back to source pixels. */
  readonly decodeSize?: number;
  /** Frames decoded ahead of the model; 2 keeps decode one frame ahead without hoarding memory. */
  readonly queueDepth?: number;
  /** Called once with the frame total, then per frame done. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** The dataset's kind choices, when `samples` is only part of it (a streamed batch). */
  readonly history?: readonly KindExample[];
  /** Written into each proposal as `modelVersion` (the weights' sha256), so a rerun can skip it. */
  readonly modelVersion?: string;
  /** The caller already loaded the model (and reported its provider). */
  readonly modelLoaded?: boolean;
}

/** Seconds spent in each stage, so a cluster user can size a job per stage. */
export interface StageSeconds {
  /** ffmpeg decoding, not counting time blocked on a full queue. */
  readonly decode: number;
  /** The detector's session.run (pre- and post-processing apart). */
  readonly detector: number;
  /** The detector's pre- and post-processing in the worker. */
  readonly detectorPrePost: number;
}

/** What a run did; `doc` is the document with the proposals written in. */
export interface PrelabelReport {
  readonly doc: DatasetDoc;
  readonly samples: number;
  readonly frames: number;
  readonly proposed: number;
  /** Entities left alone: human work or imported outputs. */
  readonly kept: number;
  /** Entities with a kind and frame but no geometry (areas, texts no detector class names). */
  readonly unproposed: readonly {
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
  readonly stages: StageSeconds;
}

/** A proposal with the version of the weights that made it (JSON keeps the extra field). */
export type VersionedProposal = Grounding & { readonly modelVersion?: string };

type Item =
  | { readonly key: number; readonly frame: DecodedFrame }
  | { readonly key: number; readonly end: true; readonly error?: string };

/** Runs the detector over the shard's samples and returns the document with proposals. */
export async function runPrelabel(o: PrelabelOptions): Promise<PrelabelReport> {
  const started = performance.now();
  const shard = o.shard ?? { index: 0, count: 1 };
  const history = o.history ?? kindHistory(o.samples.map((s) => s.state));
  let decodeMs = 0,
    blockedMs = 0,
    runMs = 0,
    prePostMs = 0;
  const work = o.samples
    .filter((_, k) => k % shard.count === shard.index)
    .map((s) => ({
      s,
      targets: s.state.entities.map((e, i) => (mayPropose(e) ? i : -1)).filter((i) => i >= 0),
    }));
  let kept = 0;
  for (const w of o.samples.filter((_, k) => k % shard.count === shard.index))
    kept += w.state.entities.filter((e) => !mayPropose(e)).length;
  const errors: { sample: string; line: number; message: string }[] = [];
  const todo = [] as { s: SampleView; targets: number[]; frames: number }[];
  for (const w of work.filter((x) => x.targets.length > 0)) {
    try {
      todo.push({
        ...w,
        frames: (await o.provider.frameList(w.s.fields, dirname(o.datasetPath), o.signal)).length,
      });
    } catch (e) {
      errors.push({ sample: w.s.fields.id, line: w.s.line + 1, message: (e as Error).message });
    }
  }
  const total = todo.reduce((a, t) => a + t.frames, 0);
  o.onProgress?.(0, total);
  if (!o.modelLoaded) await o.client.loadModel(o.modelId);

  const queue = new BoundedQueue<Item>(o.queueDepth ?? 2);
  let stopped = false;
  const producer = (async () => {
    try {
      for (let key = 0; key < todo.length && !stopped; key++) {
        const t = todo[key] as (typeof todo)[number];
        let error: string | undefined;
        const decodeStart = performance.now();
        try {
          await decodeSampleFrames(
            o.provider,
            t.s.fields,
            o.datasetPath,
            async (frame) => {
              const pushStart = performance.now();
              await queue.push({ key, frame });
              blockedMs += performance.now() - pushStart;
            },
            o.signal,
            o.decodeSize,
          );
        } catch (e) {
          error = (e as Error).message;
        }
        decodeMs += performance.now() - decodeStart;
        if (!stopped) await queue.push(error ? { key, end: true, error } : { key, end: true });
      }
    } finally {
      queue.close();
    }
  })();
  // The consumer failing (the worker gone, a bad model) must not leave ffmpeg waiting on a full queue.
  const stop = async (): Promise<void> => {
    stopped = true;
    queue.close();
    await producer.catch(() => undefined);
  };

  let doc = o.doc;
  let done = 0,
    proposed = 0;
  const unproposed: { sample: string; entity: string; reason: string }[] = [];
  const findings = new Map<number, FrameFindings[]>();
  try {
    for await (const item of queue) {
      const t = todo[item.key] as (typeof todo)[number];
      if (!('end' in item)) {
        const { image, index, sourceWidth, sourceHeight } = item.frame;
        const r = await o.client.detect(o.modelId, image);
        runMs += r.timings.runMs;
        prePostMs += r.timings.preMs + r.timings.postMs;
        const list = findings.get(item.key) ?? [];
        list[index] = frameFindings({ ...image, channels: 3 }, r.detections, [
          sourceWidth,
          sourceHeight,
        ]);
        findings.set(item.key, list);
        done++;
        o.onProgress?.(done, total);
        continue;
      }
      const frames = findings.get(item.key) ?? [];
      findings.delete(item.key);
      if (item.error || frames.length !== t.frames) {
        errors.push({
          sample: t.s.fields.id,
          line: t.s.line + 1,
          message: item.error ?? `decoded ${frames.length} of ${t.frames} frames`,
        });
        continue;
      }
      // The editor's pipeline and rule: entities in order, each seeing the boxes the others hold.
      const entities: EntityState[] = t.s.state.entities.slice();
      const ops: Op[] = [];
      for (const i of t.targets) {
        const e = entities[i] as EntityState;
        const p = proposeEntity(
          e.text,
          history,
          frames,
          o.modelId,
          takenBoxes(entities, i),
          e.kind,
        );
        if (p.proposal) {
          const proposal: VersionedProposal = o.modelVersion
            ? { ...p.proposal, modelVersion: o.modelVersion }
            : p.proposal;
          entities[i] = { ...e, status: 'proposed', kind: p.kind, proposal };
          ops.push({
            type: 'entity/propose',
            line: t.s.line,
            id: t.s.fields.id,
            entity: i,
            text: e.text,
            proposal,
          });
        } else {
          unproposed.push({
            sample: t.s.fields.id,
            entity: e.text,
            reason: p.reason ?? 'no proposal',
          });
        }
      }
      if (ops.length === 0) continue;
      try {
        doc = apply(doc, { type: 'batch', ops }).doc;
        proposed += ops.length;
      } catch (e) {
        if (!(e instanceof OpError)) throw e;
        errors.push({ sample: t.s.fields.id, line: t.s.line + 1, message: e.message });
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  await producer;
  return {
    doc,
    samples: todo.length,
    frames: done,
    proposed,
    kept,
    unproposed,
    errors,
    seconds: (performance.now() - started) / 1000,
    stages: {
      decode: (decodeMs - blockedMs) / 1000,
      detector: runMs / 1000,
      detectorPrePost: prePostMs / 1000,
    },
  };
}
