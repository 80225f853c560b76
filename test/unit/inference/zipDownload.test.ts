import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { downloadModel } from '../../../src/inference/downloader';
import { parseManifest } from '../../../src/inference/manifest';
import { locateModel } from '../../../src/inference/modelFiles';
import { extractZipMember, listZip } from '../../../src/inference/zipArchive';

/** A minimal zip writer (deflate, or stored), enough to test the reader. */
function zip(files: Record<string, Buffer>, stored = false): Buffer {
  const locals: Buffer[] = [],
    central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const body = stored ? data : deflateRawSync(data);
    const n = Buffer.from(name);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(stored ? 0 : 8, 8);
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(body.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(stored ? 0 : 8, 10);
    c.writeUInt32LE(crc32(data), 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(head, n, body);
    central.push(c, n);
    offset += 30 + n.length + body.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const enc = Buffer.from('encoder bytes '.repeat(5000));
const dec = Buffer.from('decoder bytes '.repeat(300));

test('members are listed and extracted, stored or deflated, nested or not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-zip-'));
  for (const stored of [false, true]) {
    const z = join(dir, `a${stored}.zip`);
    writeFileSync(z, zip({ 'sam2/enc.onnx': enc, 'dec.onnx': dec }, stored));
    assert.deepEqual(
      (await listZip(z)).map((e) => e.name),
      ['sam2/enc.onnx', 'dec.onnx'],
    );
    await extractZipMember(z, 'enc.onnx', join(dir, 'enc.onnx'));
    assert.deepEqual(readFileSync(join(dir, 'enc.onnx')), enc);
  }
  const bad = join(dir, 'bad.zip');
  const bytes = zip({ 'dec.onnx': dec }, true);
  bytes[40] = (bytes[40] as number) ^ 0xff;
  writeFileSync(bad, bytes);
  await assert.rejects(
    extractZipMember(bad, 'dec.onnx', join(dir, 'x')),
    /fails its size or CRC-32 check/,
  );
  await assert.rejects(
    extractZipMember(join(dir, 'afalse.zip'), 'nope.onnx', join(dir, 'x')),
    /has no member nope\.onnx \(it has sam2\/enc\.onnx, dec\.onnx\)/,
  );
  writeFileSync(join(dir, 'trunc.zip'), bytes.subarray(0, 20));
  await assert.rejects(listZip(join(dir, 'trunc.zip')), /not a zip archive/);
});

test('a model published as one archive is downloaded once, extracted, and found afterwards', async () => {
  const body = zip({ 'pack/m.encoder.onnx': enc, 'pack/m.decoder.onnx': dec });
  let requests = 0;
  const srv = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/pack.zip`;
  const manifest = parseManifest(
    JSON.stringify({
      id: 'zipped',
      name: 'z',
      task: 'segment',
      family: 'sam2',
      inputSize: [1024, 1024],
      labels: [],
      license: { id: 'Apache-2.0' },
      source: 'test',
      normalization: {
        colorOrder: 'rgb',
        scale: 1,
        mean: [0, 0, 0],
        std: [1, 1, 1],
        pad: 0,
        resize: 'stretch',
      },
      files: [
        {
          role: 'encoder',
          name: 'm.encoder.onnx',
          sha256: null,
          url,
          archiveMember: 'm.encoder.onnx',
        },
        {
          role: 'decoder',
          name: 'm.decoder.onnx',
          sha256: null,
          url,
          archiveMember: 'm.decoder.onnx',
        },
      ],
    }),
    'zipped.json',
  );
  const modelsDir = mkdtempSync(join(tmpdir(), 'gw-zip-models-'));
  const got = await downloadModel(manifest, { modelsDir });
  srv.close();
  assert.equal(requests, 1, 'one download for both members');
  assert.deepEqual(
    got.map((g) => g.integrity),
    ['unverified', 'unverified'],
  );
  assert.ok(!existsSync(join(modelsDir, 'pack.zip')), 'the archive is removed');
  const located = await locateModel(manifest, modelsDir);
  assert.deepEqual(readFileSync(located.decoder?.path as string), dec);
});
