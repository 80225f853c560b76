/**
 * Inference bench (issue 5), ratios measured in one run on the real YOLOX-nano and bedroom.mp4:
 * 1. detector pre/post-processing overhead: letterbox + session.run + decode/NMS against a bare
 *    session.run on an already prepared tensor (target <= 30% added);
 * 2. prelabel throughput against min(decode rate, model rate), each rate measured alone with
 *    the same code paths: the ffmpeg pass that prelabel uses, and detect through the worker
 *    (target >= 0.8).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { splitLines } from '../src/core/dataset';
import { readAllSamples } from '../src/core/sample';
import { COCO_LABELS } from '../src/core/suggest/cocoLabels';
import { InferenceClient } from '../src/inference/client';
import { decodeYolox, letterbox } from '../src/inference/families/yolox';
import { decodeSampleFrames } from '../src/inference/frameSource';
import type { RgbImage } from '../src/inference/image';
import { runPrelabel } from '../src/inference/prelabelRun';
import { VideoFrameProvider } from '../src/video/videoFrameProvider';

const ROOT = resolve(__dirname, '..');
const MODEL = join(ROOT, '..', 'shared', 'models', 'yolox_nano_416.onnx');
const VIDEO = join(ROOT, '..', 'shared', 'assets', 'videos', 'bedroom.mp4');
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const FPS = Number(process.env.BENCH_FPS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DECODE_SIZE = 416;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function detectorOverhead(
  frame: RgbImage,
): Promise<{ bareMs: number; fullMs: number; preMs: number; postMs: number }> {
  const session = await ort.InferenceSession.create(MODEL, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  const prepared = new ort.Tensor('float32', letterbox(frame, 416).data.slice(), [1, 3, 416, 416]);
  const bare: number[] = [],
    full: number[] = [],
    pre: number[] = [],
    post: number[] = [];
  let buffer: Float32Array | undefined;
  for (let i = 0; i < 5; i++) await session.run({ images: prepared });
  // Interleaved, and in alternating order, so drift and warm caches on a shared machine hit both sides alike.
  const runBare = async (): Promise<void> => {
    const t = performance.now();
    await session.run({ images: prepared });
    bare.push(performance.now() - t);
  };
  const runFull = async (): Promise<void> => {
    const t = performance.now();
    const lb = letterbox(frame, 416, buffer);
    buffer = lb.data;
    const t1 = performance.now();
    const out = await session.run({ images: new ort.Tensor('float32', lb.data, [1, 3, 416, 416]) });
    const t2 = performance.now();
    decodeYolox(out.output?.data as Float32Array, 416, lb.ratio, frame, COCO_LABELS);
    const t3 = performance.now();
    full.push(t3 - t);
    pre.push(t1 - t);
    post.push(t3 - t2);
  };
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) {
      await runBare();
      await runFull();
    } else {
      await runFull();
      await runBare();
    }
  }
  await session.release();
  return { bareMs: median(bare), fullMs: median(full), preMs: median(pre), postMs: median(post) };
}

async function throughput(): Promise<{
  frames: number;
  decodeFps: number;
  modelFps: number;
  prelabelFps: number;
  parallelFps: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-inf-'));
  const line = JSON.stringify({
    id: 'bench',
    video: VIDEO,
    fps: FPS,
    reasoning: 'The [girl in the blue skirt] and the [boy] jump on the [bed].',
  });
  const datasetPath = join(dir, 'bench.jsonl');
  writeFileSync(datasetPath, line + '\n');
  const provider = new VideoFrameProvider({ mediaRoots: [dirname(VIDEO), dir] });
  const sample = readAllSamples([{ raw: line }]).samples[0];
  if (!sample) throw new Error('bench sample did not parse');
  const frames: RgbImage[] = [];
  // prelabel decodes at the detector's input size; both rates below use that same path.
  await decodeSampleFrames(
    provider,
    sample.fields,
    datasetPath,
    async (f) => {
      frames[f.index] = f.image;
    },
    undefined,
    DECODE_SIZE,
  );
  const threads = Number(process.env.BENCH_THREADS ?? 0);
  const client = new InferenceClient({ device: 'cpu', ...(threads ? { threads } : {}) });
  const decode: number[] = [],
    model: number[] = [],
    pipeline: number[] = [],
    parallel: number[] = [];
  try {
    await client.loadModel('yolox-nano');
    for (const f of frames.slice(0, 3)) await client.detect('yolox-nano', f);
    const doc = splitLines(line + '\n');
    // Rounds alternate the three measurements so that load from other processes hits all alike.
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now();
      await decodeSampleFrames(
        provider,
        sample.fields,
        datasetPath,
        async () => undefined,
        undefined,
        DECODE_SIZE,
      );
      decode.push(frames.length / ((performance.now() - t) / 1000));
      t = performance.now();
      for (const f of frames) await client.detect('yolox-nano', f);
      model.push(frames.length / ((performance.now() - t) / 1000));
      const r = await runPrelabel({
        datasetPath,
        doc,
        samples: readAllSamples(doc.lines).samples,
        client,
        provider,
        modelId: 'yolox-nano',
        decodeSize: DECODE_SIZE,
      });
      if (r.frames !== frames.length || r.proposed < 2)
        throw new Error(`prelabel did ${r.frames} frames, ${r.proposed} proposals`);
      pipeline.push(r.frames / r.seconds);
      // Decode and model at once but uncoupled (no queue, frames already decoded): the best any
      // overlap can do on these cores. On 2 shared cores it is close to doing them in turn.
      t = performance.now();
      await Promise.all([
        decodeSampleFrames(
          provider,
          sample.fields,
          datasetPath,
          async () => undefined,
          undefined,
          DECODE_SIZE,
        ),
        (async () => {
          for (const f of frames) await client.detect('yolox-nano', f);
        })(),
      ]);
      parallel.push(frames.length / ((performance.now() - t) / 1000));
    }
  } finally {
    await client.dispose();
  }
  return {
    frames: frames.length,
    decodeFps: median(decode),
    modelFps: median(model),
    prelabelFps: median(pipeline),
    parallelFps: median(parallel),
  };
}

async function main(): Promise<void> {
  const missing = [MODEL, VIDEO].filter((p) => !existsSync(p));
  if (missing.length) {
    console.log(`SKIPPED: real assets absent (${missing.join(', ')})`);
    return;
  }
  const { execFileSync } = await import('node:child_process');
  const raw = execFileSync(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-i',
      VIDEO,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { maxBuffer: 1 << 24 },
  );
  const frame: RgbImage = {
    width: 960,
    height: 540,
    data: new Uint8Array(raw.buffer, raw.byteOffset, raw.length),
  };
  const d = await detectorOverhead(frame);
  const tp = await throughput();
  const result = {
    detectorBareRunMs: +d.bareMs.toFixed(2),
    detectorFullMs: +d.fullMs.toFixed(2),
    letterboxMs: +d.preMs.toFixed(2),
    decodeNmsMs: +d.postMs.toFixed(2),
    detectorOverhead: +(d.fullMs / d.bareMs - 1).toFixed(3),
    // The same question asked of the stages alone: less exposed to run-to-run noise of session.run.
    detectorPrePostShare: +((d.preMs + d.postMs) / d.bareMs).toFixed(3),
    prelabelFrames: tp.frames,
    decodeFps: +tp.decodeFps.toFixed(1),
    modelFps: +tp.modelFps.toFixed(1),
    prelabelFps: +tp.prelabelFps.toFixed(1),
    prelabelVsMinRate: +(tp.prelabelFps / Math.min(tp.decodeFps, tp.modelFps)).toFixed(3),
    // When decode and model each saturate every core, overlap cannot beat doing them one
    // after the other: this second baseline shows how much of that bound the pipeline gets.
    prelabelVsSerialBound: +(tp.prelabelFps * (1 / tp.decodeFps + 1 / tp.modelFps)).toFixed(3),
    uncoupledParallelFps: +tp.parallelFps.toFixed(1),
    prelabelVsUncoupledParallel: +(tp.prelabelFps / tp.parallelFps).toFixed(3),
    cores: (await import('node:os')).availableParallelism(),
    loadAverage1m: +(await import('node:os')).loadavg()[0]!.toFixed(2),
    targets: { detectorOverhead: '<= 0.30', prelabelVsMinRate: '>= 0.8' },
  };
  console.table(result);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'inference.json'), JSON.stringify(result, null, 2));
  if (result.detectorOverhead > 0.3 || result.prelabelVsMinRate < 0.8) {
    console.log('TARGET MISSED');
    process.exitCode = 1;
  }
}

void main();
