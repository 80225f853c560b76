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

test('an interactive job runs before every background job queued ahead of it', async () => {
  const lanes = new PriorityLanes();
  const order: string[] = [];
  const first = gated(order, 'detect-1');
  const running = lanes.run('background', first.job);
  const queued = ['detect-2', 'embed-3', 'detect-4'].map((name) =>
    lanes.run('background', async () => {
      order.push(name);
      return name;
    }),
  );
  const click = lanes.run('interactive', async () => {
    order.push('click');
    return 'click';
  });
  await new Promise((r) => setTimeout(r, 5));
  // Only the run already under way goes before the click; nothing else started meanwhile.
  assert.deepEqual(order, ['detect-1']);
  assert.equal(lanes.waiting, 4);
  first.open();
  assert.equal(await click, 'click');
  assert.equal(await running, 'detect-1');
  await Promise.all(queued);
  assert.deepEqual(order, ['detect-1', 'click', 'detect-2', 'embed-3', 'detect-4']);
  await lanes.idle();
});

test('one job at a time, each lane in arrival order; a failing job fails only its own promise', async () => {
  const lanes = new PriorityLanes();
  let concurrent = 0;
  let most = 0;
  const order: string[] = [];
  const job =
    (name: string, fail = false) =>
    async (): Promise<string> => {
      concurrent++;
      most = Math.max(most, concurrent);
      await new Promise((r) => setTimeout(r, 2));
      concurrent--;
      order.push(name);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  const results = await Promise.allSettled([
    lanes.run('background', job('b1')),
    lanes.run('interactive', job('i1', true)),
    lanes.run('background', job('b2')),
    lanes.run('interactive', job('i2')),
  ]);
  assert.equal(most, 1);
  assert.deepEqual(order, ['b1', 'i1', 'i2', 'b2']);
  assert.equal(results[1]?.status, 'rejected');
  assert.deepEqual(
    results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
    ['b1', 'b2', 'i2'],
  );
});

test('a job cancelled while it waits is skipped with a cancelled error and never starts', async () => {
  const lanes = new PriorityLanes();
  const order: string[] = [];
  const first = gated(order, 'first');
  const running = lanes.run('background', first.job);
  const source = new CancelSource();
  const cancelled = lanes.run(
    'interactive',
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
