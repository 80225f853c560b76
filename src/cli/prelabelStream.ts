/**
 * `groundwork prelabel` over a stream: memory stays bounded whatever the dataset size, and a
 * shard is idempotent and resumable. Pass 1 counts the lines and gathers the dataset's kind
 * choices; pass 2 hands batches of samples to runPrelabel and appends every final line to a
 * checkpoint (prelabelCheckpoint.ts) that a rerun resumes from; the output is then written
 * atomically. Samples whose proposals already come from the same model and weights are
 * skipped, so rerunning a finished shard on its output proposes nothing twice.
 */
import type { DocLine } from '../core/dataset';
import { isBlank } from '../core/dataset';
import { mayPropose } from '../core/rules/proposalRule';
import { isProblem, readSample } from '../core/sample';
import type { SampleView } from '../core/sample';
import { headNoun } from '../core/suggest/headNoun';
import type { KindExample } from '../core/suggest/kindSuggest';
import type { InferenceClient } from '../inference/client';
import { runPrelabel } from '../inference/prelabelRun';
import type {
  PrelabelReport,
  Shard,
  StageSeconds,
  VersionedProposal,
} from '../inference/prelabelRun';
import { Checkpoint, checkpointKey } from '../io/prelabelCheckpoint';
import type { LineSource } from '../io/lineReader';
import type { VideoFrameProvider } from '../video/videoFrameProvider';

/** Inputs of a streamed prelabel run. */
export interface StreamPrelabelOptions {
  readonly src: LineSource;
  readonly out: string;
  readonly shard: Shard;
  /** The output holds only the shard's contiguous slice (as `split` cuts it), for `merge`. */
  readonly slice: boolean;
  readonly client: InferenceClient;
  readonly provider: VideoFrameProvider;
  readonly modelId: string;
  /** The weights' identity (sha256 prefix), recorded in each proposal. */
  readonly modelVersion: string;
  readonly queueDepth: number;
  readonly decodeSize: number;
  /** Samples per checkpointed batch: what a kill can lose at most. */
  readonly batchSamples: number;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** What a streamed run did. */
export interface StreamPrelabelReport {
  readonly samples: number;
  readonly frames: number;
  readonly proposed: number;
  readonly kept: number;
  /** Entities without a proposal, with the reason: the first 1000 (the count is apart). */
  readonly unproposed: PrelabelReport['unproposed'];
  readonly unproposedCount: number;
  readonly errors: PrelabelReport['errors'];
  /** Invalid lines of the shard's range (kept as they are). */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** Samples skipped: their proposals already come from this model and weights. */
  readonly alreadyPrelabelled: number;
  /** Lines taken from the checkpoint of an earlier, interrupted attempt (and samples among them). */
  readonly resumedLines: number;
  readonly resumedSamples: number;
  /** Why an existing checkpoint was not used. */
  readonly checkpointDiscarded?: string;
  /** The lines of the input this shard covers, [from, to). */
  readonly range: readonly [number, number];
  readonly seconds: number;
  readonly stages: StageSeconds;
}

/** Examples kept per head noun: the learned kind is the recent majority, in bounded memory. */
const HISTORY_PER_NOUN = 64;

/** The kind choices stored in a line: decided entities with a kind (what kindHistory reads). */
function storedChoices(raw: string): KindExample[] {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return [];
  }
  const entities = (v as { groundwork?: { entities?: unknown } } | null)?.groundwork?.entities;
  if (!Array.isArray(entities)) return [];
  const out: KindExample[] = [];
  for (const e of entities as { text?: unknown; kind?: unknown; status?: unknown }[]) {
    if (typeof e?.text !== 'string' || typeof e.kind !== 'string') continue;
    if (e.status === 'accepted' || e.status === 'edited')
      out.push({ text: e.text, kind: e.kind as KindExample['kind'] });
  }
  return out;
}

/** Pass 1: the line count and the kind choices (per head noun, the last 64, in file order). */
async function firstPass(src: LineSource): Promise<{ lines: number; history: KindExample[] }> {
  const byNoun = new Map<string, KindExample[]>();
  let lines = 0;
  for await (const batch of src.batches()) {
    for (const l of batch.lines) {
      // Only a decided entity teaches a kind; most lines cannot hold one, so skip parsing them.
      if (!l.raw.includes('"accepted"') && !l.raw.includes('"edited"')) continue;
      // The stored state is enough here; the full sample read (entity extraction) is pass 2's.
      for (const ex of storedChoices(l.raw)) {
        const noun = headNoun(ex.text);
        const list = byNoun.get(noun) ?? [];
        list.push(ex);
        if (list.length > HISTORY_PER_NOUN) list.shift();
        byNoun.set(noun, list);
      }
    }
    lines += batch.lines.length;
  }
  return { lines, history: [...byNoun.values()].flat() };
}

function alreadyBy(s: SampleView, modelId: string, version: string): boolean {
  return s.state.entities.some(
    (e) =>
      e.proposal?.source === `model:${modelId}` &&
      (e.proposal as VersionedProposal).modelVersion === version,
  );
}

/** Runs prelabel over the shard of `src`, streaming, and publishes `out` atomically. */
export async function streamPrelabel(o: StreamPrelabelOptions): Promise<StreamPrelabelReport> {
  const started = performance.now();
  const { lines: total, history } = await firstPass(o.src);
  const per = Math.ceil(total / o.shard.count);
  const range: [number, number] = o.slice
    ? [Math.min(total, o.shard.index * per), Math.min(total, (o.shard.index + 1) * per)]
    : [0, total];
  const key = await checkpointKey(o.src.path, {
    model: o.modelId,
    modelVersion: o.modelVersion,
    shard: `${o.shard.index}/${o.shard.count}${o.slice ? ' slice' : ' modulo'}`,
  });
  const checkpoint = await Checkpoint.open(o.out, key);
  const resumeAt = range[0] + checkpoint.resumed;
  const acc = {
    samples: 0,
    frames: 0,
    proposed: 0,
    kept: 0,
    unproposed: 0,
    already: 0,
    resumedSamples: 0,
    examples: [] as PrelabelReport['unproposed'][number][],
    errors: [] as PrelabelReport['errors'][number][],
    problems: [] as { line: number; message: string }[],
    stages: { decode: 0, detector: 0, detectorPrePost: 0 },
  };
  let pending: DocLine[] = [];
  let work: SampleView[] = [];
  let pendingFirst = resumeAt;
  const flush = async (): Promise<void> => {
    if (work.length === 0) {
      await checkpoint.append(pending, false);
    } else {
      const r = await runPrelabel({
        datasetPath: o.src.path,
        doc: { bom: false, lines: pending },
        samples: work,
        client: o.client,
        provider: o.provider,
        modelId: o.modelId,
        modelVersion: o.modelVersion,
        history,
        queueDepth: o.queueDepth,
        decodeSize: o.decodeSize,
        modelLoaded: true,
      });
      acc.samples += r.samples;
      acc.frames += r.frames;
      acc.proposed += r.proposed;
      acc.kept += r.kept;
      acc.unproposed += r.unproposed.length;
      for (const u of r.unproposed) if (acc.examples.length < 1000) acc.examples.push(u);
      for (const e of r.errors) acc.errors.push({ ...e, line: e.line + pendingFirst });
      acc.stages.decode += r.stages.decode;
      acc.stages.detector += r.stages.detector;
      acc.stages.detectorPrePost += r.stages.detectorPrePost;
      // A batch with model work is synced: that is the progress a kill must not lose.
      await checkpoint.append(r.doc.lines, true);
    }
    pendingFirst += pending.length;
    pending = [];
    work = [];
  };
  let ordinal = 0,
    bytesDone = 0;
  try {
    for await (const batch of o.src.batches()) {
      for (const [k, line] of batch.lines.entries()) {
        const index = batch.first + k;
        if (index < range[0] || index >= range[1]) continue;
        const s = isBlank(line.raw) ? undefined : readSample(line.raw, index);
        if (s && isProblem(s)) {
          acc.problems.push({ line: index, message: s.message });
        }
        const sample = s && !isProblem(s) ? s : undefined;
        const mine = sample !== undefined && (o.slice || ordinal % o.shard.count === o.shard.index);
        if (sample) ordinal++;
        if (index < resumeAt) {
          if (mine) acc.resumedSamples++;
          continue;
        }
        if (sample && mine) {
          const targets = sample.state.entities.filter(mayPropose).length;
          // runPrelabel counts what it keeps of the samples it gets; the rest is counted here.
          if (targets > 0 && !alreadyBy(sample, o.modelId, o.modelVersion))
            work.push({ ...sample, line: pending.length });
          else {
            acc.kept += sample.state.entities.length - targets;
            if (targets > 0) acc.already++;
          }
        }
        pending.push(line);
        if (work.length >= o.batchSamples || (work.length === 0 && pending.length >= 4096))
          await flush();
      }
      bytesDone += batch.bytes;
      o.onProgress?.(bytesDone, o.src.bytes);
    }
    await flush();
    await checkpoint.publish(o.out, o.src.bom && range[0] === 0);
  } catch (e) {
    await checkpoint.close();
    throw e;
  }
  return {
    samples: acc.samples,
    frames: acc.frames,
    proposed: acc.proposed,
    kept: acc.kept,
    unproposed: acc.examples,
    unproposedCount: acc.unproposed,
    errors: acc.errors,
    problems: acc.problems,
    alreadyPrelabelled: acc.already,
    resumedLines: checkpoint.resumed,
    resumedSamples: acc.resumedSamples,
    ...(checkpoint.discarded ? { checkpointDiscarded: checkpoint.discarded } : {}),
    range,
    seconds: (performance.now() - started) / 1000,
    stages: acc.stages,
  };
}
