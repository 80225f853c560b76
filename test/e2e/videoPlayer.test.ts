/**
 * Issue 13 item 8 in a real VS Code (code-server): the video sample's clip reaches the webview
 * through `asWebviewUri` (the same path as the frames, under the webview's CSP), plays at its
 * real rate when Space is pressed, and pausing lands the frame view on the nearest sampled
 * frame. Screenshots go to test-artifacts/e2e/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useVsCode } from './fixture';
import { copyAssets, extensionHostProblems, quickOpen, shot, waitStage, webview } from './harness';

const vs = useVsCode({
  name: 'video-player',
  workspace: () => {
    const dir = copyAssets('gw-e2e-player-');
    // The shared dataset's bedroom.mp4 sample alone, so it is the sample the editor opens on.
    const lines = readFileSync(join(dir, 'datasets', 'sample.cop.jsonl'), 'utf8').split('\n');
    const bedroom = lines.find((l) => l.includes('bedroom.mp4'));
    assert.ok(bedroom, 'the shared dataset has the bedroom.mp4 sample');
    writeFileSync(join(dir, 'datasets', 'player.cop.jsonl'), `${bedroom}\n`);
    return dir;
  },
});
const skip = vs.skip;

test(
  'the clip travels as a webview resource, plays in real time, and pausing lands on a sampled frame',
  { skip, timeout: 400_000 },
  async () => {
    const page = vs.page;
    const wv = webview(page);
    await quickOpen(page, 'datasets/player.cop.jsonl');
    await waitStage(page, 0, 120_000);
    await wv.getByTestId('stage').click();

    await page.keyboard.press('Space');
    const video = wv.getByTestId('player-video');
    await video.waitFor({ state: 'visible', timeout: 30_000 });
    // Polled from here: a function declared inside an evaluate body gets tsx's __name helper.
    const sample = (): Promise<{
      src: string;
      clock: number;
      paused: boolean;
      wall: number;
      error: string;
    }> =>
      video.evaluate((el) => {
        const v = el as HTMLVideoElement;
        return {
          src: v.currentSrc,
          clock: v.currentTime,
          paused: v.paused,
          wall: performance.now(),
          error: v.error?.message ?? (v.error ? `code ${v.error.code}` : ''),
        };
      });
    let first = await sample();
    for (let tries = 0; (first.paused || first.clock < 0.05) && !first.error; tries++) {
      assert.ok(tries < 600, 'the clip starts playing within a minute');
      await page.waitForTimeout(100);
      first = await sample();
    }
    await page.waitForTimeout(1500);
    const last = await sample();
    const played = {
      src: last.src,
      clock: last.clock - first.clock,
      wall: (last.wall - first.wall) / 1000,
      error: first.error || last.error,
    };
    console.log(
      `# VS Code webview: ${played.clock.toFixed(3)} s of clip in ${played.wall.toFixed(3)} s (src ${played.src.slice(0, 60)}…)`,
    );
    assert.equal(played.error, '', 'the webview plays the clip');
    assert.match(played.src, /vscode-(resource|cdn)|vscode-webview/, 'a webview resource URI');
    assert.match(played.src, /bedroom\.mp4/);
    const rate = played.clock / played.wall;
    assert.ok(rate > 0.7 && rate < 1.3, `real rate (${rate.toFixed(2)}x)`);
    await shot(page, 'player-01-playing-in-vscode');

    await page.keyboard.press('Space');
    const nearest = Number(await wv.getByTestId('player-clock').getAttribute('data-nearest'));
    await waitStage(page, nearest, 60_000);
    assert.match(
      (await wv.getByTestId('frame-label').textContent()) ?? '',
      new RegExp(`^frame ${nearest} of`),
    );
    assert.ok(await wv.getByTestId('player').isHidden(), 'the frame view is back for the tools');
    await shot(page, 'player-02-landed-in-vscode');
    const problems = extensionHostProblems(vs.s.server, 'video-player');
    assert.deepEqual(problems, [], problems.join('\n---\n'));
  },
);
