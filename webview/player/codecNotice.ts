/**
 * What the player says when the browser cannot play the clip: VS Code's Electron ships
 * without H.264 on some platforms, and a browser may lack a codec too. The frames are
 * decoded by ffmpeg on the host and are unaffected; the notice says so, and offers a VP9/WebM
 * proxy the host makes on demand (cached beside the extracted frames) where it can.
 */
import { h } from '../dom';
import { errorText } from '../errorText';

/** Makes (or finds cached) the VP9 proxy of the sample's clip; resolves with its URI. */
export type ProxyMaker = () => Promise<string>;

/** Why a `<video>` error happened, in words a person can act on. */
export function mediaErrorText(error: MediaError | null, videoName: string): string {
  const inVsCode = document.body.dataset.host === 'vscode';
  const where = inVsCode ? 'VS Code’s webview' : 'This browser';
  const codec =
    error?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED ||
    error?.code === MediaError.MEDIA_ERR_DECODE;
  const detail = error?.message ? ` (${error.message})` : '';
  if (!codec)
    return `${videoName}: the player could not load the video${detail}. The sampled frames are unaffected.`;
  const h264 = inVsCode ? ' VS Code ships without the H.264 codec on some platforms.' : '';
  return `${where} cannot play the codec of ${videoName}${detail}.${h264} The sampled frames are decoded separately and are unaffected; switch to the frame view to annotate.`;
}

/** The notice over the player: the message, and the proxy button when a maker is wired. */
export class CodecNotice {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly proxy: HTMLButtonElement;
  private maker: ProxyMaker | undefined;

  constructor(private readonly useUri: (uri: string) => void) {
    this.text = h('div', { class: 'player-message-text', 'data-testid': 'player-message-text' });
    this.proxy = h(
      'button',
      {
        class: 'player-proxy',
        'data-testid': 'player-proxy',
        title: 'ffmpeg makes a 480p VP9/WebM copy for watching (cached; the frames do not change)',
      },
      'Make a playable copy (VP9)',
    );
    this.proxy.addEventListener('click', () => void this.makeProxy());
    this.el = h('div', { class: 'player-message', 'data-testid': 'player-message' }, this.text);
    this.el.append(this.proxy);
    this.hide();
  }

  /** Shows `message`; the proxy button only when the host can make one. */
  show(message: string, maker: ProxyMaker | undefined): void {
    this.maker = maker;
    this.text.textContent = message;
    this.proxy.hidden = !maker;
    this.proxy.disabled = false;
    this.el.hidden = false;
  }

  /** Hides the notice. */
  hide(): void {
    this.el.hidden = true;
    this.text.textContent = '';
  }

  private async makeProxy(): Promise<void> {
    const maker = this.maker;
    if (!maker) return;
    this.proxy.disabled = true;
    this.text.textContent = 'Making a VP9 copy of the clip with ffmpeg (cached for next time)…';
    try {
      const uri = await maker();
      this.hide();
      this.useUri(uri);
    } catch (e) {
      this.text.textContent = `Could not make the VP9 copy: ${errorText(e)}`;
      this.proxy.disabled = false;
    }
  }
}
