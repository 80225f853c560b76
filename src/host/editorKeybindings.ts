/**
 * The editor's keys as VS Code commands (issue 13 item 9). package.json contributes one
 * command and keybinding per key of the webview's keymap (`groundwork.editor.*`, with a
 * `when` on the active Groundwork editor), so people rebind them in Keyboard Shortcuts. A
 * command VS Code runs goes to the active editor's view; the keys as bound now (defaults plus
 * the person's keybindings.json) go to every view, for its help and so that a key moved
 * elsewhere is VS Code's to dispatch.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../protocol/messages';
import type { KeybindingEntry } from './keybindingFile';
import { effectiveBindings, readKeybindings } from './keybindingFile';

/** The prefix of the contributed editor key commands. */
export const KEY_COMMAND_PREFIX = 'groundwork.editor.';

/** Where the key commands are sent: the active view, or every view. */
export interface KeyTargets {
  postToActive(body: HostMessage): boolean;
  broadcast(body: HostMessage): void;
  /** Messages every new view gets once it is ready. */
  setGreeting(messages: () => HostMessage[]): void;
}

interface Contributes {
  readonly commands?: readonly { command: string }[];
  readonly keybindings?: readonly KeybindingEntry[];
}

/** The user's keybindings.json: `<user data>/User/`, two folders above the global storage. */
function keybindingsFile(context: vscode.ExtensionContext): string {
  return join(dirname(dirname(context.globalStorageUri.fsPath)), 'keybindings.json');
}

/** Registers the key commands and keeps the views' bindings in step with keybindings.json. */
export function registerEditorKeybindings(
  context: vscode.ExtensionContext,
  targets: KeyTargets,
  log: (message: string) => void,
): vscode.Disposable[] {
  const contributes = (context.extension.packageJSON as { contributes?: Contributes }).contributes;
  const defaults = contributes?.keybindings ?? [];
  const file = keybindingsFile(context);
  const bindings = (): HostMessage => {
    let user: KeybindingEntry[] = [];
    try {
      user = readKeybindings(readFileSync(file, 'utf8'));
    } catch (e) {
      // No file yet (nobody rebound anything) is the usual case; a broken one is logged.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        log(`keybindings: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return {
      type: 'editor/keybindings',
      bindings: effectiveBindings(defaults, user, KEY_COMMAND_PREFIX),
    };
  };
  targets.setGreeting(() => [bindings()]);
  const ids = (contributes?.commands ?? [])
    .map((c) => c.command)
    .filter((id) => id.startsWith(KEY_COMMAND_PREFIX));
  const watcher = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(vscode.Uri.file(dirname(file)), 'keybindings.json'),
  );
  const changed = (): void => targets.broadcast(bindings());
  return [
    watcher,
    watcher.onDidChange(changed),
    watcher.onDidCreate(changed),
    watcher.onDidDelete(changed),
    ...ids.map((id) =>
      vscode.commands.registerCommand(id, () => {
        if (!targets.postToActive({ type: 'editor/key', command: id }))
          void vscode.window.showInformationMessage('Groundwork: open a dataset editor first.');
      }),
    ),
  ];
}
