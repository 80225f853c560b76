/**
 * Streaming command line bench (issue 14): each streaming command runs as its own process (the
 * bundled CLI, as shipped) over a generated dataset of BENCH_STREAM_MB (default 2000 MB), next
 * to a bare streamed JSON.parse + JSON.stringify line loop over the same file, and the same
 * loop writing what it serialises (fsync at the end, as the atomic write does). Peak resident
 * memory is the child's own VmHWM (/proc/self/status, read by a preload as it exits), CPU
 * time its getrusage (all threads). Goals: peak RSS < 300 MB for every command; export
 * throughput >= 0.5x the bare loop. BENCH_STREAM_REUSE=<dir> reuses a dataset generated
 * before (kept with BENCH_STREAM_KEEP=1), since 2 GB takes a while and disk.
 * BENCH_STREAM_ROWS=export,validate runs only the rows whose name contains one of the words,
 * with the bare loop always first (every ratio needs it); results then go to
 * bench/results/streaming-rows-<words>.json, so a partial run never replaces the full table.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const MB = Number(process.env.BENCH_STREAM_MB ?? 2000);
const reuse = process.env.BENCH_STREAM_REUSE;
const dir =
  reuse ?? mkdtempSync(join(process.env.BENCH_STREAM_DIR ?? tmpdir(), 'gw-bench-stream-'));
const dataset = join(dir, 'big.cop.jsonl');
const probe = join(dir, 'hwm.cjs');
const pick = (process.env.BENCH_STREAM_ROWS ?? '').split(',').filter(Boolean);
const cli = join('out', 'streambench', 'cli.js');

/** One valid, approved sample like the dataset bench's: 8 image frames, 5 accepted entities. */
function sampleLine(i: number): string {
  const words = ['red', 'metal', 'wooden', 'blue', 'open', 'white', 'small', 'left'];
  const nouns = ['mug', 'rack', 'door handle', 'cloth', 'floor', 'wall', 'shelf', 'block'];
  const entities = [],
    texts = [];
  for (let k = 0; k < 5; k++) {
    const text = `${words[(i + k) % 8]} ${nouns[(i * 7 + k) % 8]}`;
    texts.push(`the [${text}]`);
    entities.push({
      text,
      status: 'accepted',
      kind: 'object',
      grounding: {
        tag: 'object',
        frame: k % 8,
        points: [
          [10 + k, 20],
          [300 + k, 400],
        ],
        size: [640, 480],
        source: 'human',
      },
      timeMs: 1500 + k,
    });
  }
  return JSON.stringify({
    id: `gen-${i}`,
    frames: Array.from({ length: 8 }, (_, f) => `frames/s${i % 50}/${f}.jpg`),
    question: 'Where is it?',
    reasoning: `We look at ${texts.join(', then ')}.`,
    answer: 'There.',
    groundwork: { status: 'approved', entities },
  });
}

function countLines(path: string): number {
  return Number(execFileSync('wc', ['-l', path], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
}

async function generate(): Promise<number> {
  // 50 x 8 tiny real JPEGs: export and validate read image headers.
  const jpg = join(dir, 'one.jpg');
  execFileSync(
    'ffmpeg',
    ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=640x480'].concat([
      '-frames:v',
      '1',
      jpg,
    ]),
  );
  const bytes = readFileSync(jpg);
  for (let s = 0; s < 50; s++) {
    mkdirSync(join(dir, 'frames', `s${s}`), { recursive: true });
    for (let f = 0; f < 8; f++) writeFileSync(join(dir, 'frames', `s${s}`, `${f}.jpg`), bytes);
  }
  const out = createWriteStream(dataset);
  let written = 0,
    i = 0;
  while (written < MB * 1e6) {
    const batch: string[] = [];
    for (let k = 0; k < 2000; k++) batch.push(sampleLine(i++));
    const text = batch.join('\n') + '\n';
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return i;
}

// The bare loop streams too: a 2 GB file is more than one V8 string can hold.
const BARE = `
const fs = require('node:fs');
const { StringDecoder } = require('node:string_decoder');
const fd = fs.openSync(process.argv[2], 'r');
const dec = new StringDecoder('utf8');
const buf = Buffer.allocUnsafe(1 << 20);
let rest = '', n = 0, got;
while ((got = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
  const lines = (rest + dec.write(buf.subarray(0, got))).split('\\n');
  rest = lines.pop();
  for (const l of lines) if (l) n += JSON.stringify(JSON.parse(l)).length;
}
if (rest) n += JSON.stringify(JSON.parse(rest)).length;
console.log(n);
`;

// The same loop, writing each serialised line to a file and fsyncing it at the end.
const BARE_WRITE = BARE.replace(
  "let rest = '', n = 0, got;",
  "const out = fs.openSync(process.argv[3], 'w'); let rest = '', n = 0, got, parts = [], size = 0;\n" +
    "const put = (s) => { parts.push(s, '\\n'); size += s.length; if (size > 1 << 20) { fs.writeSync(out, parts.join('')); parts = []; size = 0; } return s.length; };",
)
  .replaceAll(
    'n += JSON.stringify(JSON.parse(l)).length',
    'n += put(JSON.stringify(JSON.parse(l)))',
  )
  .replace(
    'n += JSON.stringify(JSON.parse(rest)).length',
    'n += put(JSON.stringify(JSON.parse(rest)))',
  )
  .replace(
    'console.log(n);',
    "fs.writeSync(out, parts.join('')); fs.fsyncSync(out); fs.closeSync(out);\nconsole.log(n);",
  );

interface Row {
  readonly command: string;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly peakRssMB: number;
  /** CPU seconds of the child, every thread (user + system). */
  readonly cpuSeconds: number;
  readonly vsBare?: number;
  readonly vsBareCpu?: number;
  readonly vsBareWrite?: number;
  readonly load: string;
  readonly exit: number | null;
}

/** Runs a node child with the VmHWM preload; returns its time, exit code and peak RSS. */
async function measure(command: string, args: readonly string[]): Promise<Row> {
  const hwmFile = join(dir, `hwm-${command}.txt`);
  const load0 = loadavg()[0]?.toFixed(1);
  const t0 = performance.now();
  const code = await new Promise<number | null>((res) => {
    const p = spawn(process.execPath, ['--require', probe, ...args], {
      env: { ...process.env, HWM_OUT: hwmFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    p.on('close', (c) => {
      if (c !== 0) console.error(`${command}: exit ${c}\n${err}`);
      res(c);
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  const status = readFileSync(hwmFile, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const cpu = Number(/^cpu (\d+)/m.exec(status)?.[1] ?? NaN) / 1e6;
  return {
    command,
    seconds: +seconds.toFixed(1),
    mbPerSecond: +(statSync(dataset).size / 1e6 / seconds).toFixed(1),
    peakRssMB: Math.round(kb / 1024),
    cpuSeconds: +cpu.toFixed(1),
    load: `${load0} -> ${loadavg()[0]?.toFixed(1)}`,
    exit: code,
  };
}

async function main(): Promise<void> {
  const external = ['vscode', 'onnxruntime-node', 'fluent-ffmpeg', '@ffmpeg-installer/ffmpeg'];
  external.push('@ffprobe-installer/ffprobe', 'ws', 'bufferutil', 'utf-8-validate');
  // The worker must sit beside the CLI bundle: the inference client looks for it there.
  for (const [entry, name] of [
    ['src/cli/main.ts', 'cli.js'],
    ['src/inference/worker.ts', 'worker.js'],
    ['src/cli/exportWorker.ts', 'exportWorker.js'],
  ] as const)
    buildSync({
      entryPoints: [entry],
      outfile: join('out', 'streambench', name),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
      external,
    });
  writeFileSync(
    probe,
    `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(process.env.HWM_OUT, require('node:fs').readFileSync('/proc/self/status', 'utf8') + '\\ncpu ' + (u.user + u.system) + '\\n'); });`,
  );
  writeFileSync(join(dir, 'bare.cjs'), BARE);
  writeFileSync(join(dir, 'bareWrite.cjs'), BARE_WRITE);
  const t0 = performance.now();
  const reused = reuse !== undefined && existsSync(dataset);
  const samples = reused ? countLines(dataset) : await generate();
  const size = statSync(dataset).size;
  console.log(
    `${reused ? 'reused' : 'generated'} ${samples} samples, ${(size / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(0)} s (${dir}); ${availableParallelism()} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const out = (name: string): string => join(dir, name);
  const steps: [string, string[], () => void][] = [
    ['bare JSON.parse+stringify loop', [join(dir, 'bare.cjs'), dataset], () => undefined],
    [
      'bare loop writing its output (+ fsync)',
      [join(dir, 'bareWrite.cjs'), dataset, out('bare.jsonl')],
      () => rmSync(out('bare.jsonl'), { force: true }),
    ],
    ['validate --no-media', [cli, 'validate', dataset, '--no-media'], () => undefined],
    ['stats --json', [cli, 'stats', dataset, '--json'], () => undefined],
    [
      'stats --html',
      [cli, 'stats', dataset, '--html', out('report.html')],
      () => rmSync(out('report.html'), { force: true }),
    ],
    [
      'export rynnbrain-raw --jobs 1 (CLI, image headers)',
      [cli, 'export', dataset, '-o', out('export.jsonl'), '--jobs', '1'],
      () => rmSync(out('export.jsonl'), { force: true }),
    ],
    [
      `export rynnbrain-raw (CLI, image headers, default --jobs = ${availableParallelism()} cores)`,
      [cli, 'export', dataset, '-o', out('export.jsonl')],
      () => rmSync(out('export.jsonl'), { force: true }),
    ],
    [
      'split --shards 4',
      [cli, 'split', dataset, '--shards', '4', '--out-dir', out('split')],
      () => undefined,
    ],
    [
      'merge (4 shards)',
      [cli, 'merge', ...[1, 2, 3, 4].map((i) => out(`split/big.shard-${i}-of-4.cop.jsonl`))].concat(
        ['-o', out('merged.jsonl')],
      ),
      () => rmSync(out('split'), { recursive: true, force: true }),
    ],
    [
      'prelabel (nothing to propose: all accepted)',
      [cli, 'prelabel', dataset, '-o', out('pre.jsonl'), '--device', 'cpu'],
      () => rmSync(out('pre.jsonl'), { force: true }),
    ],
    [
      // Every entity is a person's grounding without a mask: SAM loads and is never run, so
      // this row measures the mask pass's streaming (a second read and rewrite), not SAM.
      'prelabel --masks (SAM loaded, no mask to make: all human groundings)',
      [cli, 'prelabel', dataset, '-o', out('pre.jsonl'), '--device', 'cpu', '--masks'],
      () => rmSync(out('pre.jsonl'), { force: true }),
    ],
  ];
  const rows: Row[] = [];
  let bare = 0,
    bareCpu = 0,
    bareWrite = 0;
  for (const [k, [name, args, cleanup]] of steps.entries()) {
    // Merge reads split's shards; the bare loop is every ratio's yardstick.
    const wanted = (n: string): boolean => pick.some((w) => n.includes(w));
    const needed = k === 0 || (k === 1 ? wanted('export') : wanted(name));
    if (pick.length && !needed && !(name.startsWith('split') && wanted('merge'))) continue;
    const row = await measure(`step${k}`, args);
    if (k === 0) [bare, bareCpu] = [row.seconds, row.cpuSeconds];
    if (k === 1) bareWrite = row.seconds;
    const full = {
      ...row,
      command: name,
      vsBare: +(bare / row.seconds).toFixed(3),
      // Throughput by CPU time: the bare loop's CPU seconds over the command's, same file.
      vsBareCpu: +(bareCpu / row.cpuSeconds).toFixed(3),
      ...(name.startsWith('export') ? { vsBareWrite: +(bareWrite / row.seconds).toFixed(3) } : {}),
    };
    rows.push(full);
    console.log(JSON.stringify(full));
    if (name.startsWith('merge')) {
      const same = spawnSync('cmp', [dataset, out('merged.jsonl')]).status === 0;
      console.log(`split then merge gives the input back byte for byte: ${same}`);
      rmSync(out('merged.jsonl'), { force: true });
    }
    cleanup();
  }
  console.table(rows);
  const exportRow = rows.filter((r) => r.command.startsWith('export')).at(-1);
  const result = {
    fileMB: Math.round(size / 1e6),
    samples,
    cores: availableParallelism(),
    rows,
    targets: { peakRssMB: '< 300 each', exportVsBare: '>= 0.5' },
    met: {
      peakRss: rows.every((r) => r.peakRssMB < 300),
      exportVsBare: (exportRow?.vsBare ?? 0) >= 0.5,
    },
  };
  mkdirSync('bench/results', { recursive: true });
  const file = pick.length ? `streaming-rows-${pick.join('-')}.json` : 'streaming.json';
  writeFileSync(join('bench/results', file), JSON.stringify(result, null, 2));
  if (reuse === undefined && process.env.BENCH_STREAM_KEEP !== '1')
    rmSync(dir, { recursive: true, force: true });
  if (!result.met.peakRss || !result.met.exportVsBare) {
    console.log('TARGET MISSED');
    process.exitCode = 1;
  }
}

void main();
