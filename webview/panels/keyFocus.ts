/**
 * Shows whether the editor has the keyboard. Inside VS Code the webview only sees keys while
 * it has focus; after a click in the samples tree, `A` went to the tree and the editor said
 * nothing. The header chip and a focus ring on the stage say where keys go; a click on the
 * chip (or anywhere in the editor) gives them back.
 */
import { h, isTyping } from '../dom';

/** Where keys go now: the editor, a text field of the editor, or somewhere else. */
export type KeyOwner = 'editor' | 'field' | 'elsewhere';

/** The key-focus chip and the `data-keys` attribute on the editor's root. */
export class KeyFocus {
  readonly el: HTMLElement;
  private owner: KeyOwner | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly focusEditor: () => void,
  ) {
    this.el = h('button', {
      class: 'keys-state',
      type: 'button',
      'data-testid': 'keys-state',
    });
    this.el.addEventListener('click', () => this.focusEditor());
    const update = (): void => this.update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('focusin', update);
    document.addEventListener('focusout', () => setTimeout(update, 0));
    // A click on a part of the editor that takes no focus itself still gives it the keys.
    root.addEventListener('pointerdown', (event) => {
      if (!isTyping(event.target)) setTimeout(update, 0);
    });
    this.update();
  }

  /** Who has the keys now. */
  static current(): KeyOwner {
    if (!document.hasFocus()) return 'elsewhere';
    return isTyping(document.activeElement) ? 'field' : 'editor';
  }

  private update(): void {
    const owner = KeyFocus.current();
    if (owner === this.owner) return;
    this.owner = owner;
    this.root.dataset.keys = owner;
    this.el.dataset.keys = owner;
    this.el.textContent =
      owner === 'editor' ? '⌨ keys' : owner === 'field' ? '⌨ typing' : '⌨ click for keys';
    this.el.title =
      owner === 'editor'
        ? 'The editor has the keyboard (? lists the keys)'
        : owner === 'field'
          ? 'Keys go to the text field (Esc or a click on the frame gives them back)'
          : 'Keys go elsewhere in VS Code: click the editor (or here) to use its keys';
  }
}
