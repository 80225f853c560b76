import { basename, resolve } from 'node:path';
import { agreement } from '../../core/stats/agreement';
import type { AgreementStats } from '../../core/stats/agreement';
import { datasetStats } from '../../core/stats/datasetStats';
import { writeFileAtomic } from '../../io/atomicWriter';
import { checkOutputPath } from '../../io/outputPath';
import { renderStatsHtml } from '../../io/statsReport';
import { stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';
import type { LoadedDataset } from '../datasetArg';
import { loadDatasetArg } from '../datasetArg';
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

function agreementOf(a: LoadedDataset, b: LoadedDataset): AgreementStats {
  const view = (d: LoadedDataset) => d.samples.map((s) => ({ id: s.fields.id, state: s.state }));
  return agreement(view(a), view(b));
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
    const ds = await loadDatasetArg(args, io.cwd, usage);
    const other = wantsAgreement ? await loadDatasetArg(args, io.cwd, usage, 1) : undefined;
    const stats = datasetStats(ds.samples);
    const agreementStats = other ? agreementOf(ds, other) : undefined;
    const result: StatsResult = {
      file: ds.path,
      lines: ds.doc.lines.length,
      invalidLines: ds.problems.length,
      blankLines: ds.blank,
      ...stats,
      ...(agreementStats && other ? { agreement: { with: other.path, ...agreementStats } } : {}),
    };
    let wrote = '';
    if (htmlOut) {
      const bytes = await writeReport(
        htmlOut,
        inputs,
        renderStatsHtml({
          title: ds.path,
          stats,
          ...(agreementStats && other
            ? {
                agreement: agreementStats,
                agreementWith: `${basename(ds.path)} and ${basename(other.path)}`,
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
