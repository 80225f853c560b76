import { resolve } from 'node:path';
import { saveDataset } from '../../io/datasetFile';
import { checkOutputPath } from '../../io/outputPath';
import { defaultMediaRoots } from '../../io/mediaFacts';
import { InferenceClient } from '../../inference/client';
import { downloadModel } from '../../inference/downloader';
import { findManifest, loadManifests, defaultManifestsDir } from '../../inference/manifest';
import type { Shard } from '../../inference/prelabelRun';
import { runPrelabel } from '../../inference/prelabelRun';
import type { Device } from '../../inference/providers';
import { VideoFrameProvider } from '../../video/videoFrameProvider';
import { numberOption, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';
import { loadDatasetArg } from '../datasetArg';
import { ProgressBar } from '../progress';

const usage = `groundwork prelabel <dataset.jsonl> [--models yolox-nano] [--shard i/n] [-o out.jsonl] [--in-place]
                    [--device auto|cpu|cuda] [--models-dir dir] [--media-root dir[,dir]] [--json]

Runs the suggestions over a dataset: for each entity with nothing from a person, the kind
(lexicon + this dataset's choices), the frame (sharpness blended with the detector's
confidence for the text) and, for objects, the best matching detector box, written as
the entity's proposal (source "model:<id>"). Never overwrites human groundings, reviewed
entities or imported model outputs. Frames are decoded while the model runs.
--shard i/n   do samples whose position modulo n is i (0-based), so n machines share the work
-o            write here (atomically); default: the dataset itself. -o naming the
              dataset is refused unless --in-place is given too
--device      auto (CUDA, else CPU), cpu, or cuda (fails when CUDA is unavailable)
--models-dir  where model weights are (also GROUNDWORK_MODELS_DIR)
--download    first download missing weights there (progress, resume, sha256 check)`;

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

/** `groundwork prelabel`: model proposals for a whole dataset. */
export const prelabelCommand: CliCommand = {
  name: 'prelabel',
  summary: 'propose kinds, frames and boxes for a whole dataset with the local models',
  usage,
  valueOptions: ['models', 'shard', 'out', 'device', 'models-dir', 'media-root', 'queue'],
  booleanOptions: ['json', 'download', 'in-place'],
  async run(args, io) {
    const ds = await loadDatasetArg(args, io.cwd, usage);
    const outArg = stringOption(args, 'out');
    if (outArg === '-')
      throw new CliError('-o - (standard output) is not supported by prelabel; name a file');
    // No -o means in place (the documented default); -o spelling the input must say so.
    if (outArg !== undefined)
      await checkOutputPath(resolve(io.cwd, outArg), [ds.path], {
        inPlace: args.options['in-place'] === true,
      });
    const shard = parseShard(stringOption(args, 'shard'));
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
    const out = resolve(io.cwd, outArg ?? ds.path);
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
    try {
      const report = await runPrelabel({
        datasetPath: ds.path,
        doc: ds.doc,
        samples: ds.samples,
        client,
        provider: new VideoFrameProvider({ mediaRoots: roots }),
        modelId: detector.id,
        queueDepth,
        decodeSize: Math.max(...detector.inputSize),
        ...(shard ? { shard } : {}),
        onProgress: (done, total) => {
          if (!bar) bar = new ProgressBar(io.stderr, 'prelabel', total);
          else bar.tick();
        },
      });
      bar?.finish();
      await saveDataset(out, report.doc);
      const fps = report.seconds > 0 ? report.frames / report.seconds : 0;
      const problems = [
        ...ds.problems.map((p) => ({ sample: '', line: p.line + 1, message: p.message })),
        ...report.errors,
      ];
      if (args.options.json) {
        io.stdout.write(
          JSON.stringify(
            {
              ok: problems.length === 0,
              out,
              model: detector.id,
              ...report,
              doc: undefined,
              framesPerSecond: fps,
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
          `${report.proposed} proposals over ${report.samples} samples (${report.frames} frames, ${fps.toFixed(1)} frames/s); ${report.kept} entities kept as they were; ${report.unproposed.length} without a box -> ${out}\n`,
        );
      }
      return problems.length ? EXIT.invalid : EXIT.ok;
    } finally {
      await client.dispose();
    }
  },
};
