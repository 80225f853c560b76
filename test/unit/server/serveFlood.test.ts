/**
 * Issue 10 item 12: tens of thousands of edits and sample opens over the socket of a real
 * `serve` process leave its resident memory bounded, during the flood and after idling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, rssKiB, serveSkipReason, startServeChild } from './serveProcess';
import type { TestSocket } from './serveProcess';

const SAMPLES = 200;
/** Long reasoning texts make each undo step weigh what a real long sample does (~16 KB). */
const LINE_CHARS = 8000;
const EDITS = Number(process.env.GW_FLOOD_EDITS ?? 20000);
const OPENS = Number(process.env.GW_FLOOD_OPENS ?? 20000);
/**
 * Growth allowed over the warmed-up RSS. Measured with 20k edits + 20k opens: before the
 * history cap +347 MiB at the peak and idle; with it +112 to +141 MiB peak (V8's garbage
 * before a full GC) and +47 to +103 MiB idle, depending on what else the machine runs.
 */
const PEAK_BOUND_MIB = 240;
const IDLE_BOUND_MIB = 180;
const IDLE_MS = Number(process.env.GW_FLOOD_IDLE_MS ?? 3000);

function dataset(dir: string): string {
  const path = join(dir, 'flood.cop.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < SAMPLES; i++)
    lines.push(
      JSON.stringify({
        id: `s${i}`,
        frames: [`f${i}.png`],
        reasoning: `Pick up the [cup] and put it on the [plate] near the [sink] ${'x'.repeat(LINE_CHARS)}.`,
      }),
    );
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Sends `count` requests built by `make`, keeping `window` in flight; returns error replies. */
async function pump(s: TestSocket, count: number, make: (n: number) => object): Promise<number> {
  let errors = 0;
  let sent = 0;
  const windowSize = 200;
  const worker = async (): Promise<void> => {
    while (sent < count) {
      const n = sent++;
      const r = await s.request(make(n));
      if (r.type !== 'reply/ok') errors++;
    }
  };
  await Promise.all(Array.from({ length: windowSize }, worker));
  return errors;
}

const edit = (n: number): object => {
  const line = n % SAMPLES;
  return {
    type: 'document/op/apply',
    label: 'reasoning',
    op: {
      type: 'sample/reasoning',
      line,
      id: `s${line}`,
      reasoning: `Pick up the [cup] and put it on the [plate] ${n} ${'y'.repeat(LINE_CHARS)}.`,
    },
  };
};

test(
  `serve RSS stays bounded under ${EDITS} edits and ${OPENS} sample opens`,
  { skip: serveSkipReason(), timeout: 300_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-flood-'));
    const path = dataset(dir);
    const child = await startServeChild(path, ['--quiet'], {
      GROUNDWORK_RECOVERY_DIR: join(dir, 'recovery'),
    });
    const pid = child.child.pid as number;
    try {
      const s = await connect(child);
      // Warm up (JIT, first snapshots) so the baseline is the steady state, not the cold start.
      assert.equal(await pump(s, 500, edit), 0);
      assert.equal(await pump(s, 500, (n) => ({ type: 'sample/open', line: n % SAMPLES })), 0);
      const before = rssKiB(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(pid))), 100);
      const editErrors = await pump(s, EDITS, (n) => edit(n + 500));
      const openErrors = await pump(s, OPENS, (n) => ({ type: 'sample/open', line: n % SAMPLES }));
      clearInterval(sampler);
      const after = rssKiB(pid);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      const idle = rssKiB(pid);
      const state = (await s.request({ type: 'document/undo' })) as {
        result?: { dirty?: boolean };
      };
      console.log(
        `flood: RSS before ${before >> 10} MiB, peak ${peak >> 10} MiB, after ${after >> 10} MiB, idle ${idle >> 10} MiB`,
      );
      assert.equal(editErrors, 0, 'every edit applied');
      assert.equal(openErrors, 0, 'every open answered');
      assert.equal(state.result?.dirty, true, 'the server still holds the unsaved document');
      assert.ok(
        peak - before < PEAK_BOUND_MIB * 1024,
        `peak RSS grew ${(peak - before) >> 10} MiB (bound ${PEAK_BOUND_MIB})`,
      );
      assert.ok(
        idle - before < IDLE_BOUND_MIB * 1024,
        `idle RSS grew ${(idle - before) >> 10} MiB (bound ${IDLE_BOUND_MIB})`,
      );
      s.close();
    } finally {
      await child.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
