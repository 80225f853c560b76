import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parseArgs } from '../../../src/cli/args';
import { prelabelCommand } from '../../../src/cli/commands/prelabel';
import { shardName } from '../../../src/cli/commands/split';
import { SHARD_COUNT_ENV, shardFromEnv } from '../../../src/cli/shardEnv';

const DEPLOY = join(__dirname, '..', '..', '..', 'deploy');

interface Container {
  readonly args?: readonly string[];
  readonly command?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value?: string }[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string }[];
}
interface JobSpec {
  readonly completionMode?: string;
  readonly completions?: number;
  readonly parallelism?: number;
  readonly template: {
    readonly spec: {
      readonly restartPolicy?: string;
      readonly containers: readonly Container[];
      readonly volumes?: readonly { readonly name: string }[];
    };
  };
}
interface Job {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: JobSpec;
}

function jobs(file: string): Job[] {
  const docs = parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'));
  for (const d of docs) assert.deepEqual(d.errors, [], `${file} parses as YAML`);
  return docs.map((d) => d.toJS() as Job);
}

test('the Kubernetes Indexed Job has what an Indexed Job needs and runs prelabel --shard auto', () => {
  const [job] = jobs('k8s/prelabel-job.yaml');
  assert.ok(job);
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  assert.equal(job.spec.completionMode, 'Indexed');
  const completions = job.spec.completions ?? 0;
  assert.ok(Number.isInteger(completions) && completions >= 1, 'completions is a count');
  assert.ok((job.spec.parallelism ?? 0) >= 1 && (job.spec.parallelism ?? 0) <= completions);
  const pod = job.spec.template.spec;
  assert.ok(['Never', 'OnFailure'].includes(pod.restartPolicy ?? ''), 'a Job needs restartPolicy');
  const [c] = pod.containers;
  assert.ok(c?.args);
  assert.equal(c.args[0], 'prelabel');
  // The CLI itself accepts the arguments (strict parsing: a typo would be a usage error).
  const parsed = parseArgs(c.args.slice(1), prelabelCommand);
  assert.equal(parsed.options.shard, 'auto');
  const count = c.env?.find((e) => e.name === SHARD_COUNT_ENV)?.value;
  assert.equal(Number(count), completions, `${SHARD_COUNT_ENV} equals completions`);
  // Every index Kubernetes hands out resolves to its own shard.
  const indexes = [...Array(completions).keys()].map(
    (i) => shardFromEnv({ JOB_COMPLETION_INDEX: String(i), [SHARD_COUNT_ENV]: count }).index,
  );
  assert.deepEqual(indexes, [...Array(completions).keys()]);
  // Dataset and shard outputs on the same mounted volume, which the pod declares.
  const volumes = new Set(pod.volumes?.map((v) => v.name));
  for (const m of c.volumeMounts ?? []) assert.ok(volumes.has(m.name), `volume ${m.name} declared`);
  const data = c.volumeMounts?.find((m) =>
    (parsed.positionals[0] ?? '').startsWith(m.mountPath + '/'),
  );
  assert.ok(data, 'the dataset is on a mounted volume');
  assert.ok(
    String(parsed.options['out-dir']).startsWith(data.mountPath + '/'),
    'outputs beside it',
  );
  const [merge] = jobs('k8s/merge-job.yaml');
  assert.equal(merge?.kind, 'Job');
  const script = merge?.spec.template.spec.containers[0]?.args?.join(' ') ?? '';
  assert.match(
    script,
    new RegExp(`groundwork merge .*shard-\\*-of-${completions}\\.cop\\.jsonl -o `),
  );
});

test('the sbatch script is valid bash, an array on a GPU partition, and runs prelabel --shard auto', () => {
  const file = join(DEPLOY, 'slurm', 'prelabel.sbatch');
  execFileSync('bash', ['-n', file]);
  execFileSync('bash', ['-n', join(DEPLOY, 'slurm', 'merge.sbatch')]);
  const text = readFileSync(file, 'utf8');
  const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(text);
  assert.ok(array, '#SBATCH --array=min-max');
  assert.match(text, /^#SBATCH --gres=gpu:1$/m);
  assert.match(text, /^#SBATCH --partition=gpu$/m);
  const [min, max] = [Number(array[1]), Number(array[2])];
  const count = max - min + 1;
  // Run the script with an echoing CLI for one task, as SLURM would start it.
  const dir = mkdtempSync(join(tmpdir(), 'gw-sbatch-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GROUNDWORK: 'echo',
    SLURM_ARRAY_TASK_ID: String(max),
    SLURM_ARRAY_TASK_MIN: String(min),
    SLURM_ARRAY_TASK_COUNT: String(count),
  };
  execFileSync('bash', [file, join(dir, 'ds.cop.jsonl'), join(dir, 'shards')], { env });
  const argv = readFileSync(join(dir, `shards.task-${max}.json`), 'utf8')
    .trim()
    .split(' ');
  assert.equal(argv[0], 'prelabel');
  const parsed = parseArgs(argv.slice(1), prelabelCommand);
  assert.equal(parsed.options.shard, 'auto');
  assert.equal(shardFromEnv(env).index, count - 1, 'the last task is the last shard');
  // The merge script lists the shards in order, named as prelabel --out-dir names them.
  const merged = execFileSync(
    'bash',
    [join(DEPLOY, 'slurm', 'merge.sbatch'), join(dir, 'ds.cop.jsonl'), String(count)],
    { env },
  )
    .toString()
    .trim()
    .split(' ');
  assert.equal(merged[0], 'merge');
  const want = [...Array(count).keys()].map((i) =>
    join(dir, 'shards', shardName('ds.cop.jsonl', i, count)),
  );
  assert.deepEqual(merged.slice(1, count + 1), want);
});

test('the image: Node 20, ffmpeg, the bundled CLI, the CUDA provider as a build option', () => {
  const text = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  assert.match(text, /^FROM node:20/m);
  assert.match(text, /apt-get install[^\n]*ffmpeg/);
  assert.match(text, /^ARG ORT_PROVIDER=cpu$/m);
  assert.match(text, /ONNXRUNTIME_NODE_INSTALL=cuda12/);
  assert.match(text, /node esbuild\.mjs/);
  assert.match(text, /ENTRYPOINT \["node", "\/opt\/groundwork\/dist\/cli\.js"\]/);
});
