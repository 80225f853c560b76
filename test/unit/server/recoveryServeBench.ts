/**
 * Edit latency of a real serve at 100,000 generated lines while its recovery writes run
 * (issue 14 item 5): an edit every 250 ms for 12 s, so the 5 s cap forces two recovery
 * writes among them. Not a test; run `GW_SERVE_CLI=dist/cli.js node --import tsx
 * test/unit/server/recoveryServeBench.ts` (point GW_SERVE_CLI at an older build to compare).
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, startServeChild } from './serveProcess';

/** 100,000 lines of about 800 bytes (77 MB), as the editor-scale bench's dataset. */
function generated(): string {
  const pad = 'x'.repeat(700);
  const out: string[] = [];
  for (let i = 0; i < 100_000; i++)
    out.push(JSON.stringify({ id: `s${i}`, frames: [`f${i}.png`], reasoning: `A [cup]. ${pad}` }));
  return out.join('\n') + '\n';
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-rjserve-'));
  const path = join(dir, 'd.cop.jsonl');
  writeFileSync(path, generated());
  const rec = join(dir, 'rec');
  const child = await startServeChild(path, [], { GROUNDWORK_RECOVERY_DIR: rec });
  try {
    const s = await connect(child);
    const lat: number[] = [];
    const seq: [number, number, number][] = [];
    const t0 = Date.now();
    let k = 0;
    while (Date.now() - t0 < 12_000) {
      const line = 10 + (k % 50);
      const a = performance.now();
      const r = await s.request({
        type: 'document/op/apply',
        label: 'reasoning',
        op: { type: 'sample/reasoning', line, id: `s${line}`, reasoning: `A [wok${k}].` },
      });
      if (r.type !== 'reply/ok') throw new Error(JSON.stringify(r));
      lat.push(performance.now() - a);
      seq.push([k, Date.now() - t0, performance.now() - a]);
      k++;
      await new Promise((d) => setTimeout(d, 250));
    }
    lat.sort((x, y) => x - y);
    const q = (p: number) =>
      (lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0).toFixed(0);
    const bytes = existsSync(rec)
      ? readdirSync(rec).reduce((n, f) => n + statSync(join(rec, f)).size, 0)
      : 0;
    console.log(
      `${process.env.GW_SERVE_CLI}: ${lat.length} edits, reply median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms; recovery ${bytes} B; load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      'slowest',
      seq
        .sort((x, y) => y[2] - x[2])
        .slice(0, 4)
        .map(([i, t, ms]) => `#${i}@${t}ms:${ms.toFixed(0)}`)
        .join(' '),
    );
    s.close();
  } finally {
    await child.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
void run();
