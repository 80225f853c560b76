/**
 * The banner: missing or refused media, failed requests, notices from the host, and a clash
 * with a change on disk (serve) with its two choices, Reload from disk and Keep mine. The
 * clash stays until the host says it is resolved: dismissing a notice does not hide it.
 */
import type { DiskConflict } from '../../src/protocol/messages';
import { h } from '../dom';
import { errorText } from '../errorText';
import type { HostClient } from '../host/hostClient';
import type { BannerMessage, Store } from '../state/store';

/** How long a first connection may take before the banner says it is missing. */
const FIRST_CONNECT_MS = 2000;

/** The banner above the stage. */
export class Banner {
  readonly el: HTMLElement;
  /** Whether the page has been connected, and whether the first connection took long. */
  private connectedOnce = false;
  private waited = false;
  private readonly text: HTMLElement;
  private readonly close: HTMLElement;
  private readonly clashText: HTMLElement;
  private readonly clashRow: HTMLElement;
  private readonly choices: HTMLButtonElement[];
  private conflict: DiskConflict | undefined;
  private noticeSeen: BannerMessage | undefined;
  private noticeEntity = '';

  /** `client` given: the banner listens for disk clashes and sends the person's choice. */
  constructor(
    private readonly store: Store,
    dismiss: () => void,
    private readonly client?: HostClient,
  ) {
    this.text = h('span', { class: 'banner-text', 'data-testid': 'banner-text' });
    this.close = h(
      'button',
      {
        class: 'banner-close',
        title: 'Dismiss',
        'aria-label': 'dismiss',
        'data-testid': 'banner-close',
      },
      '×',
    );
    this.close.addEventListener('click', dismiss);
    this.clashText = h('span', { class: 'banner-text', 'data-testid': 'banner-conflict' });
    const choice = (label: string, id: string, title: string): HTMLButtonElement =>
      h('button', { class: 'banner-action', 'data-testid': id, title }, label);
    const reload = choice(
      'Reload from disk',
      'banner-reload',
      'Drop your unsaved edits and load the file as it is on disk now',
    );
    const keep = choice(
      'Keep mine',
      'banner-keep',
      'Keep your version: the next save overwrites the change on disk',
    );
    reload.addEventListener('click', () => void this.choose('reload'));
    keep.addEventListener('click', () => void this.choose('keep'));
    this.choices = [reload, keep];
    this.clashRow = h('div', { class: 'banner-clash' }, this.clashText, reload, keep);
    this.clashRow.hidden = true;
    const body = h('div', { class: 'banner-body' }, this.text, this.clashRow);
    this.el = h(
      'div',
      { class: 'banner', 'data-testid': 'banner', role: 'alert' },
      body,
      this.close,
    );
    this.el.hidden = true;
    store.subscribe(() => this.render());
    setTimeout(() => {
      this.waited = true;
      this.render();
    }, FIRST_CONNECT_MS);
    client?.onHostMessage((m) => {
      if (m.type !== 'document/conflict/didChange') return;
      this.conflict = m.conflict;
      this.render();
    });
  }

  /** Sends the person's choice; the host's `document/conflict/didChange` closes the clash. */
  private async choose(choice: 'reload' | 'keep'): Promise<void> {
    if (!this.client) return;
    for (const b of this.choices) b.disabled = true;
    try {
      await this.client.request({ type: 'document/conflict/resolve', choice });
    } catch (e) {
      const what = choice === 'reload' ? 'Reload from disk' : 'Keep mine';
      this.store.update(['ui'], (s) => {
        s.notice = { level: 'error', text: `${what} failed: ${errorText(e)}` };
      });
    } finally {
      for (const b of this.choices) b.disabled = false;
    }
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
    if (state.connected) this.connectedOnce = true;
    // A serve page draws the sample it carries before its socket opens (issue 14 item 5): that
    // first moment is not a lost connection, unless it lasts.
    const lost = !state.connected && state.mode === 'serve' && (this.connectedOnce || this.waited);
    if (lost) parts.push('Disconnected from groundwork serve; reconnecting…');
    if (state.sample?.media.error)
      parts.push(`Media: ${state.sample.media.error}. The text can still be edited.`);
    if (state.sample?.media.warning) parts.push(`Video: ${state.sample.media.warning}`);
    const notice = state.notice && !this.stale() ? state.notice : undefined;
    if (notice) parts.push(notice.text);
    const level = lost
      ? 'error'
      : (notice?.level ??
        (this.conflict || state.sample?.media.error || state.sample?.media.warning
          ? 'warn'
          : 'info'));
    this.text.textContent = parts.join(' — ');
    this.text.hidden = parts.length === 0;
    this.clashText.textContent = this.conflict?.message ?? '';
    this.clashRow.hidden = this.conflict === undefined;
    // The close button dismisses the notice; a clash goes only by a choice (or by itself).
    this.close.hidden = notice === undefined && this.conflict !== undefined;
    this.el.dataset.level = level;
    this.el.hidden = parts.length === 0 && this.conflict === undefined;
  }
}
