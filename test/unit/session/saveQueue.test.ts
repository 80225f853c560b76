import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { Envelope } from '../../../src/protocol/envelope';
import type { SaveResult } from '../../../src/protocol/messages';
import { SaveQueue } from '../../../src/session/saveQueue';
import { TEXT, attachView, makeSession } from './sessionHelpers';

function tempDataset(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-saves-'));
  const path = join(dir, 'd.cop.jsonl');
  writeFileSync(path, TEXT);
  return { dir, path };
}

function ok(e: Envelope): SaveResult {
  const body = e.body as { type: string; result?: SaveResult; code?: string; message?: string };
  assert.equal(body.type, 'reply/ok', `a save replied ${body.code}: ${body.message}`);
  return body.result as SaveResult;
}

test('the queue runs one write at a time and coalesces the requests made while one runs', async () => {
  const q = new SaveQueue<number>();
  let running = 0;
  let writes = 0;
  let latest = 0;
  let value = 0;
  let started = (): void => undefined;
  const firstStarted = new Promise<void>((r) => {
    started = r;
  });
  const write = async (): Promise<number> => {
    started();
    running++;
    assert.equal(running, 1, 'never two writes at once');
    writes++;
    const v = value;
    await new Promise((r) => setTimeout(r, 5));
    latest = v;
    running--;
    return v;
  };
  const first = q.coalesced(write);
  assert.equal(q.coalesced(write), first, 'a request before the write starts shares it');
  await firstStarted;
  value = 1;
  const rest = [q.coalesced(write), q.coalesced(write), q.coalesced(write)];
  value = 2;
  assert.equal(await first, 0);
  assert.deepEqual(await Promise.all(rest), [2, 2, 2], 'the waiting requests share one write');
  assert.equal(writes, 2);
  assert.equal(latest, 2, 'the last one wins');
});

test('30 bursts of save, edit, save sent together: the last version on disk, every reply true', async () => {
  const { dir, path } = tempDataset();
  try {
    const { session } = makeSession(TEXT, path);
    const v = attachView(session);
    let id = 1;
    for (let burst = 0; burst < 30; burst++) {
      const [s1, edit, s2] = [id++, id++, id++];
      const before = session.state.version;
      v.send({ type: 'document/save' }, s1);
      v.send(
        {
          type: 'document/op/apply',
          label: 'text',
          op: { type: 'sample/reasoning', line: 1, id: 'b', reasoning: `The [floor] ${burst}.` },
        },
        edit,
      );
      v.send({ type: 'document/save' }, s2);
      const first = ok(await v.replyTo(s1));
      assert.equal(((await v.replyTo(edit)).body as { type: string }).type, 'reply/ok');
      const last = ok(await v.replyTo(s2));
      assert.ok(first.version >= before, 'the first save holds at least what was there');
      assert.ok(last.version > before, 'the second save holds the edit sent before it');
      const disk = readFileSync(path, 'utf8');
      assert.equal(disk, joinLines(session.doc), `burst ${burst}: the newest version is on disk`);
      assert.match(disk, new RegExp(`The \\[floor\\] ${burst}\\.`));
      assert.equal(last.bytes, statSync(path).size, 'the reply says the bytes on disk');
      assert.equal(last.lines, splitLines(disk).lines.length);
      assert.equal(session.state.dirty, false);
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f !== 'd.cop.jsonl'),
      [],
      'no temp file left behind',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('saves called together on the session all resolve, and the file holds the last edit', async () => {
  const { dir, path } = tempDataset();
  try {
    const { session } = makeSession(TEXT, path);
    const replies: Promise<SaveResult>[] = [];
    for (let i = 0; i < 30; i++) {
      replies.push(session.save());
      session.edit(
        { type: 'sample/reasoning', line: 1, id: 'b', reasoning: `The [mat] ${i}.` },
        't',
      );
      replies.push(session.save());
    }
    const results = await Promise.all(replies);
    assert.equal(readFileSync(path, 'utf8'), joinLines(session.doc));
    const last = results[results.length - 1] as SaveResult;
    assert.equal(last.bytes, statSync(path).size);
    assert.equal(session.state.dirty, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a save cancelled by the view still completes, and its reply says saved with the bytes on disk', async () => {
  const { dir, path } = tempDataset();
  try {
    const { session } = makeSession(TEXT, path);
    const v = attachView(session);
    v.send({
      type: 'document/op/apply',
      label: 'text',
      op: { type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [floor] is wet.' },
    });
    v.send({ type: 'document/save' }, 50);
    v.send({ type: 'request/cancel', requestId: 50 });
    const r = ok(await v.replyTo(50));
    const disk = readFileSync(path, 'utf8');
    assert.match(disk, /is wet/, 'the file was written');
    assert.equal(r.bytes, Buffer.byteLength(disk));
    assert.equal(session.state.dirty, false);
    // Other requests are still cancellable.
    v.send({ type: 'sample/open', line: 0 }, 60);
    v.send({ type: 'request/cancel', requestId: 60 });
    const open = (await v.replyTo(60)).body as { type: string; code?: string };
    assert.deepEqual(open, { ...open, type: 'reply/error', code: 'cancelled' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed save replies the error, keeps the document dirty, and the next save still runs', async () => {
  const { dir, path } = tempDataset();
  try {
    const { session } = makeSession(TEXT, join(dir, 'missing-folder', 'd.cop.jsonl'));
    session.edit({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'The [rug].' }, 't');
    await assert.rejects(session.save(), /ENOENT|no such file/);
    assert.equal(session.state.dirty, true);
    await assert.rejects(session.save(), /ENOENT|no such file/, 'the queue is not stuck');
    assert.equal(readFileSync(path, 'utf8'), TEXT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
