import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelSource, MessageChannel } from '../../../src/protocol/channel';
import { RequestError } from '../../../src/protocol/envelope';
import type { Envelope } from '../../../src/protocol/envelope';

type Msg = { type: string; n?: number };

/** Two channels wired back to back; the server answers with `handler`. */
function pair(handler: (b: Msg, signal: CancelSource) => Promise<unknown>, timeoutMs = 1000) {
  const toServer: Envelope[] = [];
  const ref: { server?: MessageChannel<Msg, Msg> } = {};
  const client = new MessageChannel<Msg, Msg>(
    (e) => {
      toServer.push(e);
      queueMicrotask(() => {
        const body = e.body as Msg & { requestId?: number };
        if (body.type === 'request/cancel') {
          ref.server?.cancelIncoming(body.requestId as number);
          return;
        }
        void ref.server?.answer(e.messageId, body, (b, s) => handler(b, s as CancelSource));
      });
    },
    { timeoutMs },
  );
  ref.server = new MessageChannel<Msg, Msg>((e) => queueMicrotask(() => client.receiveReply(e)));
  return { client, toServer };
}

test('a request gets its typed result', async () => {
  const { client } = pair(async (b) => ({ doubled: (b.n ?? 0) * 2 }));
  assert.deepEqual(await client.request({ type: 'x', n: 21 }), { doubled: 42 });
  assert.equal(client.pendingCount, 0);
});

test('a handler error becomes an error reply with its code', async () => {
  const { client } = pair(async () => {
    throw new RequestError('stale', 'line 3 changed');
  });
  await assert.rejects(
    client.request({ type: 'x' }),
    (e: unknown) =>
      e instanceof RequestError && e.code === 'stale' && e.message === 'line 3 changed',
  );
  const { client: c2 } = pair(async () => {
    throw new Error('boom');
  });
  await assert.rejects(
    c2.request({ type: 'x' }),
    (e: unknown) => e instanceof RequestError && e.code === 'failed',
  );
});

test('a request with no reply times out and tells the other side to cancel', async () => {
  let cancelled = false;
  const { client, toServer } = pair(
    (_b, signal) =>
      new Promise((res) => {
        signal.addEventListener('abort', () => {
          cancelled = true;
          res(undefined);
        });
      }),
    30,
  );
  await assert.rejects(
    client.request({ type: 'slow' }),
    (e: unknown) => e instanceof RequestError && e.code === 'timeout',
  );
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(toServer.some((e) => (e.body as Msg).type === 'request/cancel'));
  assert.ok(cancelled, 'the handler saw the cancellation');
});

test('cancelling a request rejects it and aborts the handler', async () => {
  let aborted = false;
  const { client } = pair(
    (_b, signal) =>
      new Promise((res) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          res(undefined);
        });
      }),
  );
  const source = new CancelSource();
  const p = client.request({ type: 'slow' }, { signal: source });
  source.cancel();
  await assert.rejects(p, (e: unknown) => e instanceof RequestError && e.code === 'cancelled');
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(aborted);
});

test('dispose rejects pending requests', async () => {
  const { client } = pair(() => new Promise(() => undefined));
  const p = client.request({ type: 'never' });
  client.dispose();
  await assert.rejects(p, (e: unknown) => e instanceof RequestError && e.code === 'cancelled');
});
