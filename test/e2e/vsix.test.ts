/**
 * The .vsix that the e2e tests install (built by scripts/package.mjs for this machine), read
 * from its zip directory: what a marketplace or `code --install-extension` gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { ensureVsix } from './harness';

interface ZipEntry {
  name: string;
  method: number;
  size: number;
  offset: number;
}

/** Entries from a zip's central directory (enough zip for a .vsix: no zip64). */
function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'a zip end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'a central directory entry');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      size: buf.readUInt32LE(p + 20),
      offset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** One entry's bytes (stored or deflated). */
function zipRead(buf: Buffer, e: ZipEntry): Buffer {
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const data = buf.subarray(start, start + e.size);
  return e.method === 8 ? inflateRawSync(data) : data;
}

test("the .vsix holds the bundles, manifest, README, LICENSE and icon, one platform's binaries, no sources or tests", async () => {
  const vsix = await ensureVsix();
  const buf = readFileSync(vsix);
  const entries = zipEntries(buf);
  const names = entries.map((e) => e.name);
  for (const need of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/readme.md',
    'extension/LICENSE.txt',
    'extension/media/icon.png',
    'extension/dist/extension.js',
    'extension/dist/webview.js',
  ]) {
    assert.ok(names.includes(need), `${need} in ${vsix}`);
  }
  const manifest = zipRead(
    buf,
    entries.find((e) => e.name === 'extension.vsixmanifest')!,
  ).toString('utf8');
  assert.ok(
    manifest.includes(`TargetPlatform="${process.platform}-${process.arch}"`),
    `a package for ${process.platform}-${process.arch}: ${manifest.slice(0, 400)}`,
  );
  for (const n of names) {
    assert.ok(
      !/^extension\/(src|test|webview|scripts|bench)\//.test(n),
      `no sources or tests: ${n}`,
    );
    assert.ok(!n.endsWith('.map'), `no source maps: ${n}`);
  }
  const ort = names.filter((n) => n.startsWith('extension/node_modules/onnxruntime-node/bin/'));
  const here = `/${process.platform}/${process.arch}/`;
  assert.ok(
    ort.some((n) => n.includes(here) && n.endsWith('onnxruntime_binding.node')),
    `the ${here} onnxruntime binding`,
  );
  assert.deepEqual(
    ort.filter((n) => !n.includes(here)),
    [],
    "no other platform's onnxruntime binaries",
  );
  for (const bundled of ['konva', 'zod', '@vscode-elements']) {
    assert.ok(
      !names.some((n) => n.startsWith(`extension/node_modules/${bundled}/`)),
      `${bundled} is bundled into dist/, not shipped`,
    );
  }
});
