/**
 * Restricted Mode: the dataset opens in an untrusted workspace (the extension declares
 * limited support for untrusted workspaces) and the editor says that models are off there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, copyAssets, extensionHostProblems, openVsCode, quickOpen, shot, skipReason, waitStage, webview } from './harness';
import type { Session } from './harness';

const skip = skipReason();
if (skip) console.log(`# skipped e2e (untrusted workspace) tests: ${skip}`);

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | string; description?: string } };
}

let dir = '';
let s: Session | undefined;

before(async () => {
  if (skip) return;
  dir = copyAssets('gw-e2e-untrusted-');
  s = await openVsCode(dir, { trust: false });
});

after(async () => {
  if (s) {
    extensionHostProblems(s.server, 'untrusted');
    await s.close();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('package.json declares limited support for untrusted workspaces', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const u = manifest.capabilities?.untrustedWorkspaces;
  assert.ok(u, 'package.json has capabilities.untrustedWorkspaces (without it VS Code disables the extension in Restricted Mode)');
  assert.equal(u.supported, 'limited', 'supported: "limited" (the editor works, models and workspace executables do not)');
  assert.ok(u.description, 'a description of what is off');
});

test('in Restricted Mode the dataset opens in the editor and models are disabled', { skip }, async () => {
  const page = s!.page;
  await shot(page, '08-untrusted-window');
  await page.locator('text=Restricted Mode').first().waitFor({ timeout: 30_000 });
  await quickOpen(page, 'datasets/sample.cop.jsonl');
  // Without untrusted-workspace support VS Code disables the extension here, and the dataset
  // opens in the text editor instead: say so rather than time out.
  const opened = await Promise.race([
    waitStage(page, undefined, 90_000).then(() => 'editor'),
    page.locator('.part.editor .monaco-editor .view-lines').first().waitFor({ timeout: 90_000 }).then(() => 'text'),
  ]);
  if (opened === 'text') {
    await page.waitForTimeout(3000);
    if (!(await page.locator('iframe.webview.ready').count())) {
      await shot(page, '09-untrusted-editor');
      assert.fail('in Restricted Mode the dataset opened in the text editor: VS Code disabled the extension (declare capabilities.untrustedWorkspaces)');
    }
  }
  await waitStage(page, undefined, 60_000);
  const wv = webview(page);
  await wv.getByTestId('banner').waitFor({ timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  let banner = '';
  while (Date.now() < deadline) {
    banner = (await wv.getByTestId('banner').textContent()) ?? '';
    if (/trust|restricted/i.test(banner)) break;
    await page.waitForTimeout(500);
  }
  await shot(page, '09-untrusted-editor');
  assert.match(banner, /trust|restricted/i, `the banner says the workspace is untrusted (banner: "${banner}")`);
  assert.match(banner, /model/i, `the banner says models are off (banner: "${banner}")`);
});
