/**
 * Test helper of the disk-watch tests: a three-line dataset, a serve child on a temp copy of
 * it, the reasoning edit they all make, and a wait for what the socket receives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, startServeChild } from './serveProcess';
import type { TestSocket } from './serveProcess';

/** One dataset line naming sample `id`'s entity `noun`. */
export const line = (id: string, noun: string): string =>
  JSON.stringify({ id, frames: [`${id}.png`], reasoning: `A [${noun}].` });

/** The dataset every watch test starts from: cup, pan, lid. */
export const ORIGINAL = [line('a', 'cup'), line('b', 'pan'), line('c', 'lid')].join('\n') + '\n';

/** Sets the reasoning of sample `id` on line `at` to "A [noun]." (one unsaved edit). */
export const reasoning = (
  s: TestSocket,
  at: number,
  id: string,
  noun: string,
): ReturnType<TestSocket['request']> =>
  s.request({
    type: 'document/op/apply',
    label: 'reasoning',
    op: { type: 'sample/reasoning', line: at, id, reasoning: `A [${noun}].` },
  });

/** Waits until `check` holds, polling; throws naming `what` after `ms`. */
export async function until(what: string, check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The clash messages (`document/conflict/didChange`) a socket got, in order. */
export function conflictNotes(s: TestSocket): { message: string; lines: number[] }[] {
  return s.notes
    .filter((n) => n.type === 'document/conflict/didChange')
    .map((n) => (n as { conflict?: { message: string; lines: number[] } }).conflict)
    .map((c) => c ?? { message: '', lines: [] });
}

/** Runs `run` against serve on a temp copy of ORIGINAL (`place` may put it elsewhere). */
export async function withServe(
  run: (s: TestSocket, path: string, dir: string) => Promise<void>,
  place?: (dir: string) => string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-watch-'));
  const path = place ? place(dir) : join(dir, 'd.cop.jsonl');
  if (!place) writeFileSync(path, ORIGINAL);
  const child = await startServeChild(path, [], { GROUNDWORK_RECOVERY_DIR: join(dir, 'rec') });
  try {
    const s = await connect(child);
    await run(s, path, dir);
    s.close();
  } finally {
    await child.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
