import { resolve } from 'node:path';
import { EXPORT_FORMATS } from '../../core/export/formats';
import type { ExportFormat } from '../../core/export/formats';
import { defaultMediaRoots } from '../../io/mediaFacts';
import { runExport } from '../../io/exportRunner';
import { STDOUT } from '../../io/outputPath';
import { TASK_TYPES, parseTask } from '../../core/task';
import { stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';
import { VideoFrameProvider } from '../../video/videoFrameProvider';
import { cachedImageFrames } from '../../io/exportFrames';
import { exportJobs, exportWorkerScript } from '../exportJobs';
import { ProgressBar } from '../progress';

const usage = `groundwork export <dataset.jsonl> -o <out.jsonl> [--format ${EXPORT_FORMATS.join('|')}]
  [--frames-dir dir] [--interleave-images] [--keep-brackets]
  [--allow-partial] [--allow-unapproved] [--use-proposals] [--media-root dir[,dir]]
  [--task <task>] [--jobs N]

-o naming the input dataset (by any path, link or hard link), a FIFO or a device is refused.
Writes one record per approved, valid sample. Video samples get their sampled frames
written as JPEGs under --frames-dir (default <out>.frames/<id>/00000.jpg), so frame n in
the trace is image n of the list. Any failing sample refuses the export unless
--allow-partial (skip and report). --allow-unapproved exports drafts; --use-proposals
writes unverified proposals too (previews of raw model output). --task is the task of
samples whose line names none (else the answer's tag decides): a grounding task's answer
is written as one canonical tag plus a {"frame<n>": [[x, y], ...]} item per acceptable
frame, counting as <counting>N</counting> plus {"count": N}, general as text.
--jobs N works the lines in N threads (default: the cores available); the output is the
same byte for byte whatever N.`;

// Below 8 MiB a job, threads cost more to start (each loads the code) than they save.
const AUTO_BYTES_PER_JOB = 8 << 20;

/** `groundwork export`: the four formats of DESIGN.md section 3. */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write training data (rynnbrain-raw, rynnbrain-sft, flat, rynnec)',
  usage,
  valueOptions: ['out', 'format', 'frames-dir', 'media-root', 'task', 'jobs'],
  booleanOptions: [
    'interleave-images',
    'keep-brackets',
    'allow-partial',
    'allow-unapproved',
    'use-proposals',
  ],
  async run(args, io) {
    const dataset = args.positionals[0];
    const out = stringOption(args, 'out');
    if (!dataset || !out) throw new CliError(`need a dataset and -o <out.jsonl>\n${usage}`);
    if (out === STDOUT)
      throw new CliError(
        `-o - (standard output) is not supported by export: it also writes frame files and refuses or commits all records at once; name an output file`,
      );
    const format = (stringOption(args, 'format') ?? 'rynnbrain-raw') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format))
      throw new CliError(`unknown --format "${format}"; one of ${EXPORT_FORMATS.join(', ')}`);
    const taskName = stringOption(args, 'task');
    const defaultTask = taskName === undefined ? undefined : parseTask(taskName);
    if (taskName !== undefined && !defaultTask)
      throw new CliError(`unknown --task "${taskName}"; one of ${TASK_TYPES.join(', ')}\n${usage}`);
    const jobsOption = stringOption(args, 'jobs');
    const jobs = exportJobs(jobsOption);
    const path = resolve(io.cwd, dataset);
    const roots = defaultMediaRoots(
      path,
      (stringOption(args, 'media-root') ?? '').split(',').filter(Boolean),
    );
    let bar: ProgressBar | undefined;
    let last = 0;
    const framesDir = stringOption(args, 'frames-dir');
    const result = await runExport({
      dataset: path,
      output: resolve(io.cwd, out),
      format,
      frames: cachedImageFrames(new VideoFrameProvider({ mediaRoots: [...roots] })),
      parallel: {
        jobs,
        script: exportWorkerScript(),
        mediaRoots: roots,
        // Chosen for the machine, not asked for: a small file is not worth a thread's start.
        ...(jobsOption === undefined ? { minBytesPerJob: AUTO_BYTES_PER_JOB } : {}),
      },
      ...(framesDir ? { framesDir: resolve(io.cwd, framesDir) } : {}),
      keepBrackets: !!args.options['keep-brackets'],
      interleaveImages: !!args.options['interleave-images'],
      allowPartial: !!args.options['allow-partial'],
      allowUnapproved: !!args.options['allow-unapproved'],
      useProposals: !!args.options['use-proposals'],
      ...(defaultTask ? { defaultTask } : {}),
      // Progress in bytes of the dataset: a stream knows its size, not its line count.
      onProgress: (done, total) => {
        bar ??= new ProgressBar(io.stderr, 'export', total);
        bar.tick(done - last);
        last = done;
        if (done === total) bar.finish();
      },
    });
    for (const s of result.skipped) for (const r of s.reasons) io.stderr.write(`${path}: ${r}\n`);
    if (result.refused) {
      io.stderr.write(
        `export refused: ${result.skipped.length} sample(s) failed; nothing was written. Fix them, or pass --allow-partial to skip them.\n`,
      );
      return EXIT.invalid;
    }
    io.stdout.write(
      `${result.output}: ${result.written} records (${format})${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}\n`,
    );
    return EXIT.ok;
  },
};
