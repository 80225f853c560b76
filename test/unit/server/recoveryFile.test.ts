import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinLines, splitLines } from '../../../src/core/dataset';
import { RecoveryError, RecoveryFile, recoveredDocument } from '../../../src/server/recoveryFile';
import { planRecovery } from '../../../src/server/serveRecovery';

const FILE = 'l0\nl1\nl2\n';

function slot(): { dir: string; dataset: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-recfile-'));
  const dataset = join(dir, 'd.cop.jsonl');
  writeFileSync(dataset, FILE);
  return { dir, dataset };
}

test('a recovery round-trips and merges lines changed on disk since', async () => {
  const { dir, dataset } = slot();
  try {
    const rec = await RecoveryFile.of(dataset, join(dir, 'rec'));
    await rec.write(splitLines('l0\nMINE\nl2\n'), splitLines(FILE));
    const found = await rec.read();
    assert.ok(found);
    assert.equal(
      found.journal.changes[0]?.base?.raw,
      'l1',
      'the file version of the changed line is kept',
    );
    const merged = recoveredDocument(found, splitLines('THEIRS\nl1\nl2\n'));
    assert.equal(joinLines(merged), 'THEIRS\nMINE\nl2\n');
    assert.throws(
      () => recoveredDocument(found, splitLines('l0\nOTHER\nl2\n')),
      (e: unknown) =>
        e instanceof RecoveryError && /line\(s\) 2 that the recovery also/.test(e.message),
    );
    await rec.remove();
    assert.equal(await rec.read(), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a recovery whose text does not match its meta is reported, not opened', async () => {
  const { dir, dataset } = slot();
  try {
    const rec = await RecoveryFile.of(dataset, join(dir, 'rec'));
    await rec.write(splitLines('l0\nMINE\nl2\n'), splitLines(FILE));
    writeFileSync(rec.textPath, 'l0\nHALF');
    await assert.rejects(
      planRecovery(dataset, 'recover', join(dir, 'rec')),
      /recovery .* is incomplete .*--discard-recovery/,
    );
    await assert.rejects(planRecovery(dataset, undefined, join(dir, 'rec')), /incomplete/);
    const dropped = await planRecovery(dataset, 'discard', join(dir, 'rec'));
    assert.match(dropped.note ?? '', /discarded/);
    assert.equal(await rec.read(), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--recover without a recovery is refused with the dataset named', async () => {
  const { dir, dataset } = slot();
  try {
    await assert.rejects(
      planRecovery(dataset, 'recover', join(dir, 'rec')),
      /--recover: there is no recovery of .*d\.cop\.jsonl/,
    );
    assert.equal((await planRecovery(dataset, undefined, join(dir, 'rec'))).recover, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
