/**
 * The @vscode/test-electron suite (test/e2e/electron/): host-side checks inside desktop VS
 * Code. It needs desktop VS Code (GROUNDWORK_VSCODE_EXECUTABLE, or a download); where there is
 * none (no network to update.code.visualstudio.com, as on CI) it skips and prints why.
 */
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import { copyAssets, skipReason } from './harness';
import { findVsCode, runElectronSuite } from './electron/runElectron';

test('host-side suite in desktop VS Code (@vscode/test-electron)', async (t) => {
  const assets = skipReason();
  if (assets) {
    console.log(`# skipped electron suite: ${assets}`);
    t.skip(assets);
    return;
  }
  const found = await findVsCode();
  if ('reason' in found) {
    console.log(`# skipped electron suite: ${found.reason}`);
    t.skip(found.reason);
    return;
  }
  const dir = copyAssets('gw-electron-');
  try {
    const r = await runElectronSuite(found.executable, dir);
    if (r.skipped) {
      console.log(`# skipped electron suite: ${r.skipped}`);
      t.skip(r.skipped);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
