/**
 * Video bench (issue 3, DESIGN.md section 8), as ratios against bare ffmpeg runs measured
 * in the same run: all sampled frames vs `ffmpeg -i v -vf fps=2 out%05d.jpg` (<= 1.15x),
 * an uncached random sampled frame vs `ffmpeg -ss t -i v -frames:v 1 out.jpg` (<= 1.2x),
 * and a cached frame lookup (< 5 ms). Medians of a few interleaved runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { resolveBinaries } from '../src/video/ffmpegBinaries';
import { clearProbeMemory } from '../src/video/probeIndex';
import { VideoFrameProvider } from '../src/video/videoFrameProvider';

const ffmpegPath = resolveBinaries().ffmpeg.path;
const SECONDS = Number(process.env.BENCH_VIDEO_SECONDS ?? 60);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const benchDir = join(tmpdir(), 'groundwork-bench');
const video = join(benchDir, `testsrc2-1080p-${SECONDS}s.mp4`);

function ensureVideo(): void {
  if (existsSync(video)) return;
  mkdirSync(benchDir, { recursive: true });
  console.log(`generating ${video} (once; kept in ${benchDir})`);
  const tmp = `${video}.part.mp4`;
  execFileSync(ffmpegPath, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=1920x1080:r=30:d=${SECONDS}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    tmp,
  ]);
  execFileSync('mv', [tmp, video]);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timed(f: () => unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-video-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  ensureVideo();
  const sample = { id: 'bench', video: basename(video), fps: 2, reasoning: '' };
  const datasetDir = dirname(video);

  // 1. All sampled frames, cold (probe + one decode pass) vs the bare fps=2 extraction.
  const bareAll: number[] = [];
  const oursAll: number[] = [];
  let frameCount = 0;
  for (let r = 0; r < RUNS; r++) {
    const a = scratch();
    bareAll.push(
      await timed(() =>
        execFileSync(ffmpegPath, [
          '-v',
          'error',
          '-i',
          video,
          '-vf',
          'fps=2',
          join(a.dir, 'out%05d.jpg'),
        ]),
      ),
    );
    a.done();
    const b = scratch();
    clearProbeMemory();
    const p = new VideoFrameProvider({ cacheDir: b.dir });
    oursAll.push(
      await timed(async () => {
        frameCount = (await p.frames(sample, datasetDir)).length;
      }),
    );
    b.done();
  }

  // 1b. The probe index alone (cold) vs a bare packet listing, for information.
  const ffprobePath = resolveBinaries().ffprobe.path;
  const bareProbe: number[] = [];
  const oursProbe: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    bareProbe.push(
      await timed(() =>
        execFileSync(
          ffprobePath,
          [
            '-v',
            'error',
            '-select_streams',
            'v:0',
            '-show_entries',
            'packet=pts,flags',
            '-of',
            'csv',
            video,
          ],
          { maxBuffer: 1 << 28 },
        ),
      ),
    );
    const b = scratch();
    clearProbeMemory();
    const p = new VideoFrameProvider({ cacheDir: b.dir });
    oursProbe.push(await timed(() => p.probe(video)));
    b.done();
  }

  // 2. An uncached random sampled frame (index already probed, as when a sample is open).
  const RANDOM = Number(process.env.BENCH_RANDOM ?? 9);
  const c = scratch();
  const warm = new VideoFrameProvider({ cacheDir: c.dir });
  const list = await warm.frameList(sample, datasetDir);
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const bareOne: number[] = [];
  const oursOne: number[] = [];
  for (let r = 0; r < RANDOM; r++) {
    const f = list[Math.floor(rand() * list.length)];
    if (!f) continue;
    const a = scratch();
    bareOne.push(
      await timed(() =>
        execFileSync(ffmpegPath, [
          '-v',
          'error',
          '-ss',
          String(f.time),
          '-i',
          video,
          '-frames:v',
          '1',
          join(a.dir, 'out.jpg'),
        ]),
      ),
    );
    a.done();
    const b = scratch();
    clearProbeMemory();
    const p = new VideoFrameProvider({ cacheDir: b.dir });
    await p.frameList(sample, datasetDir); // the open sample: probed, nothing decoded
    oursOne.push(await timed(() => p.ensureFrame(sample, datasetDir, f.index)));
    b.done();
  }

  // 3. Cached lookups: every sampled frame once in the cache, then looked up again.
  await warm.frames(sample, datasetDir);
  const cached: number[] = [];
  for (let r = 0; r < 200; r++)
    cached.push(await timed(() => warm.ensureFrame(sample, datasetDir, r % list.length)));
  c.done();

  const rows = [
    {
      name: 'all sampled frames (cold)',
      ours: median(oursAll),
      baseline: median(bareAll),
      ratio: median(oursAll) / median(bareAll),
      target: 1.15,
      unit: 'ratio',
      baselineCmd: 'ffmpeg -i v -vf fps=2 out%05d.jpg',
    },
    {
      name: 'uncached random frame',
      ours: median(oursOne),
      baseline: median(bareOne),
      ratio: median(oursOne) / median(bareOne),
      target: 1.2,
      unit: 'ratio',
      baselineCmd: 'ffmpeg -ss t -i v -frames:v 1 out.jpg',
    },
    {
      name: 'probe index (cold, info)',
      ours: median(oursProbe),
      baseline: median(bareProbe),
      ratio: median(oursProbe) / median(bareProbe),
      target: Infinity,
      unit: 'ratio',
      baselineCmd: 'ffprobe -show_entries packet=pts,flags -of csv v',
    },
    {
      name: 'cached frame lookup',
      ours: median(cached),
      baseline: 0,
      ratio: median(cached),
      target: 5,
      unit: 'ms',
      baselineCmd: '',
    },
  ];
  console.log(
    `video: ${video} (1920x1080, 30 fps, ${SECONDS} s, ${frameCount} sampled frames at 2 fps), ffmpeg ${ffmpegPath}`,
  );
  console.log('| measure | ours (ms) | baseline (ms) | ratio | target | ok |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const ok = r.ratio <= r.target;
    if (r.target === Infinity) {
      console.log(
        `| ${r.name} | ${r.ours.toFixed(0)} | ${r.baseline.toFixed(0)} | ${r.ratio.toFixed(3)}x | - | - |`,
      );
      continue;
    }
    console.log(
      `| ${r.name} | ${r.ours.toFixed(r.unit === 'ms' ? 3 : 0)} | ${r.unit === 'ms' ? '-' : r.baseline.toFixed(0)} | ${r.unit === 'ms' ? `${r.ratio.toFixed(3)} ms` : `${r.ratio.toFixed(3)}x`} | ${r.unit === 'ms' ? `< ${r.target} ms` : `<= ${r.target}x`} | ${ok ? 'yes' : 'NO'} |`,
    );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/video.json',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        video: { seconds: SECONDS, width: 1920, height: 1080, fps: 30, sampledFrames: frameCount },
        ffmpeg: ffmpegPath,
        runs: {
          all: { ours: oursAll, baseline: bareAll },
          probe: { ours: oursProbe, baseline: bareProbe },
          random: { ours: oursOne, baseline: bareOne },
          cachedMedianMs: median(cached),
        },
        results: rows.map((r) => ({ ...r, target: r.target === Infinity ? null : r.target })),
      },
      null,
      2,
    ) + '\n',
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
