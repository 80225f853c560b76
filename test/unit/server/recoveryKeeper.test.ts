/**
 * Issue 14 item 5: the recovery keeper hashes a base once, not per write. Over one base,
 * every write gets the same digest (computed once); after the base changes (a save), the
 * next write gets the new base's digest; what it wrote recovers the session's document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import { RecoveryFile, recoveredDocument } from '../../../src/server/recoveryFile';
import { RecoveryKeeper } from '../../../src/server/recoveryKeeper';
import { digestNow } from '../../../src/server/recoveryJournal';
import type { BaseDigest } from '../../../src/server/recoveryJournal';
import { makeSession } from '../session/sessionHelpers';

const TEXT =
  Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ id: `s${i}`, frames: ['f.png'], reasoning: 'A [cup].' }),
  ).join('\n') + '\n';

const reasoning = (line: number, noun: string) =>
  ({ type: 'sample/reasoning', line, id: `s${line}`, reasoning: `A [${noun}].` }) as const;

test('the keeper hashes each base once and its journal recovers the session’s document', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-keeper-'));
  try {
    const path = join(dir, 'd.cop.jsonl');
    writeFileSync(path, TEXT);
    const { session } = makeSession(TEXT, path);
    const rec = await RecoveryFile.of(path, join(dir, 'rec'));
    const digests: (BaseDigest | undefined)[] = [];
    const write = rec.write.bind(rec);
    rec.write = (doc, base, digest) => {
      digests.push(digest);
      return write(doc, base, digest);
    };
    let base: DatasetDoc = session.doc;
    const keeper = new RecoveryKeeper(rec, session, () => base);
    for (const [k, noun] of ['wok', 'jar', 'mug'].entries()) {
      session.edit(reasoning(3 + k, noun), 'reasoning');
      await keeper.flush();
    }
    assert.equal(digests.length, 3);
    assert.ok(digests[0], 'the keeper passes a digest: the file does not hash the base');
    assert.ok(
      digests.every((d) => d === digests[0]),
      'one digest object for one base',
    );
    assert.deepEqual(digests[0], digestNow(splitLines(TEXT)));

    // A save: the base is now the document as written; the next write hashes that one.
    base = session.doc;
    session.edit(reasoning(9, 'lid'), 'reasoning');
    await keeper.flush();
    assert.notEqual(digests[3], digests[0]);
    assert.deepEqual(digests[3], digestNow(base));

    const found = await rec.read();
    assert.ok(found);
    assert.equal(found.journal.changes.length, 1, 'only the line changed since the base');
    assert.equal(joinLines(recoveredDocument(found, base)), joinLines(session.doc));
    await keeper.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
