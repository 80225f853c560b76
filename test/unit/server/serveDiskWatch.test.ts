/**
 * Issue 10 item 9: serve never overwrites a change it has not seen. Another writer changes a
 * line: a notice comes, and the next save keeps that line and ours. A change on the same
 * line as an unsaved edit is refused with the line named, the file untouched; a second Save
 * keeps ours there (and still their other lines). A change written just before a save is
 * caught by the check before writing, without waiting for the watcher.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, serveSkipReason, startServeChild } from './serveProcess';
import type { TestSocket } from './serveProcess';

const line = (id: string, noun: string): string =>
  JSON.stringify({ id, frames: [`${id}.png`], reasoning: `A [${noun}].` });
const ORIGINAL = [line('a', 'cup'), line('b', 'pan'), line('c', 'lid')].join('\n') + '\n';

const reasoning = (s: TestSocket, at: number, id: string, noun: string) =>
  s.request({
    type: 'document/op/apply',
    label: 'reasoning',
    op: { type: 'sample/reasoning', line: at, id, reasoning: `A [${noun}].` },
  });

async function until(what: string, check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function withServe(run: (s: TestSocket, path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-watch-'));
  const path = join(dir, 'd.cop.jsonl');
  writeFileSync(path, ORIGINAL);
  const child = await startServeChild(path, [], { GROUNDWORK_RECOVERY_DIR: join(dir, 'rec') });
  try {
    const s = await connect(child);
    await run(s, path);
    s.close();
  } finally {
    await child.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'another writer changes another line: a notice, and the save keeps both',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      writeFileSync(path, ORIGINAL.replace('A [lid].', 'A [top].'));
      await until('the merge notice', () =>
        s.notes.some((n) => n.type === 'notice/didPost' && /changed on disk/.test(n.message ?? '')),
      );
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[mug\]\./, 'our edit');
      assert.match(text, /A \[top\]\./, "the other writer's line");
      assert.match(text, /A \[pan\]\./);
    });
  },
);

test(
  'a change written right before the save is merged by the check before writing',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      writeFileSync(path, ORIGINAL.replace('A [pan].', 'A [pot].'));
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[mug\]\./);
      assert.match(text, /A \[pot\]\./, 'the unseen change is not overwritten');
    });
  },
);

test(
  'a change on the line we edited: the save is refused, the file kept; Save again keeps ours',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 1, 'b', 'wok')).type, 'reply/ok');
      const theirs = ORIGINAL.replace('A [pan].', 'A [pot].').replace('A [lid].', 'A [top].');
      writeFileSync(path, theirs);
      const refused = await s.request({ type: 'document/save' });
      assert.equal(refused.type, 'reply/error');
      assert.equal(refused.code, 'refused');
      assert.match(refused.message ?? '', /changed on disk on line\(s\) 2 that you also edited/);
      assert.match(refused.message ?? '', /Save again/);
      assert.equal(readFileSync(path, 'utf8'), theirs, 'nothing was written over their change');

      const again = await s.request({ type: 'document/save' });
      assert.equal(again.type, 'reply/ok', JSON.stringify(again));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[wok\]\./, 'ours on the clashing line, as asked');
      assert.match(text, /A \[top\]\./, 'their other line is kept');
    });
  },
);

test(
  'a clash resolved by undoing our edit: the save keeps the file’s version',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      assert.equal((await reasoning(s, 1, 'b', 'wok')).type, 'reply/ok');
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      const theirs = ORIGINAL.replace('A [pan].', 'A [pot].');
      writeFileSync(path, theirs);
      await until('the clash notice', () =>
        s.notes.some((n) => /that you also edited/.test(n.message ?? '')),
      );
      await s.request({ type: 'document/undo' });
      await s.request({ type: 'document/undo' });
      assert.equal((await reasoning(s, 0, 'a', 'mug')).type, 'reply/ok');
      const saved = await s.request({ type: 'document/save' });
      assert.equal(saved.type, 'reply/ok', JSON.stringify(saved));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /A \[pot\]\./, 'their line');
      assert.match(text, /A \[mug\]\./, 'our remaining edit');
    });
  },
);

test(
  'our own saves are never taken for outside changes: edit, save, edit, save in a burst',
  { skip: serveSkipReason(), timeout: 60_000 },
  async () => {
    await withServe(async (s, path) => {
      for (let round = 0; round < 5; round++) {
        const replies = await Promise.all([
          reasoning(s, 1, 'b', `wok${round}a`),
          s.request({ type: 'document/save' }),
          reasoning(s, 1, 'b', `wok${round}b`),
          s.request({ type: 'document/save' }),
        ]);
        for (const r of replies) assert.equal(r.type, 'reply/ok', JSON.stringify(r));
        assert.match(readFileSync(path, 'utf8'), new RegExp(`A \\[wok${round}b\\]\\.`));
        await new Promise((r) => setTimeout(r, round * 60));
      }
      assert.ok(
        !s.notes.some((n) => /changed on disk/.test(n.message ?? '')),
        JSON.stringify(s.notes.filter((n) => n.type === 'notice/didPost')),
      );
    });
  },
);
