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

type Ask = { type: 'double'; n: number } | { type: 'name' };
interface AskResults {
  double: number;
  name: string;
}

/** Two channels that route everything through `receive`, as the inference worker's do. */
function routed(handler: (b: Ask, signal: CancelSource) => Promise<unknown>) {
  const sent: Envelope[] = [];
  const ref: { server?: MessageChannel<never, Ask> } = {};
  const client = new MessageChannel<Ask, never, AskResults>((e) => {
    sent.push(e);
    queueMicrotask(() =>
      ref.server?.receive(e, (request) => {
        void ref.server?.answer(request.messageId, request.body, (b, s) =>
          handler(b, s as CancelSource),
        );
      }),
    );
  });
  ref.server = new MessageChannel<never, Ask>((e) =>
    queueMicrotask(() => client.receive(e, () => assert.fail('no notifications expected'))),
  );
  return { client, sent };
}

test('call types the result by the request type; receive routes replies and cancels', async () => {
  let aborted = false;
  const { client, sent } = routed(async (b, signal) => {
    if (b.type === 'double') return b.n * 2;
    await new Promise<void>((res) => signal.addEventListener('abort', () => res()));
    aborted = true;
    return 'late';
  });
  const doubled: number = await client.call({ type: 'double', n: 4 });
  assert.equal(doubled, 8);
  const source = new CancelSource();
  const named = client.call({ type: 'name' }, { signal: source });
  source.cancel('superseded by a newer click');
  await assert.rejects(
    named,
    (e: unknown) =>
      e instanceof RequestError &&
      e.code === 'cancelled' &&
      e.message === 'name was cancelled: superseded by a newer click',
  );
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(aborted, 'the handler on the other end saw the cancel');
  assert.equal(sent.filter((e) => (e.body as Msg).type === 'request/cancel').length, 1);
});

test('dispose with an error rejects pending requests with that error', async () => {
  const { client } = pair(() => new Promise(() => undefined));
  const p = client.request({ type: 'never' });
  client.dispose(new RequestError('crashed', 'the worker stopped'));
  await assert.rejects(p, (e: unknown) => e instanceof RequestError && e.code === 'crashed');
  await assert.rejects(
    client.request({ type: 'after' }),
    (e: unknown) => e instanceof RequestError && /closed/.test(e.message),
  );
});
