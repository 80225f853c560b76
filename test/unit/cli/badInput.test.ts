import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../../helpers/cli';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gw-bad-'));
}

test('bad input: a missing file', async () => {
  const r = await cli(['validate', '/nonexistent/x.cop.jsonl']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/nonexistent\/x\.cop\.jsonl: no such file/);
});

test('bad input: a directory', async () => {
  const d = tmp();
  const r = await cli(['stats', d]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is a directory, expected a \.jsonl file/);
});

test('bad input: an empty file', async () => {
  const d = tmp();
  writeFileSync(join(d, 'e.jsonl'), '');
  const r = await cli(['validate', join(d, 'e.jsonl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /e\.jsonl: is empty \(no samples\)/);
});

test('bad input: a binary file is refused and left untouched', async () => {
  const d = tmp();
  const p = join(d, 'b.jsonl');
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe, 0x0a]);
  writeFileSync(p, bytes);
  const r = await cli(['validate', p]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /looks binary \(a NUL byte at offset 4\).*Nothing was changed/);
  assert.ok(readFileSync(p).equals(bytes));
});

test('bad input: invalid UTF-8 is refused', async () => {
  const d = tmp();
  const p = join(d, 'u.jsonl');
  writeFileSync(p, Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a]));
  const r = await cli(['stats', p]);
  assert.match(r.stderr, /not valid UTF-8 text/);
});

test('bad input: a line that is a JSON array is reported with its line number and kept by split/merge', async () => {
  const d = tmp();
  const p = join(d, 'a.cop.jsonl');
  const text =
    '{"id": "ok-1", "frames": [], "reasoning": "x"}\n[1, 2, 3]\n{"id": "ok-2", "frames": [], "reasoning": "y"}\n';
  writeFileSync(p, text);
  const r = await cli(['validate', p, '--no-media']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /a\.cop\.jsonl:2: error: line 2: a JSON array, expected an object/);
  await cli(['split', p, '--shards', '2']);
  const m = await cli([
    'merge',
    join(d, 'a.shard-1-of-2.cop.jsonl'),
    join(d, 'a.shard-2-of-2.cop.jsonl'),
    '-o',
    join(d, 'm.jsonl'),
  ]);
  assert.equal(m.code, 0, m.stderr);
  assert.equal(readFileSync(join(d, 'm.jsonl'), 'utf8'), text);
});

test('bad input: an id that repeats', async () => {
  const d = tmp();
  const p = join(d, 'r.jsonl');
  writeFileSync(
    p,
    '{"id": "a", "frames": [], "reasoning": "[x]"}\n{"id": "b", "frames": [], "reasoning": "y"}\n{"id": "a", "frames": [], "reasoning": "z"}\n',
  );
  const r = await cli(['validate', p, '--no-media']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /r\.jsonl:3: error: line 3, sample "a": id repeats line 1/);
});

test('bad input: a media path that leaves the workspace is refused by name', async () => {
  const d = tmp();
  mkdirSync(join(d, 'ws', 'datasets'), { recursive: true });
  writeFileSync(join(d, 'secret.jpg'), 'x');
  const p = join(d, 'ws', 'datasets', 'x.cop.jsonl');
  const text = '{"id": "escape-1", "frames": ["../../secret.jpg"], "reasoning": "[thing]"}\n';
  writeFileSync(p, text);
  const r = await cli(['validate', p]);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /line 1, sample "escape-1": Media path "\.\.\/\.\.\/secret\.jpg" resolves to .*secret\.jpg, which is outside the workspace and the media roots/,
  );
  const e = await cli(['export', p, '-o', join(d, 'out.jsonl'), '--allow-unapproved']);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /outside the workspace/);
  assert.equal(readFileSync(p, 'utf8'), text);
});

test('bad input: missing media is named', async () => {
  const d = tmp();
  mkdirSync(join(d, 'datasets'));
  const p = join(d, 'datasets', 'm.jsonl');
  writeFileSync(p, '{"id": "gone-1", "video": "../videos/none.mp4", "reasoning": "[a]"}\n');
  const r = await cli(['validate', p]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /sample "gone-1": \.\.\/videos\/none\.mp4: file not found/);
});

test('usage errors: unknown command, missing args, bad format', async () => {
  assert.match((await cli(['frobnicate'])).stderr, /unknown command "frobnicate"/);
  assert.match((await cli(['export', 'x.jsonl'])).stderr, /need a dataset and -o/);
  const d = tmp();
  writeFileSync(join(d, 'x.jsonl'), '{"id":"a","frames":[],"reasoning":""}\n');
  assert.match(
    (await cli(['export', join(d, 'x.jsonl'), '-o', join(d, 'o.jsonl'), '--format', 'coco']))
      .stderr,
    /unknown --format "coco"/,
  );
  assert.match(
    (await cli(['split', join(d, 'x.jsonl'), '--shards', 'two'])).stderr,
    /--shards expects a number/,
  );
});
