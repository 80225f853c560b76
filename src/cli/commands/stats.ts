import { basename, resolve } from 'node:path';
import { isBlank } from '../../core/dataset';
import type { SampleState } from '../../core/model';
import { isProblem, readSample } from '../../core/sample';
import type { SampleView } from '../../core/sample';
import { AgreementTally, agreementEntry } from '../../core/stats/agreement';
import { DatasetTally } from '../../core/stats/datasetStats';
import { writeFileAtomic } from '../../io/atomicWriter';
import type { LineSource } from '../../io/lineReader';
import { tidyAfterRead } from '../../io/lineReader';
import { checkOutputPath } from '../../io/outputPath';
import { renderStatsHtml } from '../../io/statsReport';
import { stringOption } from '../args';
import type { CliCommand, CliIo } from '../command';
import { CliError, EXIT } from '../command';
import { openDatasetArg } from '../datasetArg';
import { ProgressBar } from '../progress';
import { statsText } from './statsText';
import type { StatsResult } from './statsText';

const usage = `groundwork stats <dataset.jsonl> [--json] [--html report.html]
groundwork stats <a.jsonl> <b.jsonl> --agreement [--json] [--html report.html]

Counts samples by status and task, items by status, kind and source (answers and standalone
groundings counted apart too), and annotator time per entity. Per model (source model:<id>,
or import) and kind: how proposals ended (accepted as is, edited, not groundable, open), the
IoU between proposal and final box, how far area points moved (source pixels and CoP's
0-1000 space). Per person: time per entity (median, p90), entities and samples per UTC day;
per reviewer the rejection rate. --agreement compares two files holding the same samples
grounded by different people: IoU per entity matched by sample id and item. --html writes a
self-contained page with plots (no network needed); it never replaces an input.`;

/** Checks then writes the report; an output path or write problem is a CLI error (exit 2). */
async function writeReport(out: string, inputs: readonly string[], html?: string): Promise<number> {
  try {
    await checkOutputPath(out, inputs, { flag: '--html' });
    return html === undefined ? 0 : await writeFileAtomic(out, html);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
  }
}

/** How many lines a file had, of which invalid and blank. */
interface LineFacts {
  readonly lines: number;
  readonly invalid: number;
  readonly blank: number;
}

/** Streams `src`, handing each sample on; memory holds a batch of lines, not the file. */
async function eachSample(
  src: LineSource,
  io: Pick<CliIo, 'stderr'>,
  onSample: (s: SampleView) => void,
): Promise<LineFacts> {
  const bar = new ProgressBar(io.stderr, 'stats', src.bytes);
  let lines = 0,
    invalid = 0,
    blank = 0;
  for await (const batch of src.batches()) {
    for (const [k, l] of batch.lines.entries()) {
      lines++;
      if (isBlank(l.raw)) {
        blank++;
        continue;
      }
      const s = readSample(l.raw, batch.first + k);
      if (isProblem(s)) invalid++;
      else onSample(s);
    }
    bar.tick(batch.bytes);
  }
  bar.finish();
  await tidyAfterRead(src.path);
  return { lines, invalid, blank };
}

/** `groundwork stats`: counts and quality statistics for pipelines (`--json`) and people (`--html`). */
export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'counts, proposal outcomes per model, time per person, agreement; --json, --html',
  usage,
  valueOptions: ['html'],
  booleanOptions: ['json', 'agreement'],
  maxPositionals: 2,
  async run(args, io) {
    const wantsAgreement = !!args.options.agreement;
    if (wantsAgreement && args.positionals.length !== 2)
      throw new CliError(`--agreement needs two datasets: a.jsonl b.jsonl\n${usage}`, EXIT.error);
    if (!wantsAgreement && args.positionals.length > 1)
      throw new CliError(
        `a second dataset is only taken with --agreement (stats a.jsonl b.jsonl --agreement)\n${usage}`,
        EXIT.error,
      );
    const htmlArg = stringOption(args, 'html');
    const htmlOut = htmlArg === undefined ? undefined : resolve(io.cwd, htmlArg);
    if (htmlArg === '' || htmlArg === '-')
      throw new CliError(`--html needs a file name (report.html)\n${usage}`, EXIT.error);
    const inputs = args.positionals.map((p) => resolve(io.cwd, p));
    // Refused before any reading, so a mistyped --html never costs a long run (or an input).
    if (htmlOut) await writeReport(htmlOut, inputs);
    const src = await openDatasetArg(args, io.cwd, usage);
    const otherSrc = wantsAgreement ? await openDatasetArg(args, io.cwd, usage, 1) : undefined;
    // File b is indexed first (its final geometry only); then file a streams past it once.
    const index = new Map<string, SampleState>();
    if (otherSrc)
      await eachSample(otherSrc, io, (s) => {
        if (!index.has(s.fields.id)) index.set(s.fields.id, agreementEntry(s.state));
      });
    const tally = new DatasetTally();
    const agree = otherSrc ? new AgreementTally(index) : undefined;
    const facts = await eachSample(src, io, (s) => {
      tally.add(s);
      agree?.add(s.fields.id, s.state);
    });
    const stats = tally.result();
    const agreementStats = agree?.result();
    const result: StatsResult = {
      file: src.path,
      lines: facts.lines,
      invalidLines: facts.invalid,
      blankLines: facts.blank,
      ...stats,
      ...(agreementStats && otherSrc
        ? { agreement: { with: otherSrc.path, ...agreementStats } }
        : {}),
    };
    let wrote = '';
    if (htmlOut) {
      const bytes = await writeReport(
        htmlOut,
        inputs,
        renderStatsHtml({
          title: src.path,
          stats,
          ...(agreementStats && otherSrc
            ? {
                agreement: agreementStats,
                agreementWith: `${basename(src.path)} and ${basename(otherSrc.path)}`,
              }
            : {}),
        }),
      );
      wrote = `${htmlOut}: report written (${bytes} bytes)\n`;
    }
    if (args.options.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else io.stdout.write(statsText(result));
    if (wrote) (args.options.json ? io.stderr : io.stdout).write(wrote);
    return EXIT.ok;
  },
};
