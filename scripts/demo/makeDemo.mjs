// The demo workspace for `npm start` (.cache/demo/shared or .cache/demo/generated): a copy
// of ../shared/assets when it is there, otherwise a dataset around a short video that the
// project renders itself with ffmpeg (coloured shapes moving over a "room"), with a reasoning
// text naming them in brackets and one inline grounding proposal, computed from the same
// geometry that draws the video.
//
//   node scripts/demo/makeDemo.mjs [--out dir] [--generated] [--fresh]   prints the dataset path
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The rendered video: size, length, and where each shape is at time t (seconds). */
export const VIDEO = {
  width: 640,
  height: 360,
  fps: 30,
  seconds: 6,
  /** A red block sliding right along the table: x = x0 + vx * t. */
  block: { w: 80, h: 80, x0: 40, vx: 70, y0: 220, vy: 0 },
  /** A yellow sign drifting down from the top: y = y0 + vy * t. */
  sign: { w: 120, h: 60, x0: 440, vx: 0, y0: 40, vy: 20 },
  /** The table top: a static band at the bottom. */
  table: { x: 0, y: 300, w: 640, h: 60 },
};

/** Top-left corner of a moving shape at time t (seconds). */
const at = (s, t) => ({ x: s.x0 + s.vx * t, y: s.y0 + s.vy * t });
/** The same position as an ffmpeg overlay expression of t. */
const overlayAt = (s) => `x='${s.x0}+${s.vx}*t':y='${s.y0}+${s.vy}*t'`;

/** Sampling rate of the demo sample (DESIGN: frame n is the first with pts >= n / fps). */
const SAMPLE_FPS = 2;

function ffmpegBinary() {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0) return 'ffmpeg';
  try {
    return createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg').path;
  } catch {
    throw new Error(
      'no ffmpeg: install it (apt-get install ffmpeg) or run npm ci for @ffmpeg-installer/ffmpeg',
    );
  }
}

/** Renders the demo video with lavfi sources and overlays (expressions of t move the shapes). */
export function renderVideo(file) {
  const { width: frameWidth, height: frameHeight, fps, seconds, block, sign, table } = VIDEO;
  const graph = [
    `color=c=0x3b4a5a:s=${frameWidth}x${frameHeight}:r=${fps}:d=${seconds}[room]`,
    `color=c=0x7a8b5a:s=${table.w}x${table.h}:r=${fps}:d=${seconds}[table]`,
    `color=c=0xd93b3b:s=${block.w}x${block.h}:r=${fps}:d=${seconds}[block]`,
    `color=c=0xf2c641:s=${sign.w}x${sign.h}:r=${fps}:d=${seconds}[sign]`,
    `[room][table]overlay=x=${table.x}:y=${table.y}[a]`,
    `[a][sign]overlay=${overlayAt(sign)}[b]`,
    `[b][block]overlay=${overlayAt(block)},format=yuv420p[v]`,
  ].join(';');
  mkdirSync(dirname(file), { recursive: true });
  const ffmpeg = ffmpegBinary();
  const base = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-t',
    String(seconds),
  ];
  let run = spawnSync(
    ffmpeg,
    [...base, '-c:v', 'libx264', '-preset', 'veryfast', '-g', String(fps), file],
    { encoding: 'utf8' },
  );
  if (run.status !== 0)
    run = spawnSync(ffmpeg, [...base, '-c:v', 'mpeg4', '-q:v', '3', file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ffmpeg could not render the demo video:\n${run.stderr}`);
}

/** A box in CoP coordinates (integers in [0, 1000], DESIGN section 1). */
function copBox({ x, y }, { w, h }) {
  const nx = (v) => Math.min(1000, Math.max(0, Math.round((v / VIDEO.width) * 1000)));
  const ny = (v) => Math.min(1000, Math.max(0, Math.round((v / VIDEO.height) * 1000)));
  return `(${nx(x)}, ${ny(y)}), (${nx(x + w)}, ${ny(y + h)})`;
}

/** The demo dataset lines (input layout of DESIGN section 2). */
export function demoSamples() {
  const frame = 4; // t = 2 s at 2 fps
  const proposal = `<object> <frame ${frame}>: ${copBox(at(VIDEO.sign, frame / SAMPLE_FPS), VIDEO.sign)} </object>`;
  return [
    {
      id: 'demo-shapes-0001',
      video: '../videos/shapes.mp4',
      fps: SAMPLE_FPS,
      question: 'Where does the red block stop, and what is above it?',
      reasoning: `The camera looks at a [grey wall] above a [green table top]. A [yellow sign] ${proposal} hangs near the top right and drifts down. A [red block] slides from the left edge toward the right along the table. The [free space on the table left of the block] stays empty.`,
      answer: 'The red block slides to the right side of the table, below the yellow sign.',
    },
    {
      id: 'demo-shapes-0002',
      video: '../videos/shapes.mp4',
      fps: SAMPLE_FPS,
      question: 'Is there room on the table for another block?',
      reasoning:
        'The [green table top] runs along the bottom of the view. The [red block] moves right, leaving the [empty table area on the left] free, while the [yellow sign] stays above the table.',
      answer: 'Yes, on the left part of the table.',
    },
  ];
}

function makeWritable(path) {
  const st = statSync(path);
  chmodSync(path, st.mode | 0o200);
  if (st.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/**
 * Makes (or keeps) the demo workspace under `out` and returns { folder, dataset, source }.
 * `generated` renders the video even when ../shared/assets exists; `fresh` starts over.
 * @param {{ out?: string, generated?: boolean, fresh?: boolean, log?: (m: string) => void }} [options]
 */
export function makeDemo({ out, generated = false, fresh = false, log = () => {} } = {}) {
  const shared = resolve(repoRoot, '..', 'shared', 'assets');
  const useShared = !generated && existsSync(join(shared, 'datasets', 'sample.cop.jsonl'));
  // One folder per source, so switching between them never mixes the two.
  out ??= join(repoRoot, '.cache', 'demo', useShared ? 'shared' : 'generated');
  const dataset = join(out, 'datasets', useShared ? 'sample.cop.jsonl' : 'demo.cop.jsonl');
  if (fresh) rmSync(out, { recursive: true, force: true });
  if (existsSync(dataset))
    return { folder: out, dataset, source: useShared ? 'shared' : 'generated' };
  mkdirSync(out, { recursive: true });
  if (useShared) {
    log(`copying ${shared} into ${out}`);
    for (const folder of ['datasets', 'frames', 'videos'])
      if (existsSync(join(shared, folder)))
        cpSync(join(shared, folder), join(out, folder), { recursive: true });
    makeWritable(out); // ../shared is read-only; the demo copy is for editing
  } else {
    log(`rendering the demo video with ffmpeg into ${out}`);
    renderVideo(join(out, 'videos', 'shapes.mp4'));
    mkdirSync(dirname(dataset), { recursive: true });
    writeFileSync(
      dataset,
      demoSamples()
        .map((s) => JSON.stringify(s))
        .join('\n') + '\n',
    );
  }
  return { folder: out, dataset, source: useShared ? 'shared' : 'generated' };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--out');
  const outFlag = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !outFlag) throw new Error('--out needs a folder');
  const result = makeDemo({
    ...(outFlag ? { out: resolve(outFlag) } : {}),
    generated: argv.includes('--generated'),
    fresh: argv.includes('--fresh'),
    log: (m) => console.error(`[demo] ${m}`),
  });
  console.log(result.dataset);
}
