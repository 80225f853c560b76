/** Extension entry: registrations only; the VS Code front is src/host, the session src/session. */
import * as vscode from 'vscode';
import { CopEditorProvider } from './host/copEditorProvider';
import { registerDashboard } from './host/dashboardPanel';
import { registerEditorCommands } from './host/editorCommands';
import { registerEditorKeybindings } from './host/editorKeybindings';
import { SampleNavigator } from './host/sampleNavigator';

/** Called by VS Code when a dataset editor or the navigator is first needed. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Groundwork', { log: true });
  const editors = new CopEditorProvider(context, log);
  context.subscriptions.push(
    log,
    ...editors.register(),
    ...new SampleNavigator(editors).register(),
    ...registerEditorCommands(editors),
    ...registerEditorKeybindings(context, editors, (m) => log.warn(m)),
    registerDashboard(editors),
  );
}

/** Nothing to tear down beyond the subscriptions. */
export function deactivate(): void {}
