/**
 * The keyboard: one listener dispatching the keymap. Keys typed into text fields stay
 * there. In VS Code, Ctrl+Z / Ctrl+Shift+Z / Ctrl+S are left alone so VS Code's own undo,
 * redo and save run. Space plays on release unless it was held to pan.
 */
import { isTyping } from './dom';
import { matchKey } from './keymap';
import type { KeyAction } from './keymap';
import type { FrameStage } from './stage/frameStage';
import type { HostMode } from '../src/protocol/snapshot';

const VSCODE_OWNED: readonly KeyAction[] = ['undo', 'redo', 'save'];

/** Installs the editor's key handling on `target`. */
export function installKeyboard(
  target: Window,
  mode: HostMode,
  view: FrameStage,
  run: (a: KeyAction) => void,
): void {
  target.addEventListener(
    'keydown',
    (e) => {
      if (isTyping(e.target)) return;
      const b = matchKey(e);
      if (!b) return;
      if (mode === 'vscode' && VSCODE_OWNED.includes(b.action)) return;
      e.preventDefault();
      e.stopPropagation();
      if (b.action === 'play') {
        if (!e.repeat) {
          view.spaceHeld = true;
          view.spacePanned = false;
        }
        return;
      }
      run(b.action);
    },
    true,
  );
  target.addEventListener(
    'keyup',
    (e) => {
      if (e.key !== ' ' || !view.spaceHeld) return;
      view.spaceHeld = false;
      if (!view.spacePanned && !isTyping(e.target)) run('play');
      view.spacePanned = false;
    },
    true,
  );
}
