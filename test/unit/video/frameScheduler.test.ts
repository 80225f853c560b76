/** Priorities, de-duplication and cancellation of the frame scheduler, with a fake decoder. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameScheduler } from '../../../src/video/frameScheduler';
import type { SchedulerVideo } from '../../../src/video/frameScheduler';

/** A fake video whose passes finish when the test says so. */
function fakeVideo(id = 'v'): SchedulerVideo & {
  runs: number[][];
  priorities: string[];
  finish(i: number): void;
  signals: AbortSignal[];
} {
  const pending: (() => void)[] = [];
  const v = {
    id,
    runs: [] as number[][],
    priorities: [] as string[],
    signals: [] as AbortSignal[],
    run(
      frames: readonly number[],
      signal: AbortSignal,
      onFrame: (f: number) => void,
      priority: string,
    ): Promise<void> {
      v.runs.push([...frames]);
      v.priorities.push(priority);
      v.signals.push(signal);
      return new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('killed')));
        pending.push(() => {
          for (const f of frames) onFrame(f);
          resolve();
        });
      });
    },
    finish(i: number) {
      pending[i]?.();
    },
  };
  return v;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('the frame on screen starts at once beside a running pass; nothing is queued twice', async () => {
  const s = new FrameScheduler(1);
  const v = fakeVideo();
  const a = s.request(v, [0, 1, 2, 3, 4], 'background');
  const b = s.request(v, [5, 6, 7, 8, 9], 'background');
  const c = s.request(v, [7], 'visible');
  const d = s.request(v, [3], 'near'); // running in the first pass: joins it
  assert.deepEqual(v.runs, [[0, 1, 2, 3, 4], [7]], 'the visible frame has its own lane');
  assert.deepEqual(v.priorities, ['background', 'visible'], 'each pass is told its priority');
  v.finish(1);
  await c;
  v.finish(0);
  await Promise.all([a, d]);
  await tick();
  assert.deepEqual(v.runs[2], [5, 6, 8, 9], 'then the rest, without 7');
  v.finish(2);
  await b;
  await s.request(v, [1, 7, 9], 'visible'); // all cached: resolves without a run
  assert.equal(v.runs.length, 3);
});

test('the newest frame on screen goes first; at most two foreground passes at once', async () => {
  const s = new FrameScheduler(1);
  const v = fakeVideo();
  const wanted = [10, 20, 30, 40].map((f) => s.request(v, [f], 'visible'));
  assert.deepEqual(v.runs, [[10], [20]], 'two foreground passes, the rest wait');
  v.finish(0);
  await wanted[0];
  await tick();
  assert.deepEqual(v.runs[2], [40], 'the latest key press before the older one');
  for (const i of [1, 2]) v.finish(i);
  await tick();
  v.finish(3);
  await Promise.all(wanted);
});

test('a visible frame does not wait behind a long background pass when a slot is free', async () => {
  const s = new FrameScheduler(2);
  const v = fakeVideo();
  void s.request(v, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'background');
  const vis = s.request(v, [8], 'visible');
  assert.deepEqual(v.runs, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [8]]);
  v.finish(1);
  await vis;
  v.finish(0);
});

test('cancelling: a queued request is dropped, a pass nobody waits for is aborted', async () => {
  const s = new FrameScheduler(1);
  const v = fakeVideo();
  const running = new AbortController();
  const queued = new AbortController();
  const r1 = s.request(v, [0, 1], 'background', running.signal);
  const r2 = s.request(v, [5], 'near', queued.signal);
  queued.abort();
  await assert.rejects(r2, /Cancelled/);
  running.abort();
  await assert.rejects(r1, /Cancelled/);
  assert.equal(v.signals[0]?.aborted, true, 'the running pass was told to stop');
  await tick();
  assert.equal(v.runs.length, 1, 'the cancelled queued frame never ran');
  const again = s.request(v, [0], 'visible');
  await tick();
  assert.deepEqual(v.runs[1], [0], 'a later request starts a fresh pass');
  v.finish(1);
  await again;
});
