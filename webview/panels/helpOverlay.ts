/**
 * The help overlay (`?`): every key of the editor, generated from the keymap. Inside VS Code
 * each row shows the key as bound now (a person may rebind the editor's keys in Keyboard
 * Shortcuts), so the rows are rebuilt each time the overlay opens.
 */
import { h } from '../dom';
import { currentKeys, prettyKey } from '../keyCommandIds';
import { KEYMAP } from '../keymap';
import type { KeyBinding } from '../keymap';
import type { Store } from '../state/store';

/** The help overlay. */
export class HelpOverlay {
  readonly el: HTMLElement;
  private readonly keys: HTMLElement;

  constructor(
    private readonly store: Store,
    close: () => void,
  ) {
    this.keys = h('div', { class: 'help-keys' });
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
        this.keys,
        h(
          'p',
          { class: 'help-note' },
          store.state.mode === 'vscode'
            ? 'Rebind any of these in Keyboard Shortcuts (search "Groundwork Editor"). Mouse: wheel zooms, middle button or Space+drag pans; right-click or Alt+click deletes a point. One gesture is one undo step.'
            : 'Mouse: wheel zooms, middle button or Space+drag pans; right-click or Alt+click deletes a point. One gesture is one undo step.',
        ),
        // The player's mouse gestures have no key of their own, so the keymap cannot list them.
        h(
          'p',
          { class: 'help-note', 'data-testid': 'help-player-note' },
          'Video player: drag the timeline to scrub, click the video to play or pause; ticks are the sampled frames, dots the entities’ frames. Pausing shows the nearest sampled frame, where the tools work.',
        ),
      ),
    );
    this.el.addEventListener('click', (e) => {
      if (e.target === this.el) close();
    });
    this.el.hidden = true;
    store.subscribe((c) => {
      if (!c.has('ui')) return;
      const show = this.store.state.help;
      if (show && this.el.hidden) this.renderRows();
      this.el.hidden = !show;
    });
  }

  private renderRows(): void {
    const vscode = this.store.state.mode === 'vscode';
    const shown = new Set<string>();
    const rows = KEYMAP.filter((k) => !(vscode && k.serveOnly)).flatMap((k) => {
      const label = this.label(k, vscode);
      // Two keys of one command (+ and =) bound alike would show the same row twice.
      if (shown.has(`${label}\u0000${k.help}`)) return [];
      shown.add(`${label}\u0000${k.help}`);
      return [
        h(
          'div',
          { class: 'help-row', 'data-testid': `help-key-${k.label}` },
          h('kbd', {}, label),
          h('span', {}, k.help),
        ),
      ];
    });
    this.keys.replaceChildren(...rows);
  }

  /** The key as bound now in VS Code (all its keys, or "unbound"), else the keymap's label. */
  private label(binding: KeyBinding, vscode: boolean): string {
    const keys = vscode ? currentKeys(binding) : undefined;
    if (keys === undefined) return binding.label;
    return keys.length ? keys.map(prettyKey).join(' / ') : 'unbound';
  }
}
