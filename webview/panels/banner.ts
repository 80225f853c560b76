/** The banner: missing or refused media, failed requests, notices from the host. */
import { h } from '../dom';
import type { Store } from '../state/store';

/** The banner above the stage. */
export class Banner {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;

  constructor(
    private readonly store: Store,
    dismiss: () => void,
  ) {
    this.text = h('span', { class: 'banner-text' });
    const close = h(
      'button',
      {
        class: 'banner-close',
        title: 'Dismiss',
        'aria-label': 'dismiss',
        'data-testid': 'banner-close',
      },
      '×',
    );
    close.addEventListener('click', dismiss);
    this.el = h(
      'div',
      { class: 'banner', 'data-testid': 'banner', role: 'alert' },
      this.text,
      close,
    );
    this.el.hidden = true;
    store.subscribe(() => this.render());
  }

  private render(): void {
    const state = this.store.state;
    const parts: string[] = [];
    if (!state.connected && state.mode === 'serve')
      parts.push('Disconnected from groundwork serve; reconnecting…');
    if (state.sample?.media.error)
      parts.push(`Media: ${state.sample.media.error}. The text can still be edited.`);
    if (state.sample?.media.warning) parts.push(`Video: ${state.sample.media.warning}`);
    if (state.notice) parts.push(state.notice.text);
    const level =
      !state.connected && state.mode === 'serve'
        ? 'error'
        : (state.notice?.level ??
          (state.sample?.media.error || state.sample?.media.warning ? 'warn' : 'info'));
    this.text.textContent = parts.join(' — ');
    this.el.dataset.level = level;
    this.el.hidden = parts.length === 0;
  }
}
