/**
 * Restricted Mode: the dataset opens in an untrusted workspace (the extension declares
 * limited support for untrusted workspaces) and its inference status says models are off
 * because the workspace is untrusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useVsCode } from './fixture';
import { ROOT, quickOpen, shot, waitStage, webview } from './harness';

const vs = useVsCode({ name: 'untrusted', open: { trust: false } });
const skip = vs.skip;

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | string; description?: string } };
}

test('package.json declares limited support for untrusted workspaces', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const u = manifest.capabilities?.untrustedWorkspaces;
  assert.ok(
    u,
    'package.json has capabilities.untrustedWorkspaces (without it VS Code disables the extension in Restricted Mode)',
  );
  assert.equal(
    u.supported,
    'limited',
    'supported: "limited" (the editor works, models and workspace executables do not)',
  );
  assert.ok(u.description, 'a description of what is off');
});

test(
  'in Restricted Mode the dataset opens in the editor and models are disabled',
  { skip },
  async () => {
    const page = vs.page;
    await shot(page, '08-untrusted-window');
    await page.locator('text=Restricted Mode').first().waitFor({ timeout: 30_000 });
    await quickOpen(page, 'datasets/sample.cop.jsonl');
    // Without untrusted-workspace support VS Code disables the extension here, and the dataset
    // opens in the text editor instead: say so rather than time out.
    const opened = await Promise.race([
      waitStage(page, undefined, 90_000).then(() => 'editor'),
      page
        .locator('.part.editor .monaco-editor .view-lines')
        .first()
        .waitFor({ timeout: 90_000 })
        .then(() => 'text'),
    ]);
    if (opened === 'text') {
      await page.waitForTimeout(3000);
      if (!(await page.locator('iframe.webview.ready').count())) {
        await shot(page, '09-untrusted-editor');
        assert.fail(
          'in Restricted Mode the dataset opened in the text editor: VS Code disabled the extension (declare capabilities.untrustedWorkspaces)',
        );
      }
    }
    await waitStage(page, undefined, 60_000);
    const wv = webview(page);
    // The inference status field says models are off, and why.
    const status = wv.getByTestId('inference-status');
    await wv
      .locator('[data-testid="inference-status"][data-state="off"]')
      .waitFor({ timeout: 30_000 });
    const why = `${(await status.getAttribute('title')) ?? ''} ${(await status.textContent()) ?? ''}`;
    await shot(page, '09-untrusted-editor');
    assert.match(why, /models? off/i, `models are off (status: "${why}")`);
    assert.match(why, /untrusted/i, `because the workspace is untrusted (status: "${why}")`);
    // The editor itself works: the first sample is on screen.
    assert.equal(await wv.getByTestId('sample-label').textContent(), 'bathroom-cloth-0001');
  },
);
