/**
 * The page's side of the session's deltas (issue 14 item 5): the sample picker's filtered,
 * searched list, patched by binary search as summaries change, always equals the list built
 * again from scratch, and a patch asks to redraw only what it changed. The model is DOM-free
 * webview code, so it runs here in plain Node.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { SampleStatus } from '../../../src/core/model';
import type { SampleSummary } from '../../../src/protocol/snapshot';
import { SamplePickerModel } from '../../../webview/panels/samplePickerModel';
import type { PickerFilter } from '../../../webview/panels/samplePickerModel';
import { indexOfLine } from '../../../webview/panels/samplePickerSync';

const STATUSES: readonly SampleStatus[] = [
  'todo',
  'in_progress',
  'annotated',
  'approved',
  'rejected',
];
const FILTERS: readonly PickerFilter[] = ['all', ...STATUSES, 'problem'];

const summaryAt = (line: number): fc.Arbitrary<SampleSummary> =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...STATUSES), fc.constantFrom('cup', 'Cup-table', 'floor'))
      .map(([status, word]) => ({ line, id: `${word}-${line}`, status })),
    fc.constant({ line, problem: 'not valid JSON' }),
  );

function rows(model: SamplePickerModel): number[] {
  return Array.from({ length: model.length }, (_, k) => model.at(k)?.line ?? -1);
}

test('a patched picker list equals one built again, whatever the filter, search and edits', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }),
      fc.constantFrom(...FILTERS),
      fc.constantFrom('', 'cup', 'TABLE', '1', 'line'),
      fc.array(fc.tuple(fc.nat(), fc.nat(1000)), { maxLength: 20 }),
      (gaps, filter, search, edits) => {
        // Lines with gaps: blank lines are not listed, so positions and lines differ.
        let line = 0;
        const lines = gaps.map((gap) => (line += gap + 1));
        let samples: SampleSummary[] = lines.map(
          (l) => fc.sample(summaryAt(l), { numRuns: 1, seed: l })[0]!,
        );
        const model = new SamplePickerModel(() => samples);
        model.set(filter, search);
        for (const [pick, seed] of edits) {
          const at = pick % samples.length;
          const target = samples[at]!.line;
          const next = fc.sample(summaryAt(target), { numRuns: 1, seed })[0]!;
          samples = samples.slice();
          samples[at] = next;
          assert.equal(indexOfLine(samples, target), at, 'binary search finds the line');
          const redraw = model.patch([at]);
          const fresh = new SamplePickerModel(() => samples);
          fresh.set(filter, search);
          assert.deepEqual(rows(model), rows(fresh));
          if (redraw !== 'all') assert.ok(redraw.length <= 1, 'at most the edited row');
        }
      },
    ),
    { numRuns: 300 },
  );
});
