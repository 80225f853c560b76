/**
 * The keyboard: one listener dispatching the keymap. Keys typed into text fields stay
 * there. In VS Code, the bindings VS Code owns (Ctrl+Z, Ctrl+Shift+Z, Ctrl+S) are left
 * alone so its own undo, redo and save run. Space plays on release unless it was held to pan.
 */
import { isTyping } from './dom';
import { isRebound } from './keyCommandIds';
import { KEYMAP, matchKey } from './keymap';
import type { KeyCommands } from './keymap';
import type { FrameStage } from './stage/frameStage';
import type { HostMode } from '../src/protocol/snapshot';

/** Installs the editor's key handling on `target`; bindings run `commands`. */
export function installKeyboard(
  target: Window,
  mode: HostMode,
  view: FrameStage,
  commands: KeyCommands,
): void {
  const onRelease = KEYMAP.find((binding) => binding.onRelease && binding.key === ' ');
  target.addEventListener(
    'keydown',
    (event) => {
      if (isTyping(event.target)) return;
      const binding = matchKey(event);
      if (!binding) return;
      // VS Code's own keys, and keys a person moved elsewhere in Keyboard Shortcuts, are
      // VS Code's to dispatch (it runs the contributed command on the new key).
      if (mode === 'vscode' && (binding.vscodeOwned || isRebound(binding))) return;
      event.preventDefault();
      event.stopPropagation();
      if (binding.onRelease) {
        if (!event.repeat) {
          view.spaceHeld = true;
          view.spacePanned = false;
        }
        return;
      }
      binding.run(commands);
    },
    true,
  );
  if (mode === 'vscode')
    // Keys typed into a field stay there: VS Code's webview forwards unhandled keys to the
    // workbench (from the window, after this), where a contributed editor key would run too.
    // Bubbling on the document: the field's own handlers have run.
    target.document.addEventListener('keydown', (event) => {
      if (isTyping(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey)
        event.stopPropagation();
    });
  target.addEventListener(
    'keyup',
    (event) => {
      if (event.key !== ' ' || !view.spaceHeld) return;
      view.spaceHeld = false;
      if (!view.spacePanned && !isTyping(event.target)) onRelease?.run(commands);
      view.spacePanned = false;
    },
    true,
  );
}
