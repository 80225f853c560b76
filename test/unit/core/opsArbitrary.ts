/** Random intent ops over a small document, shared by the op and rule property tests. */
import fc from 'fast-check';
import type { DatasetDoc } from '../../../src/core/dataset';
import { GROUNDING_TAGS } from '../../../src/core/model';
import type { Grounding, SampleStatus } from '../../../src/core/model';
import type { Op } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';
import type { SampleView } from '../../../src/core/sample';

/** A model proposal inside a 1920 x 1080 frame (frames 0-2, so some are out of range). */
export const arbProposal: fc.Arbitrary<Grounding> = fc
  .record({
    frame: fc.nat(2),
    x: fc.integer({ min: 0, max: 1800 }),
    y: fc.integer({ min: 0, max: 1000 }),
    w: fc.integer({ min: 1, max: 100 }),
    source: fc.constantFrom('import', 'model:yolox-nano'),
  })
  .map(({ frame, x, y, w, source }): Grounding => ({
    tag: 'object',
    frame,
    points: [
      [x, y],
      [x + w, y + w],
    ],
    size: [1920, 1080],
    source: source as Grounding['source'],
  }));

const STATUSES: readonly SampleStatus[] = [
  'todo',
  'in_progress',
  'annotated',
  'approved',
  'rejected',
];

function samplesOf(doc: DatasetDoc): SampleView[] {
  const out: SampleView[] = [];
  doc.lines.forEach((l, i) => {
    const s = readSample(l.raw, i);
    if (!isProblem(s)) out.push(s);
  });
  return out;
}

/** Any op a view could send for one of the document's samples (legal or not). */
export function arbOp(doc: DatasetDoc): fc.Arbitrary<Op> {
  const samples = samplesOf(doc);
  const withEntities = samples.filter((s) => s.state.entities.length > 0);
  const entityOp = fc.constantFrom(...withEntities).chain((s) =>
    fc
      .record({
        entity: fc.nat(s.state.entities.length - 1),
        which: fc.nat(5),
        tag: fc.constantFrom(...GROUNDING_TAGS),
        frame: fc.nat(2),
        x: fc.integer({ min: 0, max: 1900 }),
        proposal: arbProposal,
        click: fc.boolean(),
        elapsedMs: fc.nat(5000),
      })
      .map(({ entity, which, tag, frame, x, proposal, click, elapsedMs }): Op => {
        const ref = { line: s.line, id: s.fields.id, entity, elapsedMs };
        switch (which) {
          case 0:
            return { ...ref, type: 'entity/accept', size: [1920, 1080] };
          case 1:
            return {
              ...ref,
              type: 'entity/draw',
              tag: 'object',
              frame,
              points: [
                [x, 10],
                [Math.min(1920, x + 15.555), 40],
              ],
              size: [1920, 1080],
            };
          case 2:
            return { ...ref, type: 'entity/notGroundable' };
          case 3:
            return { ...ref, type: 'entity/kind', kind: tag };
          case 4:
            return { ...ref, type: 'entity/frame', frame };
          default:
            return { ...ref, type: 'entity/propose', proposal, click };
        }
      }),
  );
  const sampleOp = fc.constantFrom(...samples).chain((s) =>
    fc.oneof(
      fc
        .record({
          status: fc.constantFrom(...STATUSES),
          comment: fc.option(fc.string(), { nil: undefined }),
        })
        .map(({ status, comment }): Op => ({
          type: 'sample/status',
          line: s.line,
          id: s.fields.id,
          status,
          ...(comment !== undefined ? { comment } : {}),
        })),
      fc.constant<Op>({
        type: 'sample/reasoning',
        line: s.line,
        id: s.fields.id,
        reasoning: s.fields.reasoning + ' and a [new thing] "quoted" \u00e9',
      }),
    ),
  );
  return fc.oneof({ arbitrary: entityOp, weight: 3 }, { arbitrary: sampleOp, weight: 2 });
}
