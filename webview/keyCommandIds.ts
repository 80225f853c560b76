/**
 * The editor's keys as VS Code commands (issue 13 item 9): each binding of the keymap gets a
 * stable command id from what it runs (`groundwork.editor.setTool.box`), so package.json can
 * contribute it as a keybinding people rebind in Keyboard Shortcuts, and the host's bindings
 * (defaults plus the person's keybindings.json) come back to label the help and the keys.
 */
import type { KeyBinding, KeyCommands } from './keymap';
import { KEYMAP } from './keymap';

/** The prefix of every editor key command. */
export const KEY_COMMAND_PREFIX = 'groundwork.editor.';

/** The command id of a binding: the command it runs and its arguments. */
export function keyCommandId(binding: KeyBinding): string {
  let id = '';
  // A recorder in place of the editor: the binding calls one method, whose name and
  // arguments name the command. A Proxy keeps it in step as KeyCommands grows.
  const recorder = new Proxy(
    {},
    {
      get:
        (_target, name) =>
        (...args: unknown[]) => {
          const parts = args.map((a) => (typeof a === 'number' && a > 0 ? `+${a}` : String(a)));
          id = [String(name), ...parts].join('.');
        },
    },
  ) as KeyCommands;
  binding.run(recorder);
  return `${KEY_COMMAND_PREFIX}${id}`;
}

const VSCODE_KEYS: Readonly<Record<string, string>> = {
  Tab: 'tab',
  Enter: 'enter',
  Delete: 'delete',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Escape: 'escape',
  ' ': 'space',
  '?': 'shift+/',
  '+': 'shift+=',
};

/** The binding's key in VS Code's keybinding syntax (`shift+left`, `ctrl+enter`, `shift+/`). */
export function vscodeKey(binding: KeyBinding): string {
  const key = VSCODE_KEYS[binding.key] ?? binding.key.toLowerCase();
  return [binding.ctrl ? 'ctrl' : '', binding.shift ? 'shift' : '', key].filter(Boolean).join('+');
}

/** Bindings contributed to VS Code: not the ones VS Code owns (undo, redo, save) nor Esc. */
export function contributedBindings(): KeyBinding[] {
  return KEYMAP.filter((b) => !b.vscodeOwned && !b.serveOnly && b.key !== 'Escape');
}

const PRETTY: Readonly<Record<string, string>> = {
  left: '←',
  right: '→',
  up: '↑',
  down: '↓',
  delete: 'Del',
  escape: 'Esc',
  space: 'Space',
  enter: 'Enter',
  tab: 'Tab',
};

/** A VS Code key (`ctrl+k ctrl+b`, `shift+left`) as the help shows keys (`Ctrl+K Ctrl+B`, `Shift+←`). */
export function prettyKey(key: string): string {
  return key
    .split(' ')
    .map(
      (chord) =>
        // The characters typed with Shift read as themselves, as the keymap writes them.
        TYPED[chord] ??
        chord
          .split('+')
          .map((part) => PRETTY[part] ?? (part.length === 1 ? part.toUpperCase() : cap(part)))
          .join('+'),
    )
    .join(' ');
}

const TYPED: Readonly<Record<string, string>> = { 'shift+/': '?', 'shift+=': '+' };

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The person's bindings from VS Code, by command id (`undefined` before the host said; a
 * command with no key left is an empty list). A rebound key is VS Code's to dispatch.
 */
let current: ReadonlyMap<string, readonly string[]> | undefined;

/** Takes the host's effective bindings. */
export function setCurrentBindings(bindings: Readonly<Record<string, readonly string[]>>): void {
  current = new Map(Object.entries(bindings));
}

/** The keys a binding's command has now, for the help; undefined: the keymap's own label. */
export function currentKeys(binding: KeyBinding): readonly string[] | undefined {
  return current?.get(keyCommandId(binding));
}

/**
 * Whether the person moved this binding's command off its default key in VS Code: then the
 * webview leaves the default key alone and VS Code runs the command on the new key.
 */
export function isRebound(binding: KeyBinding): boolean {
  const keys = currentKeys(binding);
  return keys !== undefined && !keys.includes(vscodeKey(binding));
}
