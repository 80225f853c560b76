/**
 * The editor's Export command over the shared export runner: the saved file is exported
 * to `<name>.<format>.jsonl` beside it (rynnbrain-raw unless the person chose another
 * format), skipping (and reporting) samples that fail.
 */
import { basename, dirname, join } from 'node:path';
import type { ExportFormat } from '../core/export/formats';
import type { CancelSignal, FrameProvider, TaskType } from '../core/model';
import { runExport } from '../io/exportRunner';

/** Options of the editor's export. */
export interface EditorExportOptions {
  readonly datasetPath: () => string;
  readonly frames: FrameProvider;
  /** Export annotated-but-unapproved samples too (drafts); the default refuses them. */
  readonly includeUnapproved?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /** The dataset's default task, as the views read samples (`groundwork.defaultTask`). */
  readonly defaultTask?: () => TaskType | undefined;
}

/** The output path the editor exports a dataset to in `format`. */
export function exportPathFor(datasetPath: string, format: ExportFormat = 'rynnbrain-raw'): string {
  const name = basename(datasetPath).replace(/(\.cop)?\.jsonl$/i, '');
  return join(dirname(datasetPath), `${name}.${format}.jsonl`);
}

function toAbort(signal: CancelSignal): AbortSignal {
  const c = new AbortController();
  if (signal.aborted) c.abort();
  else signal.addEventListener('abort', () => c.abort());
  return c.signal;
}

/** Makes the session's exporter: runs one export and resolves with a one-line summary. */
export function makeEditorExporter(
  o: EditorExportOptions,
): (signal: CancelSignal, format?: ExportFormat) => Promise<string> {
  return async (signal, format = 'rynnbrain-raw') => {
    const dataset = o.datasetPath();
    const output = exportPathFor(dataset, format);
    const defaultTask = o.defaultTask?.();
    const r = await runExport({
      dataset,
      output,
      format,
      frames: o.frames,
      allowPartial: true,
      allowUnapproved: o.includeUnapproved === true,
      signal: toAbort(signal),
      ...(defaultTask ? { defaultTask } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    const skipped = r.skipped.length
      ? `; ${r.skipped.length} skipped (${r.skipped
          .slice(0, 2)
          .map((s) => s.reasons[0])
          .join('; ')}${r.skipped.length > 2 ? '; …' : ''})`
      : '';
    return `exported ${r.written} sample(s) of the saved file to ${basename(output)}${skipped}`;
  };
}
