/** Commands of the editor that are not the navigator's: export of the active dataset. */
import * as vscode from 'vscode';
import { CancelSource } from '../protocol/channel';
import type { CopEditorProvider } from './copEditorProvider';

/** Registers `groundwork.exportDataset` (progress notification via the session's exporter). */
export function registerEditorCommands(editors: CopEditorProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('groundwork.exportDataset', async () => {
      const d = editors.active;
      if (!d) {
        void vscode.window.showInformationMessage(
          'Groundwork: open a dataset in the CoP editor first.',
        );
        return;
      }
      if (!d.session.canExport) {
        void vscode.window.showErrorMessage(
          'Groundwork: export needs the video layer (ffmpeg), which is not available.',
        );
        return;
      }
      if (d.session.state.dirty)
        void vscode.window.showWarningMessage(
          'Groundwork: exporting the saved file; unsaved changes are not included.',
        );
      try {
        await d.session.export(new CancelSource());
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Groundwork: export failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }),
  ];
}
