/**
 * Inputs and arguments (issue 10 items 18-21): endless and special inputs refused at once,
 * binary and invalid UTF-8 refused by import and cop parse, unknown options and extra
 * arguments are usage errors, and `validate --strict` fails on warnings. These run the
 * built dist/cli.js (rebuild with `node esbuild.mjs`) so a hang or a memory blow-up shows.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ASSETS, NO_ASSETS } from '../../helpers/cli';
import { tempFolder } from '../io/ioFixtures';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const NO_DIST = existsSync(CLI) ? false : `needs ${CLI}: run node esbuild.mjs first`;
const JPEG = join(ASSETS, 'frames', 'rb_object_location', '00000.jpg');
const GOOD = '{"id": "g-1", "frames": ["f.jpg"], "reasoning": "the [cup] is here"}\n';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], input?: Buffer | string, cwd?: string): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    cwd,
    timeout: 10_000,
    encoding: 'utf8',
    // 200 MB of old-space: an unbounded read of /dev/zero would die here, not pass.
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=200' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

test(
  '/dev/zero and a FIFO as input: refused quickly by validate, stats, export, split, merge',
  { skip: NO_DIST },
  () => {
    const dir = tempFolder('gw-in-');
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, GOOD);
    for (const [input, kind] of [
      ['/dev/zero', 'a character device'],
      [fifo, 'a FIFO \\(named pipe\\)'],
    ] as const) {
      for (const args of [
        ['validate', input],
        ['stats', input],
        ['export', input, '-o', join(dir, 'out.jsonl')],
        ['split', input, '--shards', '2', '--out-dir', dir],
        ['merge', good, input, '-o', join(dir, 'merged.jsonl')],
      ]) {
        const r = run(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(
          r.stderr,
          new RegExp(`${input}: is ${kind}, not a regular file.*Nothing was read`),
        );
        assert.ok(r.ms < 5_000, `${args.join(' ')} took ${r.ms} ms`);
      }
    }
    assert.equal(existsSync(join(dir, 'out.jsonl')), false);
    assert.equal(existsSync(join(dir, 'merged.jsonl')), false);
    assert.equal(readFileSync(good, 'utf8'), GOOD);
  },
);

test(
  'import photo.jpg is refused as binary; no output written',
  { skip: NO_DIST || NO_ASSETS },
  () => {
    const dir = tempFolder('gw-in-');
    const out = join(dir, 'ds.cop.jsonl');
    const r = run(['import', JPEG, '-o', out]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /00000\.jpg: looks binary \(a NUL byte at offset \d+\); .*Nothing was changed/,
    );
    assert.doesNotMatch(r.stdout, /samples imported/);
    assert.equal(existsSync(out), false);
  },
);

test('import and cop parse refuse invalid UTF-8', { skip: NO_DIST }, () => {
  const dir = tempFolder('gw-in-');
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, Buffer.from('The [cup] \xff\xfe <object> here\n', 'latin1'));
  const out = join(dir, 'ds.cop.jsonl');
  const r = run(['import', bad, '-o', out, '--from', 'cop-text', '--frames', 'a.jpg']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.txt: not valid UTF-8 text; .*Nothing was changed/);
  assert.equal(existsSync(out), false);
  const p = run(['cop', 'parse'], Buffer.from([0x61, 0x20, 0xc3, 0x28, 0x0a]));
  assert.equal(p.code, 2);
  assert.match(p.stderr, /stdin: not valid UTF-8 text/);
  assert.equal(p.stdout, '');
  const z = run(['cop', 'parse'], Buffer.from([0x61, 0x00, 0x62]));
  assert.equal(z.code, 2);
  assert.match(z.stderr, /stdin: looks binary \(a NUL byte at offset 1\)/);
});

test('cop parse < /dev/zero is refused at once', { skip: NO_DIST }, () => {
  const zero = openSync('/dev/zero', 'r');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'cop', 'parse'], {
    stdio: [zero, 'pipe', 'pipe'],
    timeout: 10_000,
    encoding: 'utf8',
  });
  closeSync(zero);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /stdin: looks binary \(a NUL byte at offset 0\)/);
  assert.ok(Date.now() - t0 < 5_000);
});

test(
  'unknown options and extra arguments are usage errors (exit 2) with the usage line',
  { skip: NO_DIST },
  () => {
    const dir = tempFolder('gw-args-');
    const a = join(dir, 'a.jsonl');
    writeFileSync(a, GOOD);
    const cases: [string[], RegExp][] = [
      [
        ['validate', a, '--frobnicate'],
        /groundwork validate: unknown option --frobnicate\nusage: groundwork validate <dataset\.jsonl>/,
      ],
      [
        ['validate', a, a],
        /unexpected argument ".*a\.jsonl" \(takes at most 1\)\nusage: groundwork validate/,
      ],
      [
        ['stats', a, '--json=yes'],
        /Option '--json' does not take an argument\nusage: groundwork stats/,
      ],
      [['split', a, '--shards'], /argument missing\nusage: groundwork split/],
      [['doctor', 'extra'], /unexpected argument "extra" \(takes at most 0\)/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
    assert.equal(readFileSync(a, 'utf8'), GOOD);
  },
);

test('prelabel a.jsonl --frobnicate -o b.jsonl touches neither file', { skip: NO_DIST }, () => {
  const dir = tempFolder('gw-args-');
  const a = join(dir, 'a.jsonl');
  writeFileSync(a, GOOD);
  const r = run(['prelabel', a, '--frobnicate', '-o', join(dir, 'b.jsonl')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option --frobnicate\nusage: groundwork prelabel/);
  assert.equal(readFileSync(a, 'utf8'), GOOD);
  assert.equal(existsSync(join(dir, 'b.jsonl')), false);
});

test(
  'validate --strict: warnings fail the run (exit 1); without it they do not',
  { skip: NO_DIST },
  () => {
    const dir = tempFolder('gw-strict-');
    const w = join(dir, 'w.jsonl');
    writeFileSync(w, '{"id": "w", "frames": ["f.jpg"], "reasoning": "the [cup <object> is"}\n');
    const plain = run(['validate', w, '--no-media', '--json']);
    const report = JSON.parse(plain.stdout) as {
      errors: number;
      warnings: number;
      strict: boolean;
    };
    assert.equal(report.errors, 0);
    assert.ok(report.warnings > 0);
    assert.equal(plain.code, 0);
    const strict = run(['validate', w, '--no-media', '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /0 errors, \d+ warnings \(--strict: warnings count as errors\)/);
    const clean = join(dir, 'clean.jsonl');
    writeFileSync(clean, GOOD);
    assert.equal(run(['validate', clean, '--no-media', '--strict']).code, 0);
  },
);
