/**
 * A real full disk (issue 10 item 1): a 2 MB tmpfs filled up. Every writing command fails
 * with "disk full", names the file, removes its temp file, and leaves the old bytes as they
 * were. Skips, saying why, where a tmpfs cannot be mounted (not root).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDataset, saveDataset } from '../../../src/io/datasetFile';
import { writeAtomic } from '../../../src/video/videoCache';
import { cli, NO_ASSETS, SAMPLE } from '../../helpers/cli';
import { datasetText, mountTmpfs, tempFilesIn, tempFolder } from './ioFixtures';

const mount = mountTmpfs('2m');
const skip = typeof mount === 'string' ? mount : false;
if (skip) process.stdout.write(`skipping disk-full tests: ${skip}\n`);
after(() => {
  if (typeof mount !== 'string') mount.unmount();
});
const disk = typeof mount === 'string' ? '' : mount.dir;
const OLD = '{"id": "old-1", "frames": [], "reasoning": "the original"}\n';
const inputs = tempFolder('gw-full-in-');

/** Fills the tmpfs up to `free` bytes of room, with `old` at `name` beside it. */
function nearlyFull(name: string, free: number): string {
  for (const f of readdirSync(disk)) rmSync(join(disk, f), { recursive: true, force: true });
  const target = join(disk, name);
  writeFileSync(target, OLD);
  const st = statfsSync(disk);
  const room = Number(st.bavail) * Number(st.bsize);
  writeFileSync(join(disk, 'filler'), Buffer.alloc(Math.max(0, room - free)));
  return target;
}

function unchanged(target: string): void {
  assert.equal(readFileSync(target, 'utf8'), OLD, `${target} must keep its old bytes`);
  assert.deepEqual(tempFilesIn(disk), [], 'no temp file may stay on the full disk');
}

test(
  'saveDataset on a full disk: disk full, the original unchanged, no temp',
  { skip },
  async () => {
    const target = nearlyFull('ds.jsonl', 64 * 1024);
    const src = join(inputs, 'big.jsonl');
    writeFileSync(src, datasetText(1_200_000, 'big'));
    await assert.rejects(saveDataset(target, await openDataset(src)), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `^disk full writing ${target.replace(/\./g, '\\.')} \\(temp .*\\.tmp removed\\); the original is unchanged$`,
        ),
      );
      return true;
    });
    unchanged(target);
  },
);

test(
  'merge -o onto a full disk exits 2 with "disk full"; the old output stays',
  { skip },
  async () => {
    const target = nearlyFull('merged.jsonl', 16 * 1024);
    const a = join(inputs, 'a.jsonl');
    const b = join(inputs, 'b.jsonl');
    writeFileSync(a, datasetText(40_000, 'a'));
    writeFileSync(b, datasetText(40_000, 'b'));
    const r = await cli(['merge', a, b, '-o', target]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /groundwork merge: disk full writing .*merged\.jsonl .*the original is unchanged/,
    );
    assert.equal(r.stdout, '');
    unchanged(target);
  },
);

test('import -o onto a full disk exits 2; the old output stays', { skip }, async () => {
  const target = nearlyFull('imported.cop.jsonl', 8 * 1024);
  const src = join(inputs, 'traces.txt');
  writeFileSync(
    src,
    'The [cup] <object> <frame 0>: (1, 2), (30, 40) </object> is here.\n'.repeat(800),
  );
  const r = await cli(['import', src, '-o', target, '--from', 'cop-text', '--frames', 'a.jpg']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /disk full writing .*imported\.cop\.jsonl .*the original is unchanged/);
  assert.doesNotMatch(r.stdout, /samples imported/);
  unchanged(target);
});

test('split onto a full disk leaves no shard, not even a truncated one', { skip }, async () => {
  nearlyFull('keep.jsonl', 100 * 1024);
  const src = join(inputs, 'tosplit.jsonl');
  writeFileSync(src, datasetText(300_000, 's'));
  const r = await cli(['split', src, '--shards', '3', '--out-dir', disk]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /disk full writing .*tosplit\.shard-\d-of-3\.jsonl/);
  assert.match(r.stderr, /split: no shard was written \(all 3 temp files removed\)/);
  assert.deepEqual(readdirSync(disk).sort(), ['filler', 'keep.jsonl']);
  unchanged(join(disk, 'keep.jsonl'));
});

/** Exports the sample dataset (drafts allowed) onto the disk with `free` bytes of room. */
async function exportOnto(
  free: number,
): Promise<{ target: string; r: Awaited<ReturnType<typeof cli>> }> {
  const target = nearlyFull('export.jsonl', free);
  const flags = ['--allow-unapproved', '--use-proposals', '--allow-partial'];
  return { target, r: await cli(['export', SAMPLE, '-o', target, ...flags]) };
}

test(
  'export onto a full disk exits 2; the old export stays; no frames copied',
  { skip: skip || NO_ASSETS },
  async () => {
    const { target, r } = await exportOnto(8 * 1024);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /disk full writing .*export\.jsonl .*the original is unchanged/);
    unchanged(target);
    assert.equal(existsSync(join(disk, 'export.frames')), false);
  },
);

test(
  'export whose frames do not fit: the records are not published; the message says what was left',
  { skip: skip || NO_ASSETS },
  async () => {
    const { target, r } = await exportOnto(96 * 1024);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /disk full copying .*\.jpg to .*export\.frames.*; export not written \(\d+ of \d+ frames were copied under .*export\.frames\)/,
    );
    unchanged(target);
  },
);

test(
  'a frame written to the cache on a full disk: ENOSPC, no temp file, the old frame kept',
  { skip },
  async () => {
    // The frame cache writes with synchronous calls (videoCache.ts): the same guarantees.
    const target = nearlyFull('000015.jpg', 4 * 1024);
    await assert.rejects(writeAtomic(target, Buffer.alloc(256 * 1024, 7)), /ENOSPC/);
    unchanged(target);
  },
);
