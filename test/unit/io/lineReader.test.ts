import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DocLine } from '../../../src/core/dataset';
import { openLines } from '../../../src/io/lineReader';

const dir = mkdtempSync(join(tmpdir(), 'gw-lines-'));
let n = 0;

async function readAll(
  bytes: Buffer,
  maxLineBytes?: number,
): Promise<{ bom: boolean; lines: DocLine[] }> {
  const p = join(dir, `f${n++}.jsonl`);
  writeFileSync(p, bytes);
  const src = await openLines(p, maxLineBytes ? { maxLineBytes } : {});
  const lines: DocLine[] = [];
  let expect = 0;
  for await (const b of src.batches()) {
    assert.equal(b.first, expect, 'batches are consecutive');
    for (const l of b.lines) lines.push(l);
    expect += b.lines.length;
  }
  return { bom: src.bom, lines };
}

test('property: streamed lines equal the whole-file split, and join back to the same bytes', async () => {
  const piece = fc.constantFrom(
    '{"id":"a"}',
    '',
    ' ',
    'not json',
    'é€😀',
    '\r',
    '\n',
    '\r\n',
    'x'.repeat(3000),
  );
  await fc.assert(
    fc.asyncProperty(fc.boolean(), fc.array(piece, { maxLength: 40 }), async (bom, parts) => {
      const text = (bom ? '\ufeff' : '') + parts.join('');
      const got = await readAll(Buffer.from(text, 'utf8'));
      const want = splitLines(text);
      assert.deepEqual(got, { bom: want.bom, lines: want.lines });
      assert.equal(joinLines(got), text);
    }),
    { numRuns: 150 },
  );
});

test('a CRLF split across the 1 MiB chunk boundary stays one CRLF', async () => {
  const first = 'a'.repeat((1 << 20) - 1);
  const text = `${first}\r\nb\rc\n`;
  const got = await readAll(Buffer.from(text));
  assert.deepEqual(
    got.lines.map((l) => l.eol),
    ['\r\n', '\r', '\n'],
  );
  assert.equal(joinLines(got), text);
});

test('a line past the limit is refused with its line number', async () => {
  const text = `{"id":"a"}\n${'x'.repeat(5000)}\n`;
  await assert.rejects(readAll(Buffer.from(text), 4096), /f\d+\.jsonl:2: line longer than/);
});

test('NUL and invalid UTF-8 are refused with the same messages as a whole-file open', async () => {
  const big = Buffer.concat([Buffer.from('a\n'.repeat(700_000)), Buffer.from([0x00])]);
  await assert.rejects(readAll(big), /looks binary \(a NUL byte at offset 1400000\)/);
  await assert.rejects(
    readAll(Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a])),
    /not valid UTF-8 text/,
  );
});
