/** Commands of the editor that are not the navigator's: export of the active dataset. */
import * as vscode from 'vscode';
import type { CopEditorProvider } from './copEditorProvider';
import { exportWithChoices } from './exportCommand';

/** Registers `groundwork.exportDataset`: format and destination asked, skipped samples reported. */
export function registerEditorCommands(editors: CopEditorProvider): vscode.Disposable[] {
  const channel = vscode.window.createOutputChannel('Groundwork Export');
  return [
    channel,
    vscode.commands.registerCommand('groundwork.exportDataset', async () => {
      const d = editors.active;
      if (!d) {
        void vscode.window.showInformationMessage(
          'Groundwork: open a dataset in the CoP editor first.',
        );
        return;
      }
      try {
        await exportWithChoices(d, editors.workspaceState, channel);
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Groundwork: export failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }),
  ];
}
