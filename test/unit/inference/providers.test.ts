import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSession, cudaLibraryStatus, probeCuda } from '../../../src/inference/providers';
import { inferenceDoctor } from '../../../src/inference/doctor';
import { InferenceClient } from '../../../src/inference/client';
import type { RequestError } from '../../../src/protocol/envelope';
import { yoloxGraph } from './tinyGraphs';
import { writeTinyModels } from './tinyModels';

const cudaHere = cudaLibraryStatus().ok;

test('auto without CUDA falls back to a CPU session with a clear message', async (t) => {
  if (cudaHere) {
    t.skip('CUDA provider libraries are installed here; the fallback path cannot be shown');
    return;
  }
  const s = await createSession(yoloxGraph(new Float32Array(3549 * 85)), 'auto', 'tiny yolox');
  assert.equal(s.provider, 'cpu');
  assert.match(
    s.notice ?? '',
    /^CUDA unavailable, running on CPU: no CUDA provider installed \(npm run gpu:install adds it; groundwork doctor says more\)$/,
  );
  assert.deepEqual(s.session.inputNames, ['images']);
});

test('cuda forced without CUDA is an error that says how to run anyway', async (t) => {
  if (cudaHere) {
    t.skip('CUDA provider libraries are installed here');
    return;
  }
  await assert.rejects(
    createSession(yoloxGraph(new Float32Array(3549 * 85)), 'cuda', 'tiny yolox'),
    /tiny yolox: device "cuda" was requested but the CUDA execution provider is not installed .* Set groundwork\.inference\.device to "auto" or "cpu"/,
  );
});

test('a corrupt model file is named with what onnxruntime said', async () => {
  await assert.rejects(
    createSession(new Uint8Array([1, 2, 3, 4]), 'cpu', 'yolox-nano model'),
    /yolox-nano model: onnxruntime \(cpu\) cannot load 4 bytes: .*corrupt, truncated or not an ONNX model/,
  );
});

test('doctor reports providers, CUDA and models', async () => {
  const tiny = writeTinyModels();
  const r = await inferenceDoctor({ device: 'auto', ...tiny });
  assert.equal(r.provider, cudaHere ? r.provider : 'cpu');
  assert.ok(r.availableProviders.some((p) => p.startsWith('cpu')));
  assert.equal(r.cuda.ok, (await probeCuda()).ok);
  assert.deepEqual(
    r.models.map((m) => [m.id, m.ready]),
    [
      ['tiny-sam', true],
      ['tiny-sam2', true],
      ['tiny-yolox', true],
    ],
  );
  const forced = await inferenceDoctor({ device: 'cuda', ...tiny });
  if (!cudaHere) assert.equal(forced.provider, undefined);
});

test('through the worker: auto loads on CPU and says why; cuda forced fails clearly', async (t) => {
  if (cudaHere) {
    t.skip('CUDA provider libraries are installed here');
    return;
  }
  const tiny = writeTinyModels();
  const notices: string[] = [];
  const auto = new InferenceClient({ ...tiny, device: 'auto', onNotice: (m) => notices.push(m) });
  try {
    const r = await auto.loadModel('tiny-yolox');
    assert.equal(r.provider, 'cpu');
    assert.match(notices.join('\n'), /tiny-yolox: CUDA unavailable, running on CPU/);
  } finally {
    await auto.dispose();
  }
  const cuda = new InferenceClient({ ...tiny, device: 'cuda' });
  try {
    await assert.rejects(
      cuda.loadModel('tiny-yolox'),
      (e: RequestError) => e.code === 'failed' && /device "cuda" was requested but/.test(e.message),
    );
  } finally {
    await cuda.dispose();
  }
});
