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
    const s = this.store.state;
    const parts: string[] = [];
    if (!s.connected && s.mode === 'serve')
      parts.push('Disconnected from groundwork serve; reconnecting…');
    if (s.sample?.media.error)
      parts.push(`Media: ${s.sample.media.error}. The text can still be edited.`);
    if (s.notice) parts.push(s.notice.text);
    const level =
      !s.connected && s.mode === 'serve'
        ? 'error'
        : (s.notice?.level ?? (s.sample?.media.error ? 'warn' : 'info'));
    this.text.textContent = parts.join(' — ');
    this.el.dataset.level = level;
    this.el.hidden = parts.length === 0;
  }
}
