/**
 * Issue 10 item 8: every malformed frame the issue lists closes only its own socket, with the
 * RFC 6455 code for it; the real serve process stays up, answers a new connection, and still
 * holds the unsaved edit (which a save then writes).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, serveSkipReason, startServeChild } from './serveProcess';
import type { ServeChild } from './serveProcess';
import { closePayload, frame, rawUpgrade, sendAndAwaitClose } from './wireFrames';

const skip = serveSkipReason();
let dir = '';
let path = '';
let child: ServeChild;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'gw-frames-'));
  path = join(dir, 'd.cop.jsonl');
  writeFileSync(path, '{"id":"a","frames":["a.png"],"reasoning":"A [cup]."}\n');
  child = await startServeChild(path, [], { GROUNDWORK_RECOVERY_DIR: join(dir, 'recovery') });
  const s = await connect(child);
  const r = await s.request({
    type: 'document/op/apply',
    label: 'reasoning',
    op: { type: 'sample/reasoning', line: 0, id: 'a', reasoning: 'A [mug].' },
  });
  assert.equal(r.type, 'reply/ok', JSON.stringify(r));
  s.close();
});

after(async () => {
  if (skip) return;
  await child.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const cases: { name: string; bytes: () => Buffer; code: number }[] = [
  {
    name: 'a message over the size limit (9 MiB announced)',
    bytes: () => frame({ opcode: 1, payload: text('{"x":'), claimLength: 9 * 1024 * 1024 }),
    code: 1009,
  },
  {
    name: 'a text frame with invalid UTF-8',
    bytes: () => frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
    code: 1007,
  },
  {
    name: 'an unmasked client frame',
    bytes: () => frame({ opcode: 1, payload: text('{}'), mask: false }),
    code: 1002,
  },
  {
    name: 'a reserved opcode (0x3)',
    bytes: () => frame({ opcode: 3, payload: text('x') }),
    code: 1002,
  },
  {
    name: 'RSV1 set without an extension',
    bytes: () => frame({ opcode: 1, payload: text('{}'), rsv: 4 }),
    code: 1002,
  },
  {
    name: 'a close frame with an invalid close code (1005)',
    bytes: () => frame({ opcode: 8, payload: closePayload(1005) }),
    code: 1002,
  },
  {
    name: 'a close frame with an out-of-range close code (999)',
    bytes: () => frame({ opcode: 8, payload: closePayload(999) }),
    code: 1002,
  },
];

for (const c of cases)
  test(`serve survives ${c.name}: closed with ${c.code}, the edit kept`, { skip }, async () => {
    const raw = await rawUpgrade(child.port, child.token);
    const code = await sendAndAwaitClose(raw, c.bytes());
    assert.equal(code, c.code, `close code for ${c.name}`);
    assert.equal(child.child.exitCode, null, `serve exited:\n${child.output()}`);
    const s = await connect(child);
    const state = await s.request({ type: 'document/redo' });
    assert.equal(state.type, 'reply/ok');
    assert.deepEqual(
      (state.result as { dirty: boolean; canUndo: boolean }).dirty,
      true,
      'the unsaved edit is still there',
    );
    s.close();
    assert.match(child.output(), /closed a socket after a protocol error/);
  });

test('after every malformed frame, a save still writes the unsaved edit', { skip }, async () => {
  const s = await connect(child);
  const r = await s.request({ type: 'document/save' });
  assert.equal(r.type, 'reply/ok', JSON.stringify(r));
  assert.match(readFileSync(path, 'utf8'), /A \[mug\]\./);
  s.close();
});
