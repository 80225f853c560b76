import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShardEnvError, shardFromEnv } from '../../../src/cli/shardEnv';

test('Kubernetes Indexed Job: JOB_COMPLETION_INDEX with the count from the manifest env or --shard-count', () => {
  const s = shardFromEnv({ JOB_COMPLETION_INDEX: '2', GROUNDWORK_SHARD_COUNT: '5' });
  assert.deepEqual([s.index, s.count], [2, 5]);
  assert.match(s.source, /Kubernetes Indexed Job: JOB_COMPLETION_INDEX=2, count 5/);
  assert.equal(shardFromEnv({ JOB_COMPLETION_INDEX: '0' }, 3).count, 3);
  assert.throws(
    () => shardFromEnv({ JOB_COMPLETION_INDEX: '1' }),
    /gives no shard count: pass --shard-count N or set GROUNDWORK_SHARD_COUNT/,
  );
});

test('SLURM array: the index counts from SLURM_ARRAY_TASK_MIN, with the step; the count from COUNT or MAX', () => {
  const one = shardFromEnv({
    SLURM_ARRAY_TASK_ID: '3',
    SLURM_ARRAY_TASK_MIN: '1',
    SLURM_ARRAY_TASK_COUNT: '8',
  });
  assert.deepEqual([one.index, one.count], [2, 8]);
  assert.match(one.source, /^SLURM array: SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_MIN=1/);
  const stepped = shardFromEnv({
    SLURM_ARRAY_TASK_ID: '20',
    SLURM_ARRAY_TASK_MIN: '0',
    SLURM_ARRAY_TASK_MAX: '30',
    SLURM_ARRAY_TASK_STEP: '10',
  });
  assert.deepEqual([stepped.index, stepped.count], [2, 4]);
  assert.throws(
    () => shardFromEnv({ SLURM_ARRAY_TASK_ID: '2' }),
    /SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MAX are unset/,
  );
});

test('AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX with AWS_BATCH_JOB_ARRAY_SIZE', () => {
  const s = shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '4', AWS_BATCH_JOB_ARRAY_SIZE: '10' });
  assert.deepEqual([s.index, s.count], [4, 10]);
  assert.match(s.source, /^AWS Batch array job/);
  assert.throws(() => shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '4' }), /AWS_BATCH_JOB_ARRAY_SIZE/);
});

test('none set, bad numbers and an index past the count are clear errors', () => {
  assert.throws(
    () => shardFromEnv({ HOME: '/root' }),
    (e: unknown) =>
      e instanceof ShardEnvError &&
      /JOB_COMPLETION_INDEX \(Kubernetes Indexed Job\), SLURM_ARRAY_TASK_ID \(SLURM array\), AWS_BATCH_JOB_ARRAY_INDEX/.test(
        e.message,
      ),
  );
  assert.throws(
    () => shardFromEnv({ JOB_COMPLETION_INDEX: 'x', GROUNDWORK_SHARD_COUNT: '2' }),
    /JOB_COMPLETION_INDEX="x" is not a whole number/,
  );
  assert.throws(
    () => shardFromEnv({ JOB_COMPLETION_INDEX: '3', GROUNDWORK_SHARD_COUNT: '3' }),
    /index 3 is not below the count 3/,
  );
});

test('property: every SLURM task of --array=min-max:step gets a distinct index covering 0..count-1', () => {
  fc.assert(
    fc.property(
      fc.nat(50),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 5 }),
      (min, tasks, step) => {
        const max = min + (tasks - 1) * step;
        const seen = new Set<number>();
        for (let id = min; id <= max; id += step) {
          const s = shardFromEnv({
            SLURM_ARRAY_TASK_ID: String(id),
            SLURM_ARRAY_TASK_MIN: String(min),
            SLURM_ARRAY_TASK_MAX: String(max),
            SLURM_ARRAY_TASK_STEP: String(step),
          });
          assert.equal(s.count, tasks);
          seen.add(s.index);
        }
        assert.deepEqual(
          [...seen].sort((a, b) => a - b),
          [...Array(tasks).keys()],
        );
      },
    ),
  );
});
