/**
 * Issue 14 item 5 with issue 10 item 8: serve's recovery journal survives `kill -9`. On a
 * dataset with a BOM, mixed line endings, a blank line and a last line without an ending,
 * unsaved edits are journalled (a few kB, not the file), serve is killed, and `--recover`
 * then a save give exactly the bytes the same edits saved by a live serve give, every
 * untouched line byte-identical. A file changed on disk on an edited line since is refused
 * with the conflict message, and the dataset is left as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitLines } from '../../../src/core/dataset';
import { CLI, connect, serveSkipReason, startServeChild } from './serveProcess';
import { line, reasoning, until } from './watchFixture';

const COUNT = 3000;
/** The lines edited (the last one has no line ending) and the noun each gets. */
const EDITS: readonly [number, string][] = [
  [5, 'wok'],
  [1500, 'jar'],
  [COUNT - 1, 'mug'],
];

/** BOM, mostly LF, some CRLF, one lone CR, a blank line, no ending on the last line. */
function dataset(): string {
  const pad = 'y'.repeat(300);
  let text = '\ufeff';
  for (let i = 0; i < COUNT; i++) {
    const eol = i === COUNT - 1 ? '' : i % 7 === 0 ? '\r\n' : i === 11 ? '\r' : '\n';
    text += line(`s${i}`, `cup ${pad}`) + eol;
    if (i === 20) text += '   \n';
  }
  return text;
}

/** The sample's line index in the file (the blank line after line 20 shifts the rest). */
const lineOf = (sample: number): number => (sample > 20 ? sample + 1 : sample);

/** Serve on `path`, the edits applied; `after` runs before the child is killed. */
async function editWith(
  path: string,
  env: Record<string, string>,
  after: (s: Awaited<ReturnType<typeof connect>>) => Promise<void>,
): Promise<void> {
  const child = await startServeChild(path, [], env);
  try {
    const s = await connect(child);
    for (const [sample, noun] of EDITS)
      assert.equal((await reasoning(s, lineOf(sample), `s${sample}`, noun)).type, 'reply/ok');
    await after(s);
    s.close();
  } finally {
    await child.stop('SIGKILL');
  }
}

/** Each edit stamps its time in the sample's history: the only bytes two sessions differ in. */
const stamp = (b: Buffer): Buffer =>
  Buffer.from(b.toString('utf8').replace(/"at":"[^"]+"/g, '"at":"T"'), 'utf8');

/** The journal's meta, when written (not a temp file). */
function meta(recovery: string): { changes: unknown[] } | undefined {
  if (!existsSync(recovery)) return undefined;
  const name = readdirSync(recovery).find((n) => /^[0-9a-f]+\.json$/.test(n));
  return name ? (JSON.parse(readFileSync(join(recovery, name), 'utf8')) as never) : undefined;
}

test(
  'kill -9 with a journal: --recover and save give exactly the live session’s bytes',
  { skip: serveSkipReason(), timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-journal-kill-'));
    try {
      const original = dataset();
      const path = join(dir, 'd.cop.jsonl');
      const twin = join(dir, 'twin.cop.jsonl');
      writeFileSync(path, original);
      copyFileSync(path, twin);
      const recovery = join(dir, 'recovery');
      const env = { GROUNDWORK_RECOVERY_DIR: recovery };

      await editWith(path, env, () =>
        until('the journal of all three edits', () => meta(recovery)?.changes.length === 3, 20_000),
      );
      const journalText = readdirSync(recovery).find((n) => n.endsWith('.cop.jsonl'));
      const held = readFileSync(join(recovery, journalText ?? 'missing'), 'utf8').split('\n');
      const bytes = readdirSync(recovery).reduce((n, f) => n + statSync(join(recovery, f)).size, 0);
      assert.ok(bytes < 8000, `the journal is ${bytes} B for a ${original.length} B dataset`);
      assert.equal(readFileSync(path, 'utf8'), original, 'the kill left the dataset untouched');

      // The same edits saved by a live serve: the bytes of the session's document.
      await editWith(twin, { GROUNDWORK_RECOVERY_DIR: join(dir, 'twin-rec') }, async (s) => {
        assert.equal((await s.request({ type: 'document/save' })).type, 'reply/ok');
      });
      const reference = stamp(readFileSync(twin));

      const child = await startServeChild(path, ['--recover'], env);
      try {
        assert.match(child.output(), /recovered unsaved edits/);
        const s = await connect(child);
        assert.equal((await s.request({ type: 'document/save' })).type, 'reply/ok');
        s.close();
      } finally {
        await child.stop('SIGTERM');
      }
      const saved = stamp(readFileSync(path));
      const firstDiff = (): string => {
        const a = splitLines(saved.toString('utf8')).lines;
        const b = splitLines(reference.toString('utf8')).lines;
        const i = a.findIndex((l, k) => l.raw !== b[k]?.raw || l.eol !== b[k]?.eol);
        return `line ${i + 1}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
      };
      assert.ok(saved.equals(reference), `not the live session's bytes: ${firstDiff()}`);
      const before = splitLines(original);
      const after = splitLines(saved.toString('utf8'));
      assert.equal(after.bom, true);
      assert.equal(after.lines.length, before.lines.length);
      const edited = new Set(EDITS.map(([sample]) => lineOf(sample)));
      before.lines.forEach((l, i) => {
        if (!edited.has(i)) assert.deepEqual(after.lines[i], l, `line ${i + 1} untouched`);
      });
      const unstamped = splitLines(readFileSync(path, 'utf8')).lines;
      EDITS.forEach(([sample], k) =>
        assert.equal(unstamped[lineOf(sample)]?.raw, held[k], 'the line the killed session held'),
      );
      for (const [sample, noun] of EDITS)
        assert.match(after.lines[lineOf(sample)]?.raw ?? '', new RegExp(`A \\[${noun}\\]\\.`));
      assert.equal(after.lines[lineOf(COUNT - 1)]?.eol, '', 'the last line still has no ending');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'kill -9 with a journal, then the file changes on an edited line: --recover is refused',
  { skip: serveSkipReason(), timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-journal-kill-'));
    try {
      const path = join(dir, 'd.cop.jsonl');
      writeFileSync(path, dataset());
      const recovery = join(dir, 'recovery');
      const env = { GROUNDWORK_RECOVERY_DIR: recovery };
      await editWith(path, env, () =>
        until('the journal of all three edits', () => meta(recovery)?.changes.length === 3, 20_000),
      );
      // Another program rewrites sample 1500's line while serve is down.
      const changed = dataset().replace(
        line('s1500', `cup ${'y'.repeat(300)}`),
        line('s1500', 'lid'),
      );
      writeFileSync(path, changed);
      const r = spawnSync(process.execPath, [CLI, 'serve', path, '--no-models', '--recover'], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.notEqual(r.status, 0, 'serve does not open a recovery that clashes with the file');
      assert.match(
        r.stderr,
        new RegExp(
          `the dataset changed on disk since the recovery was written, on line\\(s\\) ` +
            `${lineOf(1500) + 1} that the recovery also changed; compare .*\\.cop\\.jsonl`,
        ),
      );
      assert.match(r.stderr, /--discard-recovery/);
      assert.equal(readFileSync(path, 'utf8'), changed, 'the dataset is left as it was');
      assert.ok(meta(recovery), 'the recovery is kept for a later choice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
