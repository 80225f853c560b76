/**
 * The editor page of serve mode with its first sample inside (issue 14 item 5): the
 * `host/init` snapshot as a JSON data block, so the page draws the first todo before its
 * socket opens, and a preload of the frame it opens on, fetched while the script loads.
 */
import type { InitSnapshot } from '../protocol/snapshot';
import { PAGE_INIT_ID, openingView } from '../protocol/snapshot';
import { htmlAttr } from '../session/webviewHtml';

/**
 * `html` with `init` in a data block before the page's script and a preload of the opening
 * frame in its head. A data block is never run, so the page's CSP (scripts by nonce only)
 * holds; `<` is escaped so no text in the dataset can close the block.
 */
export function withPageInit(html: string, init: InitSnapshot): string {
  const json = JSON.stringify(init)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const block = `<script type="application/json" id="${PAGE_INIT_ID}">${json}</script>\n`;
  let out = html.replace('<script nonce=', `${block}<script nonce=`);
  const sample = init.sample;
  const uri = sample ? sample.media.frames[openingView(sample).frame]?.uri : undefined;
  if (uri)
    out = out.replace(
      '</head>',
      `<link rel="preload" as="image" href="${htmlAttr(uri)}">\n</head>`,
    );
  return out;
}
