import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BEDROOM, REPO, YOLOX_PATH, missingAssets } from '../inference/sharedAssets';

const skip = missingAssets(YOLOX_PATH, BEDROOM);
const CHILD = join(__dirname, 'cliChild.ts');
const SCHEDULER_VARS = /^(JOB_COMPLETION_INDEX|SLURM_|AWS_BATCH_|GROUNDWORK_SHARD_COUNT)/;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as a separate process with `env` on top of a scheduler-free environment. */
function groundwork(
  args: string[],
  env: Record<string, string> = {},
): {
  done: Promise<Run>;
  pid: number;
} {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !SCHEDULER_VARS.test(k)),
  );
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: REPO,
    env: { ...base, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '',
    stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((res) => p.on('close', (code) => res({ code, stdout, stderr })));
  return { done, pid: p.pid as number };
}

const sample = (id: string, reasoning: string): string =>
  JSON.stringify({ id, video: BEDROOM, fps: 0.5, reasoning });
const human = JSON.stringify({
  id: 'h-1',
  video: BEDROOM,
  fps: 0.5,
  reasoning: 'A [girl].',
  groundwork: {
    status: 'annotated',
    entities: [
      {
        text: 'girl',
        status: 'accepted',
        kind: 'object',
        grounding: {
          tag: 'object',
          frame: 0,
          points: [
            [1, 2],
            [3, 4],
          ],
          size: [960, 540],
          source: 'human',
        },
      },
    ],
  },
});
// BOM, CRLF, a lone CR, a blank line, an invalid line and human work: all must survive.
const INPUT =
  '\ufeff' +
  [
    sample('s-1', 'The [girl] jumps.') + '\r\n',
    sample('s-2', 'The [boy] jumps.') + '\n',
    '\n',
    human + '\n',
    sample('s-3', 'The [girl in the blue skirt] and the [bed].') + '\r',
    'not json at all\n',
    sample('s-4', 'The [boy] near the [open floor].') + '\n',
    sample('s-5', 'A [girl] and a [boy].') + '\n',
    sample('s-6', 'The [bed].') + '\n',
    sample('s-7', 'The [boy] again.'),
  ].join('');
const WORK_SAMPLES = 7;
const MEDIA = ['--device', 'cpu', '--media-root', dirname(BEDROOM)];

function setup(): { dir: string; ds: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-shards-'));
  const ds = join(dir, 'd.cop.jsonl');
  writeFileSync(ds, INPUT);
  return { dir, ds };
}

/** Per line: the proposals, or the line itself when it has none. */
function proposalsByLine(text: string): unknown[] {
  return text.split(/(?<=\r\n|\n|\r(?!\n))/).map((line) => {
    try {
      const v = JSON.parse(line.replace(/^\ufeff/, '')) as {
        groundwork?: { entities: { proposal?: unknown }[] };
      };
      return v.groundwork ? v.groundwork.entities.map((e) => e.proposal ?? null) : line;
    } catch {
      return line;
    }
  });
}

test(
  'three shards as three processes (SLURM and Kubernetes environments), merged, equal a single-process run',
  { skip, timeout: 240_000 },
  async () => {
    const { dir, ds } = setup();
    const single = await groundwork(['prelabel', ds, '-o', join(dir, 'single.jsonl'), ...MEDIA])
      .done;
    assert.equal(single.code, 1, `exit 1: the invalid line is reported\n${single.stderr}`);
    const envs: Record<string, string>[] = [
      { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' },
      { JOB_COMPLETION_INDEX: '1', GROUNDWORK_SHARD_COUNT: '3' },
      { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3' },
    ];
    const shardDir = join(dir, 'shards');
    const runs = await Promise.all(
      envs.map(
        (env) =>
          groundwork(['prelabel', ds, '--shard', 'auto', '--out-dir', shardDir, ...MEDIA], env)
            .done,
      ),
    );
    assert.match(runs[0]?.stderr ?? '', /shard 0\/3 from SLURM array: SLURM_ARRAY_TASK_ID=1/);
    assert.match(runs[1]?.stderr ?? '', /shard 1\/3 from Kubernetes Indexed Job/);
    assert.match(runs[2]?.stderr ?? '', /shard 2\/3 from SLURM array: SLURM_ARRAY_TASK_ID=3/);
    const shards = [1, 2, 3].map((i) => join(shardDir, `d.shard-${i}-of-3.cop.jsonl`));
    const merged = join(dir, 'merged.jsonl');
    const m = await groundwork(['merge', ...shards, '-o', merged]).done;
    assert.equal(m.code, 0, m.stderr);
    const want = readFileSync(join(dir, 'single.jsonl'), 'utf8');
    const got = readFileSync(merged, 'utf8');
    assert.deepEqual(proposalsByLine(got), proposalsByLine(want), 'same proposals, line by line');
    const inLines = INPUT.split(/(?<=\r\n|\n|\r(?!\n))/);
    const outLines = got.split(/(?<=\r\n|\n|\r(?!\n))/);
    assert.equal(outLines.length, inLines.length);
    for (const i of [2, 3, 5]) assert.equal(outLines[i], inLines[i], `untouched line ${i + 1}`);
    assert.ok(got.startsWith('\ufeff'), 'the BOM stays with the first shard');
    assert.equal(got, want, 'byte for byte the single-process output');
    assert.ok(
      proposalsByLine(got).some((p) => Array.isArray(p) && p.some((x) => x !== null)),
      'the model proposed something',
    );
  },
);

test(
  'a shard killed mid-way resumes: the rerun does only the rest and gives the uninterrupted output',
  { skip, timeout: 240_000 },
  async () => {
    const { dir, ds } = setup();
    const outDir = join(dir, 'out');
    const args = ['prelabel', ds, '--shard', '0/1', '--out-dir', outDir, '--batch', '1', ...MEDIA];
    const reference = join(dir, 'ref');
    const ref = await groundwork(['prelabel', ds, '--out-dir', reference, '--batch', '1', ...MEDIA])
      .done;
    assert.equal(ref.code, 1, ref.stderr);
    const checkpoint = join(outDir, '.d.shard-1-of-1.cop.jsonl.prelabel-checkpoint');
    const proposedIn = (): number =>
      existsSync(checkpoint)
        ? readFileSync(checkpoint, 'utf8')
            .split(/(?<=\r\n|\n|\r(?!\n))/)
            .slice(1)
            .filter((l) => {
              try {
                return JSON.stringify(JSON.parse(l)).includes('modelVersion');
              } catch {
                return false;
              }
            }).length
        : 0;
    const first = groundwork(args);
    let killed = false;
    for (let t = 0; t < 2000 && !killed; t++) {
      if (proposedIn() >= 2) {
        process.kill(-first.pid, 'SIGKILL');
        killed = true;
      } else await new Promise((r) => setTimeout(r, 25));
    }
    const r1 = await first.done;
    assert.ok(killed, `killed mid-way (the first run ended: ${r1.stderr})`);
    const done = proposedIn();
    assert.ok(done >= 2 && done < 6, `${done} proposed samples were checkpointed before the kill`);
    assert.ok(
      !existsSync(join(outDir, 'd.shard-1-of-1.cop.jsonl')),
      'no output from the killed run',
    );
    const r2 = await groundwork([...args, '--json']).done;
    const report = JSON.parse(r2.stdout) as { samples: number; resumedSamples: number };
    // A resume redoes the checkpoint's last line (a kill may have cut it): at most one sample.
    assert.ok(report.resumedSamples >= done - 1, 'the checkpointed samples were resumed');
    assert.ok(report.samples <= WORK_SAMPLES - done + 1, `only the rest ran (${report.samples})`);
    assert.ok(report.samples < WORK_SAMPLES, 'not everything again');
    assert.equal(
      readFileSync(join(outDir, 'd.shard-1-of-1.cop.jsonl'), 'utf8'),
      readFileSync(join(reference, 'd.shard-1-of-1.cop.jsonl'), 'utf8'),
    );
    assert.ok(!existsSync(checkpoint), 'the checkpoint is removed once the output is published');
    const again = await groundwork([
      'prelabel',
      join(outDir, 'd.shard-1-of-1.cop.jsonl'),
      '-o',
      join(dir, 'again.jsonl'),
      '--json',
      ...MEDIA,
    ]).done;
    const rerun = JSON.parse(again.stdout) as { samples: number; alreadyPrelabelled: number };
    assert.equal(rerun.samples, 0, 'a rerun on the output proposes nothing twice');
    assert.ok(
      rerun.alreadyPrelabelled >= 5,
      `${rerun.alreadyPrelabelled} skipped by model and version`,
    );
  },
);
