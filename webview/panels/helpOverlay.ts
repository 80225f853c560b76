/** The help overlay (`?`): every key of the editor, generated from the keymap. */
import { h } from '../dom';
import { KEYMAP } from '../keymap';
import type { Store } from '../state/store';

/** The help overlay. */
export class HelpOverlay {
  readonly el: HTMLElement;

  constructor(
    private readonly store: Store,
    close: () => void,
  ) {
    const vscode = store.state.mode === 'vscode';
    const rows = KEYMAP.filter((k) => !(vscode && k.serveOnly)).map((k) =>
      h(
        'div',
        { class: 'help-row', 'data-testid': `help-key-${k.label}` },
        h('kbd', {}, k.label),
        h('span', {}, k.help),
      ),
    );
    const closeBtn = h(
      'button',
      { class: 'help-close', 'data-testid': 'help-close', title: 'Close (Esc)' },
      '×',
    );
    closeBtn.addEventListener('click', close);
    this.el = h(
      'div',
      {
        class: 'help-overlay',
        'data-testid': 'help-overlay',
        role: 'dialog',
        'aria-label': 'keyboard shortcuts',
      },
      h(
        'div',
        { class: 'help-box' },
        h('div', { class: 'panel-title' }, h('span', {}, 'Keyboard'), closeBtn),
        h('div', { class: 'help-keys' }, ...rows),
        h(
          'p',
          { class: 'help-note' },
          'Mouse: wheel zooms, middle button or Space+drag pans; right-click or Alt+click deletes a point. One gesture is one undo step.',
        ),
      ),
    );
    this.el.addEventListener('click', (e) => {
      if (e.target === this.el) close();
    });
    this.el.hidden = true;
    store.subscribe((c) => {
      if (c.has('ui')) this.el.hidden = !this.store.state.help;
    });
  }
}
