/**
 * `--shard auto`: the shard index and count from the array-job system that started this
 * process. We never schedule: Kubernetes Indexed Jobs, SLURM job arrays and AWS Batch array
 * jobs already run N copies and tell each which one it is. Pure (the environment is passed
 * in), so every scheduler's spelling is tested without one.
 */

/** A shard found in the environment, with the scheduler that set it and how. */
export interface EnvShard {
  readonly index: number;
  readonly count: number;
  /** Which system, and the variables read ("SLURM array: SLURM_ARRAY_TASK_ID=3 ..."). */
  readonly source: string;
}

/** A `--shard auto` that cannot be resolved; the message says what to set. */
export class ShardEnvError extends Error {}

/** The environment variable a manifest sets to the number of shards (the Job's completions). */
export const SHARD_COUNT_ENV = 'GROUNDWORK_SHARD_COUNT';

type Env = Readonly<Record<string, string | undefined>>;

function whole(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim()))
    throw new ShardEnvError(`${name}="${v}" is not a whole number; cannot pick a shard`);
  return Number(v);
}

function checked(index: number, count: number, source: string): EnvShard {
  if (count < 1) throw new ShardEnvError(`${source}: a shard count of ${count} is not >= 1`);
  if (index >= count)
    throw new ShardEnvError(`${source}: index ${index} is not below the count ${count}`);
  return { index, count, source };
}

/** The count given on the command line (`--shard-count`) or by the manifest's env var. */
function explicitCount(env: Env, flagCount: number | undefined): number | undefined {
  return flagCount ?? whole(env, SHARD_COUNT_ENV);
}

function kubernetes(env: Env, flagCount: number | undefined): EnvShard | undefined {
  const index = whole(env, 'JOB_COMPLETION_INDEX');
  if (index === undefined) return undefined;
  const count = explicitCount(env, flagCount);
  if (count === undefined)
    throw new ShardEnvError(
      `Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${index}) gives no shard count: pass --shard-count N or set ${SHARD_COUNT_ENV} to the Job's completions in the manifest`,
    );
  return checked(
    index,
    count,
    `Kubernetes Indexed Job: JOB_COMPLETION_INDEX=${index}, count ${count}`,
  );
}

function slurm(env: Env, flagCount: number | undefined): EnvShard | undefined {
  const id = whole(env, 'SLURM_ARRAY_TASK_ID');
  if (id === undefined) return undefined;
  const min = whole(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
  const max = whole(env, 'SLURM_ARRAY_TASK_MAX');
  const step = whole(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
  const count =
    explicitCount(env, flagCount) ??
    whole(env, 'SLURM_ARRAY_TASK_COUNT') ??
    (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
  if (count === undefined)
    throw new ShardEnvError(
      `SLURM array (SLURM_ARRAY_TASK_ID=${id}) gives no count: SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MAX are unset; pass --shard-count N`,
    );
  // --array=1-8 numbers tasks from 1; --array=0-30:10 steps: the index is the task's rank.
  if (id < min || (id - min) % step !== 0)
    throw new ShardEnvError(
      `SLURM array: SLURM_ARRAY_TASK_ID=${id} is not min ${min} plus a multiple of step ${step}`,
    );
  const index = (id - min) / step;
  return checked(
    index,
    count,
    `SLURM array: SLURM_ARRAY_TASK_ID=${id}, SLURM_ARRAY_TASK_MIN=${min}${step !== 1 ? `, step ${step}` : ''}, count ${count}`,
  );
}

function awsBatch(env: Env, flagCount: number | undefined): EnvShard | undefined {
  const index = whole(env, 'AWS_BATCH_JOB_ARRAY_INDEX');
  if (index === undefined) return undefined;
  // AWS sets only the index; the job definition passes the array size.
  const count = explicitCount(env, flagCount) ?? whole(env, 'AWS_BATCH_JOB_ARRAY_SIZE');
  if (count === undefined)
    throw new ShardEnvError(
      `AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX=${index}) gives no count: set AWS_BATCH_JOB_ARRAY_SIZE (or ${SHARD_COUNT_ENV}) in the job definition, or pass --shard-count N`,
    );
  return checked(
    index,
    count,
    `AWS Batch array job: AWS_BATCH_JOB_ARRAY_INDEX=${index}, count ${count}`,
  );
}

/**
 * The shard of this process: Kubernetes, then SLURM, then AWS Batch (the first whose index
 * variable is set). `flagCount` is `--shard-count`, which overrides any count in the env.
 */
export function shardFromEnv(env: Env, flagCount?: number): EnvShard {
  for (const find of [kubernetes, slurm, awsBatch]) {
    const found = find(env, flagCount);
    if (found) return found;
  }
  throw new ShardEnvError(
    '--shard auto found no array-job environment: none of JOB_COMPLETION_INDEX (Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID (SLURM array), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array) is set. Run it as an array job, or give --shard i/n',
  );
}
