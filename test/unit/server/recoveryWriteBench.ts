/**
 * Times serve's recovery write at 100 and 100,000 generated lines after one edit (issue 14
 * item 5): run with `node --import tsx test/unit/server/recoveryWriteBench.ts`. Not a test:
 * it prints the figures with the load average, next to what the whole-text recovery of
 * earlier builds did (join, hash and write the whole document) in the same run.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import { writeFileAtomic } from '../../../src/io/atomicWriter';
import { RecoveryFile } from '../../../src/server/recoveryFile';
import { digestInTurns } from '../../../src/server/recoveryJournal';

/** A dataset of `count` lines of about 800 bytes (the 100k-sample bench's line size). */
function generated(count: number): string {
  const pad = 'x'.repeat(700);
  let out = '';
  for (let i = 0; i < count; i++)
    out += JSON.stringify({ id: `s${i}`, frames: [`f${i}.png`], reasoning: `A [cup]. ${pad}` });
  return out.replace(/\}\{/g, '}\n{') + '\n';
}

/** The document with line `at` edited, sharing every other line (as an op does). */
function edited(doc: DatasetDoc, at: number, round: number): DatasetDoc {
  const lines = doc.lines.slice();
  const old = lines[at];
  if (old) lines[at] = { raw: old.raw.replace('A [cup].', `A [wok ${round}].`), eol: old.eol };
  return { bom: doc.bom, lines };
}

/** Runs `step` and returns its time and the longest the event loop stood still meanwhile. */
async function timed(step: () => Promise<unknown>): Promise<{ ms: number; block: number }> {
  let block = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    block = Math.max(block, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  await step();
  const ms = performance.now() - t0;
  clearInterval(ticker);
  block = Math.max(block, performance.now() - last);
  return { ms, block };
}

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (t: { ms: number; block: number }): string =>
  `${t.ms.toFixed(1)} ms (loop blocked up to ${t.block.toFixed(1)} ms)`;

async function measure(count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-recbench-'));
  try {
    const path = join(dir, 'd.cop.jsonl');
    writeFileSync(path, generated(count));
    const base = splitLines(generated(count));
    const rec = await RecoveryFile.of(path, join(dir, 'rec'));
    // The keeper hashes a base once (an open, a save), in turns; every write reuses it.
    let digest = { size: 0, sha256: '' };
    const hash = await timed(async () => (digest = await digestInTurns(base)));
    const writes: { ms: number; block: number }[] = [];
    const whole: { ms: number; block: number }[] = [];
    for (let round = 1; round <= 5; round++) {
      const doc = edited(base, 1 + round, round);
      writes.push(await timed(() => rec.write(doc, base, digest)));
    }
    // What the whole-text recovery did per write: join, hash, write it all and its meta (after, so its
    // garbage is not collected during the journal's writes).
    for (let round = 1; round <= 5; round++) {
      const doc = edited(base, 1 + round, round);
      whole.push(
        await timed(async () => {
          const text = joinLines(doc);
          const sha = createHash('sha256').update(text).digest('hex');
          await writeFileAtomic(join(dir, 'whole.cop.jsonl'), text);
          await writeFileAtomic(join(dir, 'whole.json'), JSON.stringify({ sha }));
        }),
      );
    }
    const recDir = join(dir, 'rec');
    const bytes = readdirSync(recDir).reduce((s, n) => s + statSync(join(recDir, n)).size, 0);
    const wholeBytes = statSync(join(dir, 'whole.cop.jsonl')).size;
    const pick = (ts: { ms: number; block: number }[]): { ms: number; block: number } => ({
      ms: median(ts.map((t) => t.ms)),
      block: Math.max(...ts.map((t) => t.block)),
    });
    const w = pick(writes);
    const o = pick(whole);
    console.log(
      `${count} lines: journal write ${fmt(w)}, ${bytes} bytes | whole-text write ${fmt(o)}, ` +
        `${wholeBytes} bytes | ratio ${(o.ms / w.ms).toFixed(0)}x | base hash once ${fmt(hash)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await measure(100);
  await measure(100_000);
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

void main();
