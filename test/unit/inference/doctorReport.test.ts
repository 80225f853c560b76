/**
 * `groundwork doctor` names the folder each model was found in, not only the models folder it
 * searched first (issue 13: it said the default folder while the file came from ../shared/models).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeInference, describeModel, inferenceDoctor } from '../../../src/inference/doctor';
import type { ModelReport } from '../../../src/inference/messages';
import { NO_SHARED_MODELS_ENV, searchDirs } from '../../../src/inference/modelFiles';
import { doctorCommand } from '../../../src/cli/commands/doctor';
import { YOLOX_PATH, missingAssets } from './sharedAssets';

const base = { family: 'sam', task: 'segment' } as const;

test('describeModel: ready names every folder its files came from; missing and corrupt name files', () => {
  const ready: ModelReport = {
    ...base,
    id: 'pair',
    ready: true,
    files: [
      { name: 'enc.onnx', path: '/a/models/enc.onnx', status: 'verified' },
      { name: 'dec.onnx', path: '/b/other/dec.onnx', status: 'unverified' },
    ],
  };
  assert.equal(describeModel(ready), 'pair ready (from /a/models and /b/other)');
  const missing: ModelReport = {
    ...base,
    id: 'pair',
    ready: false,
    files: [
      { name: 'enc.onnx', path: '/a/models/enc.onnx', status: 'verified' },
      { name: 'dec.onnx', status: 'missing' },
    ],
  };
  assert.equal(describeModel(missing), 'pair not downloaded (missing dec.onnx)');
  const corrupt: ModelReport = {
    ...base,
    id: 'pair',
    ready: false,
    files: [{ name: 'enc.onnx', status: 'corrupt', message: 'sha256 differs' }],
  };
  assert.equal(describeModel(corrupt), 'pair corrupt (enc.onnx)');
});

test(
  'a model found beside the project, not in the models folder: doctor names where it was found',
  { skip: missingAssets(YOLOX_PATH) },
  async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gw-doctor-'));
    try {
      const report = await inferenceDoctor({ device: 'cpu', modelsDir: empty });
      const yolox = report.models.find((m) => m.id === 'yolox-nano');
      assert.ok(yolox?.ready, 'yolox-nano found in ../shared/models');
      assert.equal(yolox.files[0]?.path, YOLOX_PATH);
      const line = describeInference(report);
      assert.match(line, new RegExp(`yolox-nano ready \\(from ${escape(dirname(YOLOX_PATH))}\\)`));
      assert.match(line, new RegExp(`models folder ${escape(empty)};`));
      assert.doesNotMatch(line, new RegExp(`yolox-nano ready \\(from ${escape(empty)}`));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  },
);

test(
  'the doctor command prints the found folder (GROUNDWORK_MODELS_DIR pointing elsewhere)',
  { skip: missingAssets(YOLOX_PATH) },
  async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gw-doctor-'));
    const before = process.env.GROUNDWORK_MODELS_DIR;
    process.env.GROUNDWORK_MODELS_DIR = empty;
    let out = '';
    try {
      await doctorCommand.run(
        { positionals: [], options: {} },
        {
          stdout: { write: (s: string) => (out += s) },
          stderr: { write: () => true },
          stdin: (async function* () {})(),
          cwd: process.cwd(),
        },
      );
    } finally {
      if (before === undefined) delete process.env.GROUNDWORK_MODELS_DIR;
      else process.env.GROUNDWORK_MODELS_DIR = before;
      rmSync(empty, { recursive: true, force: true });
    }
    const inference = out.split('\n').find((l) => /\binference\b/.test(l)) ?? '';
    assert.match(
      inference,
      new RegExp(`yolox-nano ready \\(from ${escape(dirname(YOLOX_PATH))}\\)`),
    );
    assert.match(inference, new RegExp(`models folder ${escape(empty)}`));
  },
);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test(
  'GROUNDWORK_NO_SHARED_MODELS=1: only the models folder counts (what a user without the weights sees)',
  { skip: missingAssets(YOLOX_PATH) },
  async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gw-doctor-'));
    const before = process.env[NO_SHARED_MODELS_ENV];
    process.env[NO_SHARED_MODELS_ENV] = '1';
    try {
      assert.deepEqual(searchDirs(empty), [empty]);
      const report = await inferenceDoctor({ device: 'cpu', modelsDir: empty });
      const yolox = report.models.find((m) => m.id === 'yolox-nano');
      assert.equal(yolox?.ready, false, 'the copy in ../shared/models is not used');
      assert.equal(yolox?.files[0]?.status, 'missing');
    } finally {
      if (before === undefined) delete process.env[NO_SHARED_MODELS_ENV];
      else process.env[NO_SHARED_MODELS_ENV] = before;
      rmSync(empty, { recursive: true, force: true });
    }
    assert.equal(searchDirs(empty).length, 2, 'without the variable ../shared/models is searched');
  },
);
