/**
 * The editor's Export command with choices (issue 12 item 8): a quick pick of the format,
 * then of the destination (beside the dataset, or a file chosen in a save dialog), both
 * remembered per workspace; every skipped sample is reported with its reason in the
 * "Groundwork Export" output channel.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMATS } from '../core/export/formats';
import type { ExportFormat } from '../core/export/formats';
import { runExport } from '../io/exportRunner';
import { defaultExportPath, skippedReport } from '../session/exportReport';
import { createVideoFrames } from '../session/videoFramesAdapter';
import type { CopDocument } from './copDocument';
import { exportDrafts, videoSettings } from './vscodeConfig';

/** workspaceState keys of the remembered choices. */
const FORMAT_KEY = 'groundwork.export.format';
const OUTPUT_KEY = 'groundwork.export.output';

/** What each format is for, shown in the quick pick. */
const FORMAT_DETAIL: Record<ExportFormat, string> = {
  'rynnbrain-raw': "RynnBrain's raw reasoning layout (conversation with Thinking)",
  'rynnbrain-sft': "RynnBrain's SFT layout",
  flat: 'one flat record per sample (id, frames, groundings)',
  rynnec: 'RynnEC mask tracks (samples without masks are reported, not written)',
};

async function pickFormat(state: vscode.Memento): Promise<ExportFormat | undefined> {
  const last = state.get<string>(FORMAT_KEY);
  const order = [...EXPORT_FORMATS].sort((a, b) => (a === last ? -1 : b === last ? 1 : 0));
  const pick = await vscode.window.showQuickPick(
    order.map((f) => ({
      label: f,
      detail: FORMAT_DETAIL[f],
      ...(f === last ? { description: 'last used' } : {}),
    })),
    { title: 'Groundwork: export format', ignoreFocusOut: true },
  );
  return pick ? (pick.label as ExportFormat) : undefined;
}

async function pickOutput(
  state: vscode.Memento,
  dataset: string,
  format: ExportFormat,
): Promise<string | undefined> {
  const beside = defaultExportPath(dataset, format);
  const remembered = state.get<Record<string, string>>(OUTPUT_KEY)?.[dataset];
  const items: (vscode.QuickPickItem & { path?: string })[] = [];
  if (remembered && remembered !== beside)
    items.push({
      label: basename(remembered),
      description: 'last used',
      detail: remembered,
      path: remembered,
    });
  items.push({
    label: basename(beside),
    description: 'beside the dataset',
    detail: beside,
    path: beside,
  });
  items.push({ label: 'Choose a file…' });
  const pick = await vscode.window.showQuickPick(items, {
    title: `Groundwork: export ${format} to`,
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  if (pick.path) return pick.path;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(remembered ?? beside),
    filters: { 'JSON Lines': ['jsonl'] },
    title: 'Export to',
  });
  return uri?.fsPath;
}

/** Runs the Export command for `d`: choices, progress, skipped samples in `channel`. */
export async function exportWithChoices(
  d: CopDocument,
  state: vscode.Memento,
  channel: vscode.OutputChannel,
): Promise<void> {
  const dataset = d.uri.fsPath;
  const format = await pickFormat(state);
  if (!format) return;
  const output = await pickOutput(state, dataset, format);
  if (!output) return;
  await state.update(FORMAT_KEY, format);
  await state.update(OUTPUT_KEY, {
    ...state.get<Record<string, string>>(OUTPUT_KEY),
    [dataset]: output,
  });
  const roots = await d.session.media.roots();
  const { provider, problem } = createVideoFrames(videoSettings([...roots]));
  if (!provider) {
    void vscode.window.showErrorMessage(`Groundwork: export needs the video layer: ${problem}`);
    return;
  }
  if (d.session.state.dirty)
    void vscode.window.showWarningMessage(
      'Groundwork: exporting the saved file; unsaved changes are not included.',
    );
  const r = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Groundwork: exporting ${format}`,
      cancellable: true,
    },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return runExport({
        dataset,
        output,
        format,
        frames: provider,
        allowPartial: true,
        allowUnapproved: exportDrafts(),
        signal: abort.signal,
      });
    },
  );
  const report = skippedReport(r);
  channel.appendLine(
    `${new Date().toISOString()} export ${basename(dataset)} as ${format} to ${r.output}: ${r.written} written, ${r.skipped.length} not written`,
  );
  for (const line of report) channel.appendLine(`  ${line}`);
  const summary = `Groundwork: exported ${r.written} sample(s) to ${basename(r.output)}`;
  if (report.length === 0) {
    void vscode.window.showInformationMessage(summary);
    return;
  }
  channel.show(true);
  void vscode.window.showWarningMessage(
    `${summary}; ${report.length} skipped (reasons in the output channel).`,
  );
}
