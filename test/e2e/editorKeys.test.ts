/**
 * Issue 13 items 7 and 9 in a real VS Code (code-server): the editor's keys are VS Code
 * keybindings. With accept moved from Enter to Q in the person's keybindings.json, the help
 * overlay shows Q, Enter no longer accepts and Q does (VS Code runs the contributed command,
 * the view applies it); the header chip says when the keys are elsewhere in VS Code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useVsCode } from './fixture';
import { extensionHostProblems, quickOpen, shot, waitAttr, waitStage, webview } from './harness';

const vs = useVsCode({
  name: 'editor-keys',
  // The person's own keybindings.json (Preferences: Open Keyboard Shortcuts (JSON)).
  open: {
    keybindings: `// accept moved to Q
[
  { "key": "q", "command": "groundwork.editor.accept" },
  { "key": "enter", "command": "-groundwork.editor.accept" },
]
`,
  },
});
const skip = vs.skip;

test(
  'a rebound key: the help shows it, the old key does nothing, the new one accepts',
  { skip, timeout: 300_000 },
  async () => {
    const page = vs.page;
    const wv = webview(page);
    await quickOpen(page, 'datasets/sample.cop.jsonl');
    await waitStage(page, undefined, 120_000);
    await wv.getByTestId('stage').click();
    await waitAttr(page, 'keys-state', 'data-keys', 'editor');

    await page.keyboard.press('?');
    await wv.getByTestId('help-overlay').waitFor();
    assert.equal(await wv.locator('[data-testid="help-key-Enter"] kbd').first().textContent(), 'Q');
    await shot(page, 'keys-01-help-rebound');
    await page.keyboard.press('Escape');

    // Entity 3 ("blue cloth") carries an imported proposal.
    // (No click on the stage: the select tool would take it for a move of the proposal.)
    await wv.getByTestId('entity-item-3').click();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    assert.equal(await wv.getByTestId('entity-item-3').getAttribute('data-status'), 'proposed');
    await page.keyboard.press('q');
    await waitAttr(page, 'entity-item-3', 'data-status', 'accepted');
    await shot(page, 'keys-02-accepted-with-q');

    // Focus goes to the Explorer: the editor says the keys are elsewhere.
    await page.locator('.part.sidebar .composite.title').first().click();
    await waitAttr(page, 'keys-state', 'data-keys', 'elsewhere');
    await shot(page, 'keys-03-elsewhere');
    const problems = extensionHostProblems(vs.s.server, 'editor-keys');
    assert.deepEqual(problems, [], problems.join('\n---\n'));
  },
);
