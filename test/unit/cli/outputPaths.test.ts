/**
 * Outputs that would replace an input or a special file (issue 10 items 4, 5): refused with
 * both paths named, exit 2, and every input byte for byte as it was.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { cli } from '../../helpers/cli';
import { tempFolder } from '../io/ioFixtures';

const A = '{"id": "a-1", "frames": ["f.jpg"], "reasoning": "the [cup] is here"}\n';
const B = '{"id": "b-1", "frames": ["f.jpg"], "reasoning": "the [tray] is there"}\n';

function setup(): { dir: string; a: string; b: string } {
  const dir = tempFolder('gw-out-');
  mkdirSync(join(dir, 'ds'));
  const a = join(dir, 'ds', 'a.jsonl');
  const b = join(dir, 'ds', 'b.jsonl');
  writeFileSync(a, A);
  writeFileSync(b, B);
  return { dir, a, b };
}

function sameAsInput(out: string, input: string): RegExp {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`refusing -o ${esc(out)}: it is the same file as the input ${esc(input)}`);
}

test('export -o the dataset itself, by any spelling, is refused and the dataset kept', async () => {
  const { dir, a } = setup();
  symlinkSync(a, join(dir, 'link.jsonl'));
  linkSync(a, join(dir, 'hard.jsonl'));
  for (const out of [a, `${dir}/ds/../ds/a.jsonl`, 'link.jsonl', 'hard.jsonl']) {
    const r = await cli(['export', a, '-o', out], { cwd: dir });
    assert.equal(r.code, 2, `${out}: ${r.stderr}`);
    assert.match(r.stderr, sameAsInput(resolve(dir, out), a));
    assert.match(r.stderr, /Nothing was written/);
    assert.equal(readFileSync(a, 'utf8'), A);
  }
  assert.ok(statSync(join(dir, 'link.jsonl')).isFile());
});

test('merge a b -o a and -o b are refused; both inputs kept', async () => {
  const { a, b } = setup();
  for (const out of [a, b]) {
    const r = await cli(['merge', a, b, '-o', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, sameAsInput(out, out));
    assert.equal(readFileSync(a, 'utf8'), A);
    assert.equal(readFileSync(b, 'utf8'), B);
  }
});

test('merge -o - writes the merged lines to standard output and no file', async () => {
  const { dir, a, b } = setup();
  const r = await cli(['merge', a, b, '-o', '-'], { cwd: dir });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, A + B);
  assert.match(r.stderr, /merged 2 lines from 2 files to standard output/);
  assert.throws(() => statSync(join(dir, '-')), /ENOENT/);
});

test('import x -o x is refused; the input kept', async () => {
  const { dir } = setup();
  const x = join(dir, 'traces.txt');
  const text = 'The [cup] <object> <frame 0>: (1, 2), (30, 40) </object> is here.\n';
  writeFileSync(x, text);
  const r = await cli(['import', x, '-o', x, '--from', 'cop-text', '--frames', 'a.jpg']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, sameAsInput(x, x));
  assert.equal(readFileSync(x, 'utf8'), text);
});

test('prelabel -o the dataset is refused without --in-place, before any model runs', async () => {
  const { a } = setup();
  const r = await cli(['prelabel', a, '-o', a]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, sameAsInput(a, a));
  assert.equal(readFileSync(a, 'utf8'), A);
});

test('-o a FIFO or /dev/full is refused; neither is replaced', async () => {
  const { dir, a, b } = setup();
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  for (const out of [fifo, '/dev/full']) {
    for (const argv of [
      ['merge', a, b, '-o', out],
      ['export', a, '-o', out],
      ['import', a, '-o', out],
    ]) {
      const r = await cli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /refusing -o .*: it is a (FIFO \(named pipe\)|character device), not a regular file; nothing was written/,
      );
    }
  }
  assert.ok(statSync(fifo).isFIFO());
  assert.ok(statSync('/dev/full').isCharacterDevice());
  assert.equal(readFileSync(a, 'utf8'), A);
});

test('split --out-dir and frames --out naming a FIFO or a file are refused', async () => {
  const { dir, a } = setup();
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  for (const [argv, flag] of [
    [['split', a, '--shards', '2', '--out-dir', fifo], '--out-dir'],
    [['frames', a, '--out', a], '--out'],
  ] as const) {
    const r = await cli([...argv]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`refusing ${flag} .*: it is a (FIFO \\(named pipe\\)|regular file), not a folder`),
    );
  }
  assert.ok(statSync(fifo).isFIFO());
  assert.equal(readFileSync(a, 'utf8'), A);
});

test('import -o - writes the samples to standard output and no file', async () => {
  const { dir } = setup();
  const x = join(dir, 'traces.txt');
  writeFileSync(x, 'The [cup] <object> <frame 0>: (1, 2), (30, 40) </object> is here.\n');
  const r = await cli(['import', x, '-o', '-', '--from', 'cop-text', '--frames', 'a.jpg'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\{"id": "traces-0001", .*\}\n$/);
  assert.match(r.stderr, /standard output: 1 samples imported from cop-text/);
  assert.throws(() => statSync(join(dir, '-')), /ENOENT/);
});
