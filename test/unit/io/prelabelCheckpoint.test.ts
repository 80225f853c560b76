import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Checkpoint, checkpointKey, checkpointPath } from '../../../src/io/prelabelCheckpoint';

const lines = [
  { raw: '{"id":"a"}', eol: '\r\n' as const },
  { raw: '', eol: '\n' as const },
  { raw: 'not json', eol: '\r' as const },
  { raw: '{"id":"b","é":"€"}', eol: '\n' as const },
];

async function setup(): Promise<{ dir: string; input: string; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-ckpt-'));
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, 'x\n');
  return { dir, input, out: join(dir, 'out.jsonl') };
}

const rest = { model: 'yolox-nano', modelVersion: 'sha256:abc', shard: '0/1 slice' };

test('a resume keeps every complete line but the last (a kill may have cut it), then publishes', async () => {
  const { input, out } = await setup();
  const key = await checkpointKey(input, rest);
  const first = await Checkpoint.open(out, key);
  assert.equal(first.resumed, 0);
  await first.append(lines, true);
  await first.close();
  // A kill between the CR and the LF of the next line's CRLF.
  const path = checkpointPath(out);
  writeFileSync(path, readFileSync(path, 'utf8') + '{"id":"c"}\r');
  const second = await Checkpoint.open(out, key);
  assert.equal(second.resumed, 4, 'the four complete lines; the cut fifth is redone');
  await second.append([{ raw: '{"id":"c"}', eol: '\r\n' }], true);
  await second.publish(out, true);
  const want =
    '\ufeff' + [...lines, { raw: '{"id":"c"}', eol: '\r\n' }].map((l) => l.raw + l.eol).join('');
  assert.equal(readFileSync(out, 'utf8'), want);
  assert.ok(!existsSync(path), 'removed once published');
});

test('a checkpoint of another input, model, weights or shard is ignored and says why', async () => {
  const { input, out } = await setup();
  const c = await Checkpoint.open(out, await checkpointKey(input, rest));
  await c.append(lines, true);
  await c.close();
  const other = await Checkpoint.open(
    out,
    await checkpointKey(input, { ...rest, modelVersion: 'sha256:def' }),
  );
  assert.equal(other.resumed, 0);
  assert.equal(other.discarded, 'modelVersion changed');
  await other.close();
  writeFileSync(input, 'changed\n');
  const changed = await Checkpoint.open(
    out,
    await checkpointKey(input, { ...rest, modelVersion: 'sha256:def' }),
  );
  assert.match(changed.discarded ?? '', /inputBytes/);
  await changed.close();
  truncateSync(checkpointPath(out), 5);
  const cut = await Checkpoint.open(out, await checkpointKey(input, rest));
  assert.equal(cut.discarded, 'not a checkpoint changed');
  await cut.close();
});
