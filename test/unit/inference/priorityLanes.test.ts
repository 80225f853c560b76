import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelSource } from '../../../src/protocol/channel';
import { RequestError } from '../../../src/protocol/envelope';
import { PriorityLanes } from '../../../src/inference/priorityLanes';
import { laneOf } from '../../../src/inference/workerHandler';

/** A job that records its start and finishes when the test releases it. */
function gated(order: string[], name: string): { job: () => Promise<string>; open: () => void } {
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    job: async () => {
      order.push(name);
      await gate;
      return name;
    },
    open: () => open(),
  };
}

test('a click starts beside a background run under way; queued background jobs wait for it', async () => {
  const lanes = new PriorityLanes(0);
  const order: string[] = [];
  const first = gated(order, 'embed-1');
  const running = lanes.run('background', first.job);
  const queued = ['detect-2', 'embed-3', 'detect-4'].map((name) =>
    lanes.run('background', async () => {
      order.push(name);
      return name;
    }),
  );
  const click = gated(order, 'click');
  const clicked = lanes.run('interactive', click.job);
  await new Promise((r) => setTimeout(r, 5));
  // The encoder run cannot be interrupted, so the click does not wait for it.
  assert.deepEqual(order, ['embed-1', 'click']);
  assert.equal(lanes.waiting, 3);
  // The background run ends first: the next background job still waits for the click.
  first.open();
  assert.equal(await running, 'embed-1');
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(order, ['embed-1', 'click']);
  click.open();
  assert.equal(await clicked, 'click');
  await Promise.all(queued);
  assert.deepEqual(order, ['embed-1', 'click', 'detect-2', 'embed-3', 'detect-4']);
  await lanes.idle();
});

test('at most one job per lane, each lane in arrival order; a failing job fails only its own promise', async () => {
  const lanes = new PriorityLanes(0);
  const concurrent: Record<string, number> = { interactive: 0, background: 0 };
  const most: Record<string, number> = { interactive: 0, background: 0 };
  const order: string[] = [];
  const job =
    (lane: 'interactive' | 'background', name: string, fail = false) =>
    async (): Promise<string> => {
      concurrent[lane] = (concurrent[lane] ?? 0) + 1;
      most[lane] = Math.max(most[lane] ?? 0, concurrent[lane] ?? 0);
      await new Promise((r) => setTimeout(r, 2));
      concurrent[lane] = (concurrent[lane] ?? 0) - 1;
      order.push(name);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  const results = await Promise.allSettled([
    lanes.run('background', job('background', 'b1')),
    lanes.run('interactive', job('interactive', 'i1', true)),
    lanes.run('background', job('background', 'b2')),
    lanes.run('interactive', job('interactive', 'i2')),
  ]);
  assert.deepEqual(most, { interactive: 1, background: 1 });
  // b2 starts only after both clicks: it never runs while one runs or waits.
  assert.equal(order.indexOf('b2'), 3);
  assert.ok(order.indexOf('i1') < order.indexOf('i2'));
  assert.equal(results[1]?.status, 'rejected');
  assert.deepEqual(
    results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
    ['b1', 'b2', 'i2'],
  );
});

test('background work holds off for the quiet period after a click, then runs', async () => {
  const quietMs = 60;
  const lanes = new PriorityLanes(quietMs);
  const started: { embed?: number; click?: number } = {};
  let clickEnd = 0;
  await lanes.run('interactive', async () => {
    clickEnd = performance.now();
  });
  const embedded = lanes.run('background', async () => {
    started.embed = performance.now();
  });
  await new Promise((r) => setTimeout(r, quietMs / 3));
  assert.ok(!('embed' in started), 'no background run right after the click');
  // A second click inside the quiet period runs at once and restarts the period.
  const t = performance.now();
  await lanes.run('interactive', async () => {
    started.click = performance.now();
  });
  assert.ok((started.click ?? Number.NaN) - t < quietMs / 2, 'the second click did not wait');
  await embedded;
  const embedAt = started.embed ?? Number.NaN;
  assert.ok(
    embedAt - clickEnd >= quietMs - 2,
    `background started ${(embedAt - clickEnd).toFixed(1)} ms after the first click`,
  );
  await lanes.idle();
});

test('a job cancelled while it waits is skipped with a cancelled error and never starts', async () => {
  const lanes = new PriorityLanes(0);
  const order: string[] = [];
  const first = gated(order, 'first');
  const running = lanes.run('background', first.job);
  const source = new CancelSource();
  // A second background job waits for the first; cancelled meanwhile, it never starts.
  const cancelled = lanes.run(
    'background',
    async () => {
      order.push('cancelled one');
      return 'x';
    },
    source,
  );
  source.cancel();
  first.open();
  await running;
  await assert.rejects(
    cancelled,
    (e: unknown) => e instanceof RequestError && e.code === 'cancelled',
  );
  await lanes.idle();
  assert.deepEqual(order, ['first']);
});

test('the worker puts detector passes and embeddings in the background lane, clicks in front', () => {
  assert.equal(laneOf('frame/detect'), 'background');
  assert.equal(laneOf('frame/embed'), 'background');
  assert.equal(laneOf('frame/segment'), 'interactive');
  assert.equal(laneOf('model/load'), 'interactive');
  assert.equal(laneOf('worker/doctor'), 'interactive');
});
