/** The banner: missing or refused media, failed requests, notices from the host. */
import { h } from '../dom';
import type { BannerMessage, Store } from '../state/store';

/** The banner above the stage. */
export class Banner {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private noticeSeen: BannerMessage | undefined;
  private noticeEntity = '';

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

  /**
   * An info notice belongs to the entity that was active when it came (a suggestion's
   * message): it goes when another entity becomes active. Warnings and errors stay.
   */
  private stale(): boolean {
    const state = this.store.state;
    const entity = `${state.sample?.line ?? -1}#${state.entity ?? -1}`;
    if (state.notice !== this.noticeSeen) {
      this.noticeSeen = state.notice;
      this.noticeEntity = entity;
    }
    return state.notice?.level === 'info' && entity !== this.noticeEntity;
  }

  private render(): void {
    const state = this.store.state;
    const parts: string[] = [];
    if (!state.connected && state.mode === 'serve')
      parts.push('Disconnected from groundwork serve; reconnecting…');
    if (state.sample?.media.error)
      parts.push(`Media: ${state.sample.media.error}. The text can still be edited.`);
    if (state.sample?.media.warning) parts.push(`Video: ${state.sample.media.warning}`);
    if (state.notice && !this.stale()) parts.push(state.notice.text);
    const level =
      !state.connected && state.mode === 'serve'
        ? 'error'
        : ((this.stale() ? undefined : state.notice?.level) ??
          (state.sample?.media.error || state.sample?.media.warning ? 'warn' : 'info'));
    this.text.textContent = parts.join(' — ');
    this.el.dataset.level = level;
    this.el.hidden = parts.length === 0;
  }
}
