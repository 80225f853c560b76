/**
 * Buttons and small controls from @vscode-elements (themed by VS Code's CSS variables, with
 * their own fallbacks in serve mode). After a click, focus goes back to the stage so that a
 * following Enter or Space is the editor's key, not a second click on the button.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { h } from '../dom';

let refocus: () => void = () => undefined;

/** Sets where focus returns after a button click (the stage). */
export function setRefocus(fn: () => void): void {
  refocus = fn;
}

/** A themed button with a stable test id; `title` is the tooltip (with its key). */
export function button(
  testid: string,
  label: string,
  title: string,
  onClick: () => void,
  opts: { secondary?: boolean } = {},
): HTMLElement {
  const b = h('vscode-button', {
    'data-testid': testid,
    title,
    'aria-label': title,
    secondary: opts.secondary ?? true,
  });
  b.textContent = label;
  b.addEventListener('click', () => {
    if (b.hasAttribute('disabled')) return;
    onClick();
    refocus();
  });
  return b;
}

/** Enables or disables a button. */
export function setEnabled(b: HTMLElement, enabled: boolean): void {
  if (enabled) b.removeAttribute('disabled');
  else b.setAttribute('disabled', '');
}

/** Marks a toggle button pressed (primary look) or not. */
export function setPressed(b: HTMLElement, pressed: boolean): void {
  b.setAttribute('aria-pressed', String(pressed));
  if (pressed) b.removeAttribute('secondary');
  else b.setAttribute('secondary', '');
}
