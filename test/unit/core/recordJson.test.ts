import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { exportRecord, rynnbrainRaw } from '../../../src/core/export/formats';
import type { ExportInput } from '../../../src/core/export/formats';
import { exportJson, jsonString, rynnbrainRawJson } from '../../../src/core/export/recordJson';
import type { TraceOptions } from '../../../src/core/export/trace';
import type { FrameInfo } from '../../../src/core/model';
import { isProblem, readSample } from '../../../src/core/sample';
import { DRAWN_FIXTURES, MODEL_FIXTURES, verifiedView } from './rynnbrainFixtures';

// Any UTF-16 unit (lone surrogate halves and control characters included), or a code point.
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('"', '\\', '\n', '\u2028', 'é', '😀', '\ud83d', '\ude00'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const anyText = fc.string({ unit, maxLength: 12 });
const entityText = fc.string({ unit, minLength: 1, maxLength: 8 }).filter((t) => {
  return !/[[\]<>]/.test(t) && t.trim() === t && t.length > 0;
});
const point = fc.tuple(fc.integer({ min: 0, max: 640 }), fc.integer({ min: 0, max: 480 }));

const options: fc.Arbitrary<TraceOptions> = fc.record(
  { keepBrackets: fc.boolean(), interleaveImages: fc.boolean(), useProposals: fc.boolean() },
  { requiredKeys: [] },
);

/** A dataset line with entities in brackets, groundings (some on missing frames), proposals. */
const line = fc
  .record({
    id: fc.string({ unit, minLength: 1, maxLength: 10 }),
    question: fc.option(anyText, { nil: undefined }),
    answer: fc.option(anyText, { nil: undefined }),
    frames: fc.array(fc.string({ unit, minLength: 1, maxLength: 6 }), { maxLength: 4 }),
    between: fc.array(anyText, { minLength: 4, maxLength: 4 }),
    entities: fc.array(
      fc.record({
        text: entityText,
        status: fc.constantFrom('accepted', 'edited', 'not_groundable', 'pending'),
        frame: fc.integer({ min: 0, max: 5 }),
        points: fc.array(point, { minLength: 1, maxLength: 3 }),
        proposal: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
  })
  .map((g) => {
    const reasoning =
      g.entities.map((e, i) => `${g.between[i]}[${e.text}]`).join('') + g.between[3];
    const grounding = (e: (typeof g.entities)[number], source: string) => ({
      tag: 'object',
      frame: e.frame,
      points: e.points,
      size: [640, 480],
      source,
    });
    const entities = g.entities.map((e) => ({
      text: e.text,
      status: e.status,
      kind: 'object',
      ...(e.status === 'accepted' || e.status === 'edited'
        ? { grounding: grounding(e, 'human') }
        : {}),
      ...(e.proposal ? { proposal: grounding(e, 'model:x') } : {}),
    }));
    return JSON.stringify({
      id: g.id,
      frames: g.frames,
      reasoning,
      ...(g.question !== undefined ? { question: g.question } : {}),
      ...(g.answer !== undefined ? { answer: g.answer } : {}),
      groundwork: { status: 'approved', entities },
    });
  });

function inputOf(raw: string, sizes: readonly (readonly [number, number])[]): ExportInput {
  const s = readSample(raw, 0);
  if (isProblem(s)) throw new Error(s.message);
  const names = (s.fields.frames ?? []).map((f) => `out/${f}`);
  const frames: FrameInfo[] = names.map((path, index) => {
    const [width, height] = sizes[index % sizes.length] ?? [640, 480];
    return { index, path, width, height };
  });
  // An interleaved image may name a frame past the list: its width is then null.
  return { sample: s, frames, imagePath: (i) => names[i] ?? `missing-${i}.jpg` };
}

test('property: the hand-written rynnbrain-raw text is JSON.stringify of the record', () => {
  const sizes = fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double()), {
    minLength: 1,
    maxLength: 3,
  });
  fc.assert(
    fc.property(line, sizes, options, (raw, wh, opts) => {
      const input = inputOf(raw, wh);
      const want = JSON.stringify(rynnbrainRaw(input, opts));
      assert.equal(rynnbrainRawJson(input, opts), want);
      assert.equal(exportJson('rynnbrain-raw', input, opts), want);
    }),
    { numRuns: 400 },
  );
});

test('every task fixture (answer items, counting) exports the same text both ways', () => {
  for (const f of [...MODEL_FIXTURES, ...DRAWN_FIXTURES]) {
    const s = verifiedView(f);
    const frames = (s.fields.frames ?? []).map((path, index) => ({
      index,
      path,
      width: 640,
      height: 480,
    }));
    const input: ExportInput = { sample: s, frames, imagePath: (i) => `f${i}.jpg` };
    for (const opts of [{}, { interleaveImages: true, keepBrackets: true }]) {
      assert.equal(rynnbrainRawJson(input, opts), JSON.stringify(rynnbrainRaw(input, opts)));
      for (const format of ['rynnbrain-sft', 'flat', 'rynnec'] as const) {
        const rec = exportRecord(format, input, opts);
        assert.equal(exportJson(format, input, opts), rec ? JSON.stringify(rec) : undefined);
      }
    }
  }
});

test('property: jsonString is JSON.stringify for any UTF-16 text', () => {
  fc.assert(
    fc.property(anyText, (t) => {
      assert.equal(jsonString(t), JSON.stringify(t));
    }),
  );
  assert.equal(jsonString('\ud800"\u2028\u0000é'), JSON.stringify('\ud800"\u2028\u0000é'));
});
