/** The atomic writer under injected faults (issue 10 items 1, 2, 6): the old file always stays. */
import assert from 'node:assert/strict';
import {
  linkSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { AtomicTextWriter, writeFileAtomic } from '../../../src/io/atomicWriter';
import { openDataset, saveDataset } from '../../../src/io/datasetFile';
import { WriteError } from '../../../src/io/writeFs';
import { datasetText, faultyFs, tempFilesIn, tempFolder } from './ioFixtures';

const OLD = datasetText(50_000, 'old');
const NEW = datasetText(3_000_000, 'new');

function setup(): { dir: string; path: string } {
  const dir = tempFolder();
  const path = join(dir, 'ds.jsonl');
  writeFileSync(path, OLD);
  return { dir, path };
}

async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<WriteError> {
  const e = await promise.then(
    () => assert.fail('the write should have failed'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof WriteError, `a WriteError, got ${String(e)}`);
  assert.match(e.message, pattern);
  return e;
}

for (const [code, words] of [
  ['ENOSPC', 'disk full'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EIO', 'I/O error'],
] as const) {
  test(`${code} mid-write: "${words}", the original unchanged, the temp removed`, async () => {
    const { dir, path } = setup();
    const fsys = faultyFs({ failAfter: { bytes: 1_500_000, code } });
    const e = await refused(
      writeFileAtomic(path, NEW, fsys),
      new RegExp(
        `^${words} writing ${path.replace(/[.]/g, '\\.')} \\(temp .*\\.tmp removed\\); the original is unchanged$`,
      ),
    );
    assert.equal(e.code, code);
    assert.equal(readFileSync(path, 'utf8'), OLD);
    assert.deepEqual(tempFilesIn(dir), []);
  });
}

test('a write that reports 0 bytes (short write) fails instead of saving a cut file', async () => {
  const { dir, path } = setup();
  await refused(
    writeFileAtomic(path, NEW, faultyFs({ shortAfter: 892_928 })),
    /^short write writing .*ds\.jsonl \(only 892928 of \d+ bytes reached the disk\) \(temp .* removed\); the original is unchanged$/,
  );
  assert.equal(readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFilesIn(dir), []);
});

test('a device that claims full writes but keeps less is caught by the size check after fsync', async () => {
  const { dir, path } = setup();
  await refused(
    writeFileAtomic(path, NEW, faultyFs({ dropAfter: 4_096 })),
    /short write .*only 4096 of \d+ bytes reached the disk.*the original is unchanged/,
  );
  assert.equal(readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFilesIn(dir), []);
});

test('EIO from fsync and a failed rename leave the original and no temp', async () => {
  for (const faults of [{ syncError: 'EIO' }, { renameError: 'EIO' }]) {
    const { dir, path } = setup();
    await refused(writeFileAtomic(path, NEW, faultyFs(faults)), /^I\/O error writing .*unchanged$/);
    assert.equal(readFileSync(path, 'utf8'), OLD);
    assert.deepEqual(tempFilesIn(dir), []);
  }
});

test('a failed first write of a new file says no file was written', async () => {
  const dir = tempFolder();
  const path = join(dir, 'fresh.jsonl');
  await refused(
    writeFileAtomic(path, NEW, faultyFs({ failAfter: { bytes: 10, code: 'ENOSPC' } })),
    /disk full writing .*fresh\.jsonl .*; no file was written there$/,
  );
  assert.deepEqual(tempFilesIn(dir), []);
  assert.throws(() => statSync(path), /ENOENT/);
});

test('saves started together get distinct random temp names and all succeed', async () => {
  const { path } = setup();
  const writers = await Promise.all(
    Array.from({ length: 20 }, () => AtomicTextWriter.create(path)),
  );
  const names = new Set(writers.map((w) => w.tmp));
  assert.equal(names.size, 20);
  for (const w of writers)
    assert.match(w.tmp, new RegExp(`/\\.ds\\.jsonl\\.${process.pid}\\.[0-9a-f]{16}\\.tmp$`));
  await Promise.all(writers.map((w, i) => w.write(`{"id": "w${i}"}\n`).then(() => w.commit())));
  assert.match(readFileSync(path, 'utf8'), /^\{"id": "w\d+"\}\n$/);
});

test('a dataset opened through a symlink is saved through it: the link stays, the target changes', async () => {
  const { dir, path } = setup();
  const link = join(dir, 'link.jsonl');
  symlinkSync('ds.jsonl', link);
  const doc = await openDataset(link);
  await saveDataset(link, { ...doc, lines: doc.lines.slice(0, 2) });
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readlinkSync(link), 'ds.jsonl');
  assert.equal(readFileSync(path, 'utf8'), OLD.split('\n').slice(0, 2).join('\n') + '\n');
  assert.deepEqual(tempFilesIn(dir), []);
});

test('a hard-linked dataset keeps the mode of the old file', async () => {
  const { dir, path } = setup();
  linkSync(path, join(dir, 'other.jsonl'));
  const mode = statSync(path).mode & 0o777;
  await writeFileAtomic(path, NEW);
  assert.equal(statSync(path).mode & 0o777, mode);
  assert.equal(readFileSync(path, 'utf8'), NEW);
});

test('the writer refuses to replace a character device (/dev/full) or a folder', async () => {
  await refused(
    writeFileAtomic('/dev/full', 'x'),
    /^refusing to write \/dev\/full: it is a character device, not a regular file; it was not replaced$/,
  );
  assert.ok(statSync('/dev/full').isCharacterDevice());
  const dir = tempFolder();
  await refused(writeFileAtomic(dir, 'x'), /it is a directory, not a regular file/);
  assert.ok(statSync(dir).isDirectory());
});

test('property: a fault at any byte (any code, short or lying write) leaves the old file and no temp', async () => {
  const { dir, path } = setup();
  const next = datasetText(300_000, 'next');
  const size = Buffer.byteLength(next);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: size - 1 }),
      fc.constantFrom('ENOSPC', 'EDQUOT', 'EIO', 'short', 'drop'),
      async (at, kind) => {
        const faults =
          kind === 'short'
            ? { shortAfter: at }
            : kind === 'drop'
              ? { dropAfter: at }
              : { failAfter: { bytes: at, code: kind } };
        await assert.rejects(writeFileAtomic(path, next, faultyFs(faults)), WriteError);
        assert.equal(readFileSync(path, 'utf8'), OLD);
        assert.deepEqual(tempFilesIn(dir), []);
      },
    ),
    { numRuns: 60 },
  );
});
