/**
 * Issue 13 item 9: the editor's keys are VS Code keybindings. package.json contributes a
 * command and a keybinding for every key of the webview's keymap (with a `when` on the active
 * Groundwork editor), and a walkthrough whose pages exist. No browser needed; it lives with the
 * browser tests because the keymap compiles with DOM types. When the keymap changes, the
 * expected contribution is printed for package.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KEY_COMMAND_PREFIX,
  contributedBindings,
  keyCommandId,
  prettyKey,
  vscodeKey,
} from '../../webview/keyCommandIds';
import { KEYMAP } from '../../webview/keymap';
import { ROOT } from './harness';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    keybindings?: { command: string; key: string; when?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
    walkthroughs?: { id: string; steps: { id: string; media: { markdown?: string } }[] }[];
    configuration: { properties: Record<string, { scope?: string }> };
  };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

test('every editor key is a contributed command and keybinding, only in the Groundwork editor', () => {
  const want = contributedBindings().map((b) => ({ command: keyCommandId(b), key: vscodeKey(b) }));
  const have = (manifest.contributes.keybindings ?? [])
    .filter((k) => k.command.startsWith(KEY_COMMAND_PREFIX))
    .map((k) => ({ command: k.command, key: k.key }));
  if (JSON.stringify(want) !== JSON.stringify(have))
    console.log(`# expected contributes.keybindings entries:\n${JSON.stringify(want, null, 2)}`);
  assert.deepEqual(have, want);
  for (const k of manifest.contributes.keybindings ?? [])
    if (k.command.startsWith(KEY_COMMAND_PREFIX)) {
      assert.match(k.when ?? '', /activeCustomEditorId =~ \/\^groundwork\\\.copEditor\//);
      assert.match(k.when ?? '', /!inputFocus/, 'never while typing in VS Code');
    }
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const { command } of want) assert.ok(commands.has(command), `${command} is contributed`);
  const palette = new Set((manifest.contributes.menus?.commandPalette ?? []).map((m) => m.command));
  for (const { command } of want) assert.ok(palette.has(command), `${command} has a palette rule`);
});

test('command ids name what a key does: one id per action, keys of one action share it', () => {
  const byId = new Map<string, string>();
  for (const b of KEYMAP) {
    const id = keyCommandId(b);
    assert.ok(id.startsWith(KEY_COMMAND_PREFIX) && id.length > KEY_COMMAND_PREFIX.length, id);
    const seen = byId.get(id);
    // `+` and `=` both zoom in; Ctrl+Shift+Z and Ctrl+Y both redo.
    if (seen !== undefined)
      assert.ok(seen === b.help || /zoom|redo/.test(b.help), `${id}: ${b.help}`);
    byId.set(id, b.help);
  }
  const step = KEYMAP.filter((b) => b.key === 'ArrowLeft' || b.key === 'ArrowRight').map(
    keyCommandId,
  );
  assert.equal(new Set(step).size, step.length, 'each step size is its own command');
  assert.equal(prettyKey('ctrl+k ctrl+b'), 'Ctrl+K Ctrl+B');
  assert.equal(prettyKey('shift+left'), 'Shift+←');
  assert.equal(prettyKey('shift+/'), '?');
});

test('the walkthrough: open, verify, draw, finish, export, each page present', () => {
  const walk = manifest.contributes.walkthroughs?.find((w) => w.id === 'groundwork.firstSteps');
  assert.ok(walk, 'a walkthrough is contributed');
  assert.deepEqual(
    walk.steps.map((s) => s.id),
    ['open', 'verify', 'draw', 'finish', 'export'],
  );
  for (const step of walk.steps) {
    const page = step.media.markdown;
    assert.ok(page && existsSync(join(ROOT, page)), `${step.id}: ${page} exists`);
  }
});

test('groundwork.models.dir is read from User settings in code-server, and restricted', () => {
  const scope = manifest.contributes.configuration.properties['groundwork.models.dir']?.scope;
  // Remote windows (code-server) ignore machine and machine-overridable settings in User settings.
  assert.ok(scope !== 'machine' && scope !== 'machine-overridable', `scope ${scope}`);
  assert.ok(
    manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(
      'groundwork.models.dir',
    ),
  );
});
