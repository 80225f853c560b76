import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { joinLines, splitLines } from '../../../src/core/dataset';
import type { DatasetDoc } from '../../../src/core/dataset';
import { OpError, apply } from '../../../src/core/ops';
import type { Op } from '../../../src/core/ops';
import { GROUNDING_TAGS } from '../../../src/core/model';
import type { EntityState, Grounding } from '../../../src/core/model';
import { isProblem, readSample } from '../../../src/core/sample';

const base =
  [
    '{"id": "s0", "frames": ["a.jpg", "b.jpg"], "reasoning": "a [cup] on the [table] <object> <frame 1>: (1, 2), (30, 40) </object>", "answer": "x"}',
    '{"id":"s1","video":"v.mp4","reasoning":"the [floor area] and [door] and [door]"}',
    'not json',
    '',
    '{"id": "s2", "frames": ["c.jpg"], "reasoning": "no entities here", "k": {"z": 1}}',
  ].join('\r\n') + '\n';

const doc0: DatasetDoc = splitLines(base);

const arbGrounding: fc.Arbitrary<Grounding> = fc.record(
  {
    tag: fc.constantFrom(...GROUNDING_TAGS),
    frame: fc.nat(10),
    points: fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1920, noNaN: true }),
        fc.double({ min: 0, max: 1080, noNaN: true }),
      ),
      { minLength: 1, maxLength: 5 },
    ),
    size: fc.constant([1920, 1080] as const),
    source: fc.constantFrom('human', 'import', 'model:yolox-nano'),
  },
  { noNullPrototype: true },
) as fc.Arbitrary<Grounding>;

function arbOp(doc: DatasetDoc): fc.Arbitrary<Op> {
  const samples = doc.lines.map((l, i) => readSample(l.raw, i)).filter((s) => !isProblem(s));
  const withEntities = samples.filter((s) => !isProblem(s) && s.state.entities.length > 0);
  return fc.oneof(
    fc.constantFrom(...withEntities).chain((s) => {
      if (isProblem(s)) throw new Error('unreachable');
      return fc
        .record({
          entity: fc.nat(s.state.entities.length - 1),
          status: fc.constantFrom(
            'accepted',
            'edited',
            'rejected',
            'proposed',
            'pending',
          ) as fc.Arbitrary<EntityState['status']>,
          g: fc.option(arbGrounding, { nil: undefined }),
          timeMs: fc.option(fc.nat(100000), { nil: undefined }),
        })
        .map(({ entity, status, g, timeMs }): Op => {
          const text = s.state.entities[entity]!.text;
          const value: EntityState = {
            text,
            status,
            ...(g ? { grounding: g, kind: g.tag } : {}),
            ...(timeMs !== undefined ? { timeMs } : {}),
          };
          return { type: 'entity/set', line: s.line, id: s.fields.id, entity, value };
        });
    }),
    fc.constantFrom(...samples).chain((s) => {
      if (isProblem(s)) throw new Error('unreachable');
      return fc.constantFrom<Op>(
        { type: 'sample/status', line: s.line, id: s.fields.id, status: 'in_progress' },
        {
          type: 'sample/reasoning',
          line: s.line,
          id: s.fields.id,
          reasoning: s.fields.reasoning + ' and a [new thing] "quoted" \u00e9',
        },
      );
    }),
  );
}

test('property: applying an op and then its inverse returns the original document', () => {
  fc.assert(
    fc.property(
      fc
        .array(fc.constant(0), { minLength: 1, maxLength: 6 })
        .chain((k) => fc.tuple(...k.map(() => arbOp(doc0)))),
      (ops) => {
        let doc = doc0;
        const inverses: Op[] = [];
        for (const op of ops) {
          try {
            const r = apply(doc, op);
            doc = r.doc;
            inverses.unshift(r.inverse);
          } catch (e) {
            if (!(e instanceof OpError)) throw e;
          }
        }
        for (const inv of inverses) doc = apply(doc, inv).doc;
        assert.equal(joinLines(doc), base);
      },
    ),
    { numRuns: 200 },
  );
});

test('property: a batch is undone by one inverse', () => {
  fc.assert(
    fc.property(fc.array(arbOp(doc0), { minLength: 1, maxLength: 4 }), (ops) => {
      try {
        const r = apply(doc0, { type: 'batch', ops });
        assert.equal(joinLines(apply(r.doc, r.inverse).doc), base);
      } catch (e) {
        if (!(e instanceof OpError)) throw e;
      }
    }),
    { numRuns: 100 },
  );
});

test('ops: a stale id or a wrong entity text is refused and changes nothing', () => {
  assert.throws(
    () =>
      apply(doc0, {
        type: 'entity/set',
        line: 0,
        id: 's1',
        entity: 0,
        value: { text: 'cup', status: 'accepted' },
      }),
    /holds sample "s0", not "s1"/,
  );
  assert.throws(
    () =>
      apply(doc0, {
        type: 'entity/set',
        line: 0,
        id: 's0',
        entity: 0,
        value: { text: 'mug', status: 'accepted' },
      }),
    /entity 0 of "s0" is "cup", not "mug"/,
  );
  assert.throws(
    () =>
      apply(doc0, {
        type: 'entity/set',
        line: 2,
        id: 'x',
        entity: 0,
        value: { text: 'a', status: 'accepted' },
      }),
    /line 3: not valid JSON/,
  );
  assert.throws(
    () => apply(doc0, { type: 'sample/status', line: 0, id: 's0', status: 'approved' }),
    /cannot go from todo to approved/,
  );
  assert.equal(joinLines(doc0), base);
});

test('ops: first edit moves a todo sample to in_progress and keeps the imported proposal', () => {
  const s = readSample(doc0.lines[0]!.raw, 0);
  assert.ok(!isProblem(s));
  assert.equal(s.state.entities[1]!.status, 'proposed');
  assert.deepEqual(s.state.entities[1]!.proposal, {
    tag: 'object',
    frame: 1,
    points: [
      [1, 2],
      [30, 40],
    ],
    size: [1000, 1000],
    source: 'import',
  });
  const r = apply(doc0, {
    type: 'entity/set',
    line: 0,
    id: 's0',
    entity: 0,
    value: { text: 'cup', status: 'rejected' },
  });
  const after = readSample(r.doc.lines[0]!.raw, 0);
  assert.ok(!isProblem(after));
  assert.equal(after.state.status, 'in_progress');
  assert.equal(after.state.entities[0]!.status, 'rejected');
  assert.equal(after.state.entities[1]!.status, 'proposed');
});
