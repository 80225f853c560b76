import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { IdIndex } from '../../../src/io/idIndex';
import type { IdHash } from '../../../src/io/idIndex';
import { LineLocator } from '../../../src/io/lineLocator';
import { openLines } from '../../../src/io/lineReader';

/** The index over an in-memory list of ids: place i holds ids[i]. */
function indexOver(ids: readonly string[], hash?: IdHash): IdIndex {
  return new IdIndex((place) => ids[place], hash);
}

test('property: the id index answers like a Map of first places, across growth', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 400 }), (ids) => {
      const index = indexOver(ids);
      const map = new Map<string, number>();
      ids.forEach((id, place) => {
        const want = map.get(id);
        if (want === undefined) map.set(id, place);
        assert.equal(index.firstOrAdd(id, place), want);
      });
      assert.equal(index.size, map.size);
    }),
  );
});

test('property: colliding hashes are never reported as a repeat (the real id decides)', () => {
  // Two hashes for everything: every id lands in one table with one of two fingerprints.
  const crowded: IdHash = (id) => [0, id.length % 2];
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 150 }), (ids) => {
      const index = indexOver(ids, crowded);
      const map = new Map<string, number>();
      ids.forEach((id, place) => {
        const want = map.get(id);
        if (want === undefined) map.set(id, place);
        assert.equal(index.firstOrAdd(id, place), want);
      });
    }),
  );
});

test('an unreadable earlier line is not a repeat (never a false duplicate)', () => {
  const index = new IdIndex(
    () => undefined,
    () => [7, 7],
  );
  assert.equal(index.firstOrAdd('a', 0), undefined);
  assert.equal(index.firstOrAdd('a', 1), undefined);
  assert.throws(() => index.firstOrAdd('b', 2 ** 32), /out of range/);
});

test('1.5M distinct ids: no false repeat, every one found again, ~20-40 bytes an id', () => {
  const n = 1_500_000;
  const ids = Array.from({ length: n }, (_, i) => `gen-${i}`);
  const index = indexOver(ids);
  let calls = 0;
  const counted = new IdIndex((place) => (calls++, ids[place]));
  for (let i = 0; i < n; i++) {
    assert.equal(index.firstOrAdd(ids[i] as string, i), undefined);
    if (i < 200_000) counted.firstOrAdd(ids[i] as string, i);
  }
  for (let i = 0; i < n; i += 997) assert.equal(index.firstOrAdd(`gen-${i}`, n), i);
  // Read-backs happen on fingerprint matches only: none among distinct ids, in practice.
  assert.ok(calls <= 2, `${calls} read-backs for 200k distinct ids`);
  const perId = index.bytes / n;
  assert.ok(perId >= 8 && perId <= 48, `${perId.toFixed(1)} bytes per id`);
});

test('ids read back from files: BOM, CRLF and lone CR endings, across files and batches', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-idindex-'));
  try {
    // Over 1 MiB each, so each file streams as several batches.
    const pad = 'x'.repeat(1000);
    const line = (i: number, tag: string): string => JSON.stringify({ id: `${tag}${i}`, pad });
    const a = '\ufeff' + Array.from({ length: 1500 }, (_, i) => line(i, 'é')).join('\r\n');
    const b = Array.from({ length: 1500 }, (_, i) => line(i, i % 2 ? 'é' : 'b')).join('\r');
    writeFileSync(join(dir, 'a.jsonl'), a + '\n');
    writeFileSync(join(dir, 'b.jsonl'), b);
    const locator = new LineLocator();
    const index = new IdIndex((place) => locator.idAt(place));
    const repeats: string[] = [];
    for (const [k, name] of ['a.jsonl', 'b.jsonl'].entries()) {
      let batches = 0;
      const src = await openLines(join(dir, name));
      for await (const batch of locator.batches(src)) {
        batches++;
        for (const [i, l] of batch.lines.entries()) {
          const id = (JSON.parse(l.raw) as { id: string }).id;
          const seen = index.firstOrAdd(id, locator.place(k, batch.first + i));
          if (seen === undefined) continue;
          const first = locator.where(seen);
          repeats.push(`${name}:${batch.first + i + 1} ${id} ${first.file}:${first.line + 1}`);
        }
      }
      assert.ok(batches > 1, `${name} came in ${batches} batch(es)`);
    }
    // b's odd lines repeat a's ids; each names a's line of the same number.
    assert.equal(repeats.length, 750);
    assert.equal(repeats[0], 'b.jsonl:2 é1 0:2');
    assert.equal(repeats.at(-1), 'b.jsonl:1500 é1499 0:1500');
    assert.equal(locator.idAt(0), 'é0');
    assert.equal(locator.idAt(1500 + 1499), 'é1499');
    assert.equal(locator.idAt(9999), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
