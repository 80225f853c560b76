/**
 * Real-clip extraction bench (issue 13 item 4): all sampled frames (2 fps) of each real
 * H.264 clip in ../shared/assets/videos, cold (empty frame cache, no probe index), against a
 * bare `ffmpeg -i v -vf fps=2 -q:v 3 out%05d.jpg` run interleaved with it (<= 1.15x,
 * DESIGN.md section 8). Where the time goes is printed beside it, each part measured alone
 * in the same run: ffmpeg's start-up, the probe (content hash + ffprobe), the pass with the
 * index already known. Medians of interleaved pairs, with the load average: the machine is
 * shared.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { resolveBinaries } from '../src/video/ffmpegBinaries';
import { clearProbeMemory } from '../src/video/probeIndex';
import { VideoFrameProvider } from '../src/video/videoFrameProvider';

const ffmpegPath = resolveBinaries().ffmpeg.path;
const ffprobePath = resolveBinaries().ffprobe.path;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const VIDEOS = resolve(__dirname, '..', '..', 'shared', 'assets', 'videos');

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

/** Real H.264 clips, largest frame first: `codec,width,height` from ffprobe. */
function realClips(): { path: string; size: string }[] {
  if (!existsSync(VIDEOS)) return [];
  const out: { path: string; size: string; pixels: number }[] = [];
  for (const name of readdirSync(VIDEOS)) {
    const path = join(VIDEOS, name);
    let line: string;
    try {
      line = execFileSync(ffprobePath, [
        ...['-v', 'error', '-select_streams', 'V:0'],
        ...['-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', path],
      ])
        .toString()
        .trim();
    } catch {
      continue; // not a video
    }
    const [codec, width, height] = line.split(',');
    if (codec === 'h264')
      out.push({ path, size: `${width}x${height}`, pixels: Number(width) * Number(height) });
  }
  return out.sort((a, b) => b.pixels - a.pixels);
}

async function benchClip(path: string): Promise<Record<string, number[]>> {
  const sample = { id: 'real', video: basename(path), fps: 2, reasoning: '' };
  const runs: Record<string, number[]> = { bare: [], ours: [], startup: [], probe: [], pass: [] };
  const load: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    load.push(loadavg()[0] as number);
    const a = mkdtempSync(join(tmpdir(), 'gw-bench-real-'));
    const bare = ['-v', 'error', '-i', path, '-vf', 'fps=2', '-q:v', '3'];
    runs.bare?.push(await timed(() => execFileSync(ffmpegPath, [...bare, join(a, 'out%05d.jpg')])));
    rmSync(a, { recursive: true, force: true });
    for (const part of ['ours', 'split'] as const) {
      const b = mkdtempSync(join(tmpdir(), 'gw-bench-real-'));
      clearProbeMemory();
      const p = new VideoFrameProvider({ cacheDir: b });
      if (part === 'ours') runs.ours?.push(await timed(() => p.frames(sample, dirname(path))));
      else {
        runs.probe?.push(await timed(() => p.probe(path)));
        runs.pass?.push(await timed(() => p.frames(sample, dirname(path))));
      }
      rmSync(b, { recursive: true, force: true });
    }
    runs.startup?.push(await timed(() => execFileSync(ffmpegPath, ['-version'])));
  }
  return { ...runs, load };
}

async function main(): Promise<void> {
  const clips = realClips();
  if (!clips.length) {
    console.log(`real-clip bench skipped: no H.264 clip in ${VIDEOS} (shared assets absent)`);
    return;
  }
  const rows = [];
  for (const clip of clips) {
    const runs = await benchClip(clip.path);
    const m = (k: string): number => median(runs[k] ?? []);
    rows.push({
      clip: `${basename(clip.path)} ${clip.size}`,
      ours: m('ours'),
      baseline: m('bare'),
      ratio: m('ours') / m('bare'),
      target: 1.15,
      parts: { startup: m('startup'), probe: m('probe'), passWithIndex: m('pass') },
      loadMedian: m('load'),
      runs,
    });
  }
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ffmpeg ${ffmpegPath}`);
  console.log(
    '| real clip (cold) | ours (ms) | bare fps=2 (ms) | ratio | target | ffmpeg start-up / probe / pass with index (ms) | load |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.clip} | ${r.ours.toFixed(0)} | ${r.baseline.toFixed(0)} | ${r.ratio.toFixed(3)}x | <= ${r.target}x ${r.ratio <= r.target ? 'yes' : 'NO'} | ${r.parts.startup.toFixed(0)} / ${r.parts.probe.toFixed(0)} / ${r.parts.passWithIndex.toFixed(0)} | ${r.loadMedian.toFixed(1)} |`,
    );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/realClip.json',
    JSON.stringify({ date: new Date().toISOString(), ffmpeg: ffmpegPath, rows }, null, 2) + '\n',
  );
  if (!rows.every((r) => r.ratio <= r.target)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
