/**
 * Issue 14 item 5: serve's recovery is a journal of the lines that differ from the base, so
 * its write does not grow with the dataset. A property checks that a written and re-read
 * journal replays onto the unchanged file as exactly the session's document, and onto a
 * file changed on disk as the reload merge (`mergeDiskChange`) did with the whole text:
 * the same document, or a conflict with the same message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc, DocLine, Eol } from '../../../src/core/dataset';
import { mergeDiskChange } from '../../../src/session/diskMerge';
import { RecoveryError, RecoveryFile, recoveredDocument } from '../../../src/server/recoveryFile';
import { digestNow } from '../../../src/server/recoveryJournal';

const line = fc.record({
  raw: fc.oneof(fc.constantFrom('', '  ', '{"id":"a"}', 'é ☃ 𝄞'), fc.string({ maxLength: 12 })),
  eol: fc.constantFrom<Eol>('\n', '\r\n', '\r'),
});

/** A document as splitLines would make it (no breaks inside a line, the last may have none). */
const docArb = fc
  .record({ bom: fc.boolean(), lines: fc.array(line, { minLength: 1, maxLength: 12 }) })
  .map(({ bom, lines }) => splitLines(joinLines({ bom, lines })));

/** Replaces line `at` (mod length) by `by`, sharing the other lines as an op does. */
function edit(doc: DatasetDoc, at: number, by: string): DatasetDoc {
  const lines = doc.lines.slice();
  const i = at % lines.length;
  const old = lines[i] as DocLine;
  lines[i] = { raw: `${old.raw.replace(/[\r\n]/g, '')}${by}`, eol: old.eol || '\n' };
  return { bom: doc.bom, lines };
}

function tempSlot(): { dir: string; dataset: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-journal-'));
  const dataset = join(dir, 'd.cop.jsonl');
  writeFileSync(dataset, 'x\n');
  return { dir, dataset };
}

/** Runs `body` with a recovery slot for a fresh dataset file, removed afterwards. */
async function inSlot<T>(
  body: (rec: RecoveryFile, dir: string, dataset: string) => Promise<T>,
): Promise<T> {
  const { dir, dataset } = tempSlot();
  try {
    return await body(await RecoveryFile.of(dataset, join(dir, 'rec')), dir, dataset);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a journal replays onto the unchanged file as exactly the session’s document', async () => {
  return inSlot(async (rec) => {
    await fc.assert(
      fc.asyncProperty(
        docArb,
        fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -3, max: 3 }),
        async (base, edits, grow) => {
          let doc = base;
          for (const [at, by] of edits) doc = edit(doc, at, `!${by}`);
          // Lines added or cut at the end change the line count and the last line's ending.
          const lines = doc.lines.slice(0, Math.max(1, doc.lines.length + Math.min(grow, 0)));
          for (let k = 0; k < grow; k++) lines.push({ raw: `new ${k}`, eol: '\n' });
          doc = { bom: doc.bom, lines };
          await rec.write(doc, base);
          const found = await rec.read();
          assert.ok(found);
          const got = recoveredDocument(found, splitLines(joinLines(base)));
          assert.equal(joinLines(got), joinLines(doc));
          assert.deepEqual(got.lines, doc.lines);
        },
      ),
      { numRuns: 150 },
    );
  });
});

test('onto a file changed on disk, a journal merges or conflicts as the whole text did', async () => {
  return inSlot(async (rec) => {
    await fc.assert(
      fc.asyncProperty(
        docArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        async (base, ours, theirs) => {
          let doc = base;
          for (const at of ours) doc = edit(doc, at, '!mine');
          let disk = base;
          for (const at of theirs) disk = edit(disk, at, '!theirs');
          disk = splitLines(joinLines(disk));
          await rec.write(doc, base);
          const found = await rec.read();
          assert.ok(found);
          const before = mergeDiskChange(base, doc, disk);
          if (before.kind === 'conflict') {
            assert.throws(
              () => recoveredDocument(found, disk),
              (e: unknown) =>
                e instanceof RecoveryError &&
                e.message.includes(`line(s) ${before.lines.map((l) => l + 1).join(', ')} `) &&
                /that the recovery also changed; compare .* by hand/.test(e.message),
            );
          } else {
            const want =
              before.kind === 'same' ? doc : before.kind === 'reload' ? disk : before.doc;
            assert.equal(joinLines(recoveredDocument(found, disk)), joinLines(want));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** A generated dataset of `count` lines of about 800 bytes, as the 100k bench's. */
function generated(count: number): DatasetDoc {
  const pad = 'x'.repeat(700);
  const lines: DocLine[] = [];
  for (let i = 0; i < count; i++)
    lines.push({ raw: JSON.stringify({ id: `s${i}`, reasoning: `A [cup]. ${pad}` }), eol: '\n' });
  return { bom: false, lines };
}

/** Bytes in the recovery folder and the median time of five writes after one edit. */
async function writeCost(count: number): Promise<{ bytes: number; ms: number }> {
  return inSlot(async (rec, dir) => {
    const base = generated(count);
    const digest = digestNow(base);
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      const doc = edit(base, 7 + round, ` wok ${round}`);
      const t0 = performance.now();
      await rec.write(doc, base, digest);
      times.push(performance.now() - t0);
    }
    const recDir = join(dir, 'rec');
    const bytes = readdirSync(recDir).reduce((s, n) => s + statSync(join(recDir, n)).size, 0);
    return { bytes, ms: times.sort((a, b) => a - b)[2] ?? 0 };
  });
}

test('the recovery write after one edit costs the same bytes at 100 and 100,000 lines', async (t) => {
  const small = await writeCost(100);
  const large = await writeCost(100_000);
  // The whole-text recovery's work at 100k, timed here as the yardstick: join and hash.
  const whole = generated(100_000);
  const t0 = performance.now();
  digestNow({ bom: false, lines: splitLines(joinLines(whole)).lines });
  const wholeMs = performance.now() - t0;
  t.diagnostic(
    `100 lines: ${small.bytes} B, ${small.ms.toFixed(1)} ms; 100k lines: ${large.bytes} B, ` +
      `${large.ms.toFixed(1)} ms; joining and hashing the 100k text: ${wholeMs.toFixed(0)} ms`,
  );
  assert.ok(large.bytes < small.bytes * 1.2, `${large.bytes} B at 100k vs ${small.bytes} B`);
  assert.ok(large.bytes < 4000, 'one edit writes a few kB, not the 77 MB document');
  // No per-write hash of the base: a write at 100k is far below one pass over the text.
  assert.ok(large.ms < wholeMs / 3, `${large.ms} ms per write vs ${wholeMs} ms for one pass`);
});

test('a recovery of an older build (the whole text) is still read and merged', async () => {
  return inSlot(async (rec, dir, dataset) => {
    // Only to learn the slot's paths; then an older build's files replace what it wrote.
    await rec.write(splitLines('a\nb\n'), splitLines('a\nc\n'));
    const text = 'l0\nMINE\nl2\n';
    const { createHash } = await import('node:crypto');
    const meta = {
      version: 1,
      dataset,
      writtenAt: '2026-11-30T10:00:00.000Z',
      pid: 1,
      textSha256: createHash('sha256').update(text).digest('hex'),
      baseLines: { '1': { raw: 'l1', eol: '\n' } },
    };
    writeFileSync(rec.textPath, text);
    writeFileSync(rec.textPath.replace(/\.cop\.jsonl$/, '.json'), JSON.stringify(meta));
    const found = await rec.read();
    assert.ok(found);
    assert.equal(joinLines(recoveredDocument(found, splitLines('l0\nl1\nl2\n'))), text);
    assert.equal(
      joinLines(recoveredDocument(found, splitLines('THEIRS\nl1\nl2\n'))),
      'THEIRS\nMINE\nl2\n',
    );
    assert.throws(() => recoveredDocument(found, splitLines('l0\nOTHER\nl2\n')), /line\(s\) 2 /);
  });
});
