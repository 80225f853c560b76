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
  const control = h('vscode-button', {
    'data-testid': testid,
    title,
    'aria-label': title,
    secondary: opts.secondary ?? true,
  });
  control.textContent = label;
  control.addEventListener('click', () => {
    if (control.hasAttribute('disabled')) return;
    onClick();
    refocus();
  });
  return control;
}

/**
 * Sets or removes a boolean attribute only when that changes it: panels call these on every
 * render, and each write reaches the element's attribute callback and restyles it.
 */
function toggleAttribute(control: HTMLElement, name: string, on: boolean): void {
  if (control.hasAttribute(name) !== on) control.toggleAttribute(name, on);
}

/** Enables or disables a button. */
export function setEnabled(control: HTMLElement, enabled: boolean): void {
  toggleAttribute(control, 'disabled', !enabled);
}

/** Marks a toggle button pressed (primary look) or not. */
export function setPressed(control: HTMLElement, pressed: boolean): void {
  if (control.getAttribute('aria-pressed') !== String(pressed))
    control.setAttribute('aria-pressed', String(pressed));
  toggleAttribute(control, 'secondary', !pressed);
}
