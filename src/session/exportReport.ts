/**
 * The pure half of the editor's Export with choices (src/host/exportCommand.ts): the default
 * destination of a format beside the dataset, and one report line per sample not written.
 */
import { basename, dirname, join } from 'node:path';
import type { ExportFormat } from '../core/export/formats';
import type { ExportResult } from '../io/exportRunner';

/** The default output of `format` beside the dataset: `<name>.<format>.jsonl`. */
export function defaultExportPath(datasetPath: string, format: ExportFormat): string {
  const name = basename(datasetPath).replace(/(\.cop)?\.jsonl$/i, '');
  return join(dirname(datasetPath), `${name}.${format}.jsonl`);
}

/** A reason without the `line N, sample "id", ` (or `: `) its report line already starts with. */
function shorter(reason: string): string {
  return reason.replace(/^line \d+, sample "[^"]*"(, |: )/, '');
}

/** One line per sample the export did not write, with every reason (line numbers 1-based). */
export function skippedReport(r: Pick<ExportResult, 'skipped'>): string[] {
  return r.skipped.map(
    (s) =>
      `line ${s.line + 1}${s.id ? ` (${s.id})` : ''} ${s.omitted ? 'omitted' : 'skipped'}: ${s.reasons.map(shorter).join('; ')}`,
  );
}
