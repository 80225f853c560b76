/**
 * Host-side checks that run inside desktop VS Code's extension host (@vscode/test-electron
 * loads this bundle and calls run()): the extension activates, its commands are registered,
 * and the custom editor opens the sample dataset in the workspace the runner opened.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

const ID = 'groundwork.groundwork';
const VIEW_TYPE = 'groundwork.copEditor';

async function check(name: string, body: () => Promise<void>, failures: string[]): Promise<void> {
  try {
    await body();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    console.log(`not ok - ${name}\n  ${e instanceof Error ? e.stack : String(e)}`);
  }
}

/** Entry point called by the test runner inside VS Code. Throws when any check fails. */
export async function run(): Promise<void> {
  const failures: string[] = [];
  await check(
    'the extension is installed and activates',
    async () => {
      const ext = vscode.extensions.getExtension(ID);
      assert.ok(ext, `${ID} is installed`);
      await ext.activate();
      assert.equal(ext.isActive, true);
    },
    failures,
  );

  await check(
    'its commands are registered',
    async () => {
      const ext = vscode.extensions.getExtension(ID)!;
      const contributed = (
        (ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes
          ?.commands ?? []
      ).map((c) => c.command);
      assert.ok(
        contributed.some((id) => id.startsWith('groundwork.export')),
        'package.json contributes an export command',
      );
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
    },
    failures,
  );

  await check(
    'the custom editor opens datasets/sample.cop.jsonl',
    async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the runner opened a workspace folder');
      const uri = vscode.Uri.file(join(folder.uri.fsPath, 'datasets', 'sample.cop.jsonl'));
      await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
      const deadline = Date.now() + 20_000;
      let input: unknown;
      while (Date.now() < deadline) {
        input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        if (input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(input instanceof vscode.TabInputCustom, 'the active tab is a custom editor');
      assert.equal(input.viewType, VIEW_TYPE);
      assert.equal(input.uri.fsPath, uri.fsPath);
    },
    failures,
  );

  if (failures.length)
    throw new Error(`${failures.length} host-side check(s) failed:\n${failures.join('\n')}`);
}
