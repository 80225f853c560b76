import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cudaLibraryStatus } from '../../../src/inference/providers';
import { cli } from '../../helpers/cli';
import { BEDROOM, YOLOX_PATH, missingAssets } from '../inference/sharedAssets';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gw-stream-'));
}

/** A file of several MiB whose line endings straddle the reader's 1 MiB chunks. */
function bigText(): string {
  const parts = ['\ufeff'];
  const eols = ['\n', '\r\n', '\r', '\r\n'];
  let length = 0;
  for (let i = 0; length < 3.5 * (1 << 20); i++) {
    const pad = 'é€'.repeat(i % 97);
    const line =
      i % 13 === 5
        ? `not json ${pad}`
        : JSON.stringify({ id: `s-${i}`, frames: ['a.jpg'], reasoning: `The [cup] ${pad}.` });
    const eol = i % 17 === 3 ? '\n\n' : (eols[i % 4] as string);
    parts.push(line, eol);
    length += line.length + eol.length;
  }
  parts.push(JSON.stringify({ id: 'last', frames: ['a.jpg'], reasoning: 'no line ending' }));
  return parts.join('');
}

test('split then merge of a multi-MiB file (BOM, CRLF, lone CR, blank and invalid lines) is byte for byte', async () => {
  const dir = tmp();
  const ds = join(dir, 'big.cop.jsonl');
  const text = bigText();
  writeFileSync(ds, text);
  const s = await cli(['split', ds, '--shards', '3', '--out-dir', join(dir, 'shards')]);
  assert.equal(s.code, 0, s.stderr);
  const shards = [1, 2, 3].map((i) => join(dir, 'shards', `big.shard-${i}-of-3.cop.jsonl`));
  const m = await cli(['merge', ...shards, '-o', join(dir, 'merged.jsonl')]);
  assert.equal(m.code, 0, m.stderr);
  assert.ok(readFileSync(join(dir, 'merged.jsonl')).equals(Buffer.from(text)));
  const v = await cli(['validate', ds, '--no-media', '--json']);
  const report = JSON.parse(v.stdout) as { samples: number; issues: { code: string }[] };
  const invalid = text.split(/\r\n|\n|\r/).filter((l) => l.startsWith('not json')).length;
  assert.equal(report.issues.filter((i) => i.code === 'invalid-line').length, invalid);
  assert.ok(report.samples > 1000);
});

test('merge streams several inputs to standard output, adding a line ending between files', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'a.jsonl'), '{"id":"a","frames":["x.jpg"],"reasoning":"r"}');
  writeFileSync(join(dir, 'b.jsonl'), '\ufeff{"id":"a","frames":["x.jpg"],"reasoning":"r"}\r\n');
  const r = await cli(['merge', 'a.jsonl', 'b.jsonl', '-o', '-'], { cwd: dir });
  assert.equal(r.code, 1, 'the repeated id is reported');
  assert.equal(
    r.stdout,
    '{"id":"a","frames":["x.jpg"],"reasoning":"r"}\n{"id":"a","frames":["x.jpg"],"reasoning":"r"}\r\n',
  );
  assert.match(r.stderr, /BOM dropped/);
  assert.match(r.stderr, /a\.jsonl: last line had no line ending; added one/);
  assert.match(r.stderr, /b\.jsonl:1: sample "a" repeats an id from .*a\.jsonl:1/);
});

test('repeated ids megabytes apart (BOM, CR endings): validate, export and merge name both lines', async () => {
  const dir = tmp();
  const text = bigText();
  // Line numbers as the reader counts them: every \n, \r\n and lone \r ends a line.
  const lines = text.slice(1).split(/\r\n|\n|\r/);
  const firstOf = (id: string): number => lines.findIndex((l) => l.includes(`"id":"${id}"`));
  const early = firstOf('s-1');
  const late = firstOf('s-2000');
  assert.ok(early >= 0 && late > early, 'both ids are in the file');
  const again = (id: string): string =>
    JSON.stringify({ id, frames: ['a.jpg'], reasoning: 'The [cup] again.' });
  writeFileSync(join(dir, 'a.jsonl'), `${text}\r${again('s-1')}\r${again('s-2000')}\n`);
  const v = await cli(['validate', join(dir, 'a.jsonl'), '--no-media', '--json']);
  const report = JSON.parse(v.stdout) as {
    issues: { code: string; line: number; message: string }[];
  };
  const repeats = report.issues.filter((i) => i.code === 'duplicate-id');
  assert.equal(repeats.length, 2, JSON.stringify(repeats));
  assert.deepEqual(
    repeats.map((r) => r.line),
    [lines.length, lines.length + 1],
  );
  assert.match(repeats[0]?.message ?? '', new RegExp(`line ${early + 1}\\b`));
  assert.match(repeats[1]?.message ?? '', new RegExp(`line ${late + 1}\\b`));
  // The same file twice: every sample of the second repeats its line in the first.
  writeFileSync(join(dir, 'b.jsonl'), text);
  const m = await cli([
    'merge',
    join(dir, 'b.jsonl'),
    join(dir, 'b.jsonl'),
    '-o',
    join(dir, 'm.jsonl'),
  ]);
  const samples = lines.filter((l) => l.startsWith('{')).length;
  const named = m.stderr.split('\n').filter((l) => l.includes('repeats an id from'));
  assert.equal(named.length, samples);
  const id = `s-${2000}`;
  const line = named.find((l) => l.includes(`"${id}"`)) ?? '';
  assert.ok(line.endsWith(`b.jsonl:${late + 1}`), line);
  assert.ok(line.includes(`b.jsonl:${late + 1}: sample`), line);
  const e = await cli([
    'export',
    join(dir, 'a.jsonl'),
    '-o',
    join(dir, 'out.jsonl'),
    '--allow-partial',
    '--allow-unapproved',
  ]);
  assert.match(e.stdout + e.stderr, new RegExp(`id repeats line ${early + 1}\\b`));
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp file left',
  );
  assert.ok(readFileSync(join(dir, 'b.jsonl')).equals(Buffer.from(text)), 'the input is as it was');
});

test('a NUL past the first chunk: validate refuses it with the offset, merge writes nothing', async () => {
  const dir = tmp();
  const p = join(dir, 'n.jsonl');
  const bytes = Buffer.concat([Buffer.from('{"id":"a"}\n'.repeat(200_000)), Buffer.from([0])]);
  writeFileSync(p, bytes);
  const v = await cli(['validate', p, '--no-media']);
  assert.equal(v.code, 2);
  assert.match(v.stderr, new RegExp(`looks binary \\(a NUL byte at offset ${bytes.length - 1}\\)`));
  const m = await cli(['merge', p, '-o', join(dir, 'out.jsonl')]);
  assert.equal(m.code, 2);
  assert.ok(!existsSync(join(dir, 'out.jsonl')), 'no output, no temp file left');
  assert.ok(readFileSync(p).equals(bytes), 'the input is untouched');
});

test('prelabel --shard auto with no array-job environment is a clear usage error', async () => {
  const dir = tmp();
  const ds = join(dir, 'd.jsonl');
  writeFileSync(ds, '{"id":"a","frames":["x.jpg"],"reasoning":"The [cup]."}\n');
  const saved = { ...process.env };
  for (const k of Object.keys(process.env))
    if (/^(JOB_COMPLETION_INDEX|SLURM_|AWS_BATCH_|GROUNDWORK_SHARD_COUNT)/.test(k))
      delete process.env[k];
  try {
    const r = await cli(['prelabel', ds, '--shard', 'auto']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--shard auto found no array-job environment: none of JOB_COMPLETION_INDEX/,
    );
    process.env.JOB_COMPLETION_INDEX = '0';
    const k = await cli(['prelabel', ds, '--shard', 'auto']);
    assert.match(k.stderr, /pass --shard-count N or set GROUNDWORK_SHARD_COUNT/);
    const both = await cli(['prelabel', ds, '-o', 'x.jsonl', '--out-dir', dir]);
    assert.match(both.stderr, /-o and --out-dir do not go together/);
  } finally {
    process.env = saved;
  }
  assert.equal(
    readFileSync(ds, 'utf8'),
    '{"id":"a","frames":["x.jpg"],"reasoning":"The [cup]."}\n',
  );
});

const noCuda = cudaLibraryStatus().ok ? 'a CUDA provider is installed here' : undefined;
test(
  'prelabel --device cuda where no GPU runs says so and writes nothing',
  { skip: missingAssets(YOLOX_PATH, BEDROOM) ?? noCuda },
  async () => {
    const dir = tmp();
    const ds = join(dir, 'd.jsonl');
    const line = JSON.stringify({ id: 'a', video: BEDROOM, fps: 0.5, reasoning: 'The [boy].' });
    writeFileSync(ds, line + '\n');
    const r = await cli(['prelabel', ds, '-o', join(dir, 'o.jsonl'), '--device', 'cuda']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--device cuda: no GPU runs here \(.*CUDA.*\)\. Nothing was written\. Run with --device cpu/,
    );
    assert.ok(!existsSync(join(dir, 'o.jsonl')));
    assert.equal(readFileSync(ds, 'utf8'), line + '\n');
  },
);
