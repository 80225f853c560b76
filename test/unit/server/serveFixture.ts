/**
 * `groundwork serve` over a one-file dataset for the server's unit tests: stub webview
 * assets, media rooted at `<dir>/ws`, the session in memory. Each test writes its own media.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLines } from '../../../src/core/dataset';
import { EditorSession } from '../../../src/session/editorSession';
import { LocalMedia } from '../../../src/session/sampleMedia';
import { startServe } from '../../../src/server/serveServer';
import type { ServeHandle } from '../../../src/server/serveServer';

/** Writes `text` as `<dir>/ws/data/d.cop.jsonl` and serves it with token `token`. */
export async function serveDataset(
  dir: string,
  text: string,
  token: string,
  extra: { readonly watch?: boolean } = {},
): Promise<ServeHandle> {
  mkdirSync(join(dir, 'ws', 'data'), { recursive: true });
  const assets = join(dir, 'assets');
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(assets, 'webview.js'), '/* bundle */');
  writeFileSync(join(assets, 'webview.css'), '/* css */');
  const path = join(dir, 'ws', 'data', 'd.cop.jsonl');
  writeFileSync(path, text);
  return startServe({
    token,
    assetsDir: assets,
    ...(extra.watch !== undefined ? { watch: extra.watch } : {}),
    makeSession: async (toUri) => {
      const media = new LocalMedia({ datasetPath: path, roots: [join(dir, 'ws')], toUri });
      return {
        session: new EditorSession({
          path,
          doc: splitLines(text),
          mode: 'serve',
          media,
          log: () => {},
        }),
        roots: () => media.roots(),
      };
    },
  });
}
