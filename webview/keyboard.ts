/**
 * The keyboard: one listener dispatching the keymap. Keys typed into text fields stay
 * there. In VS Code, the bindings VS Code owns (Ctrl+Z, Ctrl+Shift+Z, Ctrl+S) are left
 * alone so its own undo, redo and save run. Space plays on release unless it was held to pan.
 */
import { isTyping } from './dom';
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
      if (mode === 'vscode' && binding.vscodeOwned) return;
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
