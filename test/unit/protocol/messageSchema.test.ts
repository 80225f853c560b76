import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOp, parseViewMessage } from '../../../src/protocol/messageSchema';
import type { SchemaMatchesMessages } from '../../../src/protocol/messageSchema';

// Compiles only while the schema and the message types agree (checked by `npm run typecheck`).
const agreed: SchemaMatchesMessages = true;

const entity = {
  text: 'cup',
  status: 'accepted',
  kind: 'object',
  grounding: {
    tag: 'object',
    frame: 1,
    points: [
      [1, 2],
      [30, 40],
    ],
    size: [1920, 1080],
    source: 'human',
  },
};

test('well-formed messages parse', () => {
  for (const body of [
    { type: 'webview/ready' },
    { type: 'webview/ready', line: 3 },
    { type: 'sample/open', line: 0 },
    {
      type: 'document/op/apply',
      label: 'draw',
      op: {
        type: 'entity/draw',
        line: 0,
        id: 'a',
        entity: 0,
        text: 'cup',
        tag: 'object',
        frame: 1,
        points: entity.grounding.points,
        size: entity.grounding.size,
      },
    },
    {
      type: 'document/op/apply',
      label: 'x',
      op: {
        type: 'batch',
        ops: [{ type: 'sample/status', line: 0, id: 'a', status: 'annotated' }],
      },
    },
    { type: 'frame/ensure', line: 2, index: 5, priority: 'now' },
    { type: 'sample/nextTodo/find', after: -1 },
    { type: 'request/cancel', requestId: 7 },
    { type: 'model/suggest', line: 2, entity: 1 },
    { type: 'model/suggest/cycle', line: 2, entity: 1 },
    {
      type: 'model/segment',
      line: 2,
      entity: 1,
      frame: 0,
      clicks: [
        { x: 10, y: 20, positive: true },
        { x: 5, y: 5, positive: false },
      ],
    },
  ]) {
    const r = parseViewMessage({ messageId: 1, body });
    assert.ok(r.ok, JSON.stringify(body) + (r.ok ? '' : r.reason));
  }
});

test('malformed and hostile messages are refused with a reason', () => {
  const bad: unknown[] = [
    null,
    'string',
    42,
    [],
    {},
    { messageId: 'x', body: { type: 'webview/ready' } },
    { messageId: 1 },
    { messageId: 1, body: { type: 'nope' } },
    { messageId: 1, body: { type: 'sample/open', line: -1 } },
    { messageId: 1, body: { type: 'sample/open', line: 1.5 } },
    { messageId: 1, body: { type: 'sample/open', line: 0, extra: true } },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        op: {
          // An entity's state is decided by the host: a view cannot send one.
          type: 'entity/set',
          line: 0,
          id: 'a',
          entity: 0,
          value: entity,
        },
      },
    },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        op: {
          type: 'entity/kind',
          line: 0,
          id: 'a',
          entity: 0,
          kind: 'object',
          ...{ __proto__: { polluted: 1 }, constructor: 1 },
        },
      },
    },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        op: {
          type: 'entity/draw',
          line: 0,
          id: 'a',
          entity: 0,
          tag: 'object',
          frame: 1,
          points: [[Infinity, 0]],
          size: [1920, 1080],
        },
      },
    },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        op: {
          type: 'entity/propose',
          line: 0,
          id: 'a',
          entity: 0,
          proposal: { ...entity.grounding, source: 'model:$(rm -rf /)' },
        },
      },
    },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        op: { type: 'batch', ops: [{ type: 'batch', ops: [] }] },
      },
    },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        op: { type: 'line/raw', line: 0, raw: 'x'.repeat(2_000_000) },
      },
    },
    {
      messageId: 1,
      body: {
        type: 'document/op/apply',
        label: 'x',
        // The host's own inverse: never accepted from a view.
        op: { type: 'line/restore', line: 0, raw: '{}' },
      },
    },
    { messageId: 1, body: { type: 'frame/ensure', line: 0, index: 0, priority: 'urgent' } },
  ];
  for (const m of bad) {
    const r = parseViewMessage(m);
    assert.equal(r.ok, false, JSON.stringify(m)?.slice(0, 200));
    if (!r.ok) assert.ok(r.reason.length > 0);
  }
});

test('parseOp mirrors the op schema', () => {
  assert.ok(
    parseOp({ type: 'sample/reasoning', line: 1, id: 'b', reasoning: 'no brackets at all' }),
  );
  assert.equal(parseOp({ type: 'sample/reasoning', line: 1, id: '', reasoning: 'x' }), undefined);
});

test('model requests with missing or hostile clicks are refused', () => {
  for (const body of [
    { type: 'model/segment', line: 0, entity: 0, frame: 0, clicks: [] },
    { type: 'model/segment', line: 0, entity: 0, frame: 0, clicks: [{ x: 1, y: 1 }] },
    {
      type: 'model/segment',
      line: 0,
      entity: 0,
      frame: 0,
      clicks: Array.from({ length: 65 }, () => ({ x: 1, y: 1, positive: true })),
    },
    { type: 'model/suggest', line: 0, entity: -1 },
    { type: 'model/suggest', line: 0, entity: 0, model: 'x' },
  ])
    assert.equal(
      parseViewMessage({ messageId: 1, body }).ok,
      false,
      JSON.stringify(body).slice(0, 80),
    );
});

test('the schema is the message types: a parsed proposal keeps its typed source, no cast', () => {
  assert.equal(agreed, true);
  const op = parseOp({
    type: 'entity/propose',
    line: 0,
    id: 'a',
    entity: 0,
    proposal: {
      tag: 'object',
      frame: 1,
      points: [
        [1, 2],
        [30, 40],
      ],
      size: [1920, 1080],
      source: 'model:yolox-nano',
    },
  });
  assert.ok(op && op.type === 'entity/propose');
  const source: 'human' | 'import' | `model:${string}` = op.proposal.source;
  assert.equal(source, 'model:yolox-nano');
  assert.equal(parseOp({ ...op, proposal: { ...op.proposal, source: 'modelx' } }), undefined);
});
