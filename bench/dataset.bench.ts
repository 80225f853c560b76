// bench: bundle
/**
 * Dataset bench (issue 2): a generated 100k-sample dataset; open time to the first sample,
 * export throughput and peak memory, as ratios against a bare JSON.parse + JSON.stringify
 * loop over the same lines, measured in the same run.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { FrameInfo, FrameProvider } from '../src/core/model';
import { openDataset } from '../src/io/datasetFile';
import { readSample } from '../src/core/sample';
import { runExport } from '../src/io/exportRunner';

const N = Number(process.env.BENCH_SAMPLES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'gw-bench-ds-'));
const path = join(dir, 'big.cop.jsonl');

function generate(): void {
  const words = [
    'red',
    'metal',
    'wooden',
    'blue',
    'open',
    'white',
    'small',
    'left',
    'right',
    'round',
  ];
  const nouns = [
    'mug',
    'rack',
    'door handle',
    'cloth',
    'floor',
    'wall',
    'shelf',
    'block',
    'hand',
    'bed',
  ];
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const ents: string[] = [];
    const states: unknown[] = [];
    for (let k = 0; k < 5; k++) {
      const t = `${words[(i + k) % 10]} ${nouns[(i * 7 + k) % 10]}`;
      ents.push(`the [${t}]`);
      states.push({
        text: t,
        status: 'accepted',
        kind: 'object',
        grounding: {
          tag: 'object',
          frame: k % 8,
          points: [
            [10 + k, 20],
            [300 + k, 400],
          ],
          size: [1920, 1080],
          source: 'human',
        },
        timeMs: 1500 + k,
      });
    }
    const frames = Array.from(
      { length: 8 },
      (_, f) => `../frames/s${i % 50}/${String(f * 15).padStart(5, '0')}.jpg`,
    );
    out.push(
      JSON.stringify({
        id: `gen-${i}`,
        frames,
        question: 'Where is it?',
        reasoning: `We look at ${ents.join(', then ')}.`,
        answer: 'There.',
        groundwork: { status: 'approved', entities: states },
      }),
    );
  }
  writeFileSync(path, out.join('\n') + '\n');
}

const stubFrames: FrameProvider = {
  async frames(sample): Promise<FrameInfo[]> {
    return (sample.frames ?? []).map((p, index) => ({
      index,
      path: dir + '/' + p,
      width: 1920,
      height: 1080,
    }));
  },
};

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

async function timeAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function main(): Promise<void> {
  generate();
  const bytes = readFileSync(path).length;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);

  // Baseline and candidates interleaved, so that load from other processes hits all alike.
  const bare: number[] = [];
  const bareFirst: number[] = [];
  const open: number[] = [];
  const exp: number[] = [];
  const expFlat: number[] = [];
  const exportOnce = async (format: 'rynnbrain-raw' | 'flat', r: number): Promise<number> => {
    const [res, ms] = await timeAsync(() =>
      runExport({ dataset: path, output: join(dir, `out${r}.jsonl`), format, frames: stubFrames }),
    );
    if (res.written !== N)
      throw new Error(
        `export wrote ${res.written} of ${N}: ${JSON.stringify(res.skipped.slice(0, 2))}`,
      );
    return ms;
  };
  for (let r = 0; r < 5; r++) {
    bare.push(
      time(() => {
        const lines = readFileSync(path, 'utf8').split('\n');
        let n = 0;
        for (const l of lines) if (l) n += JSON.stringify(JSON.parse(l)).length;
        return n;
      })[1],
    );
    bareFirst.push(
      time(() => {
        const lines = readFileSync(path, 'utf8').split('\n');
        return JSON.parse(lines[0] as string);
      })[1],
    );
    open.push(
      (
        await timeAsync(async () => {
          const doc = await openDataset(path);
          return readSample(doc.lines[0]!.raw, 0);
        })
      )[1],
    );
    exp.push(await exportOnce('rynnbrain-raw', r));
    expFlat.push(await exportOnce('flat', r));
  }
  clearInterval(sampler);
  mkdirSync('bench/results', { recursive: true });
  const result = {
    samples: N,
    fileMB: +(bytes / 1e6).toFixed(1),
    bareParseStringifyMs: Math.round(median(bare)),
    bareReadFirstMs: Math.round(median(bareFirst)),
    openToFirstSampleMs: Math.round(median(open)),
    openVsBareLoop: +(median(open) / median(bare)).toFixed(3),
    exportMs: Math.round(median(exp)),
    exportSamplesPerSec: Math.round(N / (median(exp) / 1000)),
    exportThroughputVsBare: +(median(bare) / median(exp)).toFixed(3),
    flatExportThroughputVsBare: +(median(bare) / median(expFlat)).toFixed(3),
    peakRssMB: Math.round(peak / 1e6),
    targets: { openToFirstSampleMs: '< 1000', exportThroughputVsBare: '>= 0.5' },
  };
  console.table(result);
  writeFileSync('bench/results/dataset.json', JSON.stringify(result, null, 2));
  if (result.openToFirstSampleMs >= 1000 || result.exportThroughputVsBare < 0.5) {
    console.log('TARGET MISSED');
    process.exitCode = 1;
  }
}

void main();
