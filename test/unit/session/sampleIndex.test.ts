/**
 * The sample list reads lines with the editor's own reader: a line is listed as a sample
 * exactly when the editor can open it, and otherwise says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from '../../../src/core/dataset';
import { isProblem, readSample } from '../../../src/core/sample';
import { allSummaries, nextTodo, statusCounts } from '../../../src/session/sampleIndex';

const lines = [
  '{"id":"ok","video":"v.mp4","fps":2,"reasoning":"the [cup]"}',
  '{"id":"neg","video":"v.mp4","fps":-1,"reasoning":"the [cup]"}',
  '{"id":"nan","frames":["a.jpg", 3],"reasoning":"x"}',
  '{"id":"noreason"}',
  '{"reasoning":"no id"}',
  '',
  '{"id":"done","frames":["a.jpg"],"reasoning":"x","groundwork":{"status":"annotated","entities":[]}}',
];
const doc = splitLines(lines.join('\n') + '\n');

test('a line the editor cannot open is a problem in the list, never a todo sample', () => {
  const summaries = allSummaries(doc);
  for (const s of summaries) {
    const opened = readSample(doc.lines[s.line]!.raw, s.line);
    assert.equal(s.problem === undefined, !isProblem(opened), `line ${s.line + 1} agrees`);
    if (isProblem(opened)) assert.equal(s.problem, opened.message);
  }
  const neg = summaries.find((s) => s.line === 1);
  assert.equal(neg?.id, 'neg');
  assert.match(neg?.problem ?? '', /"fps" must be a positive number/);
  assert.equal(neg?.status, undefined);
  assert.deepEqual(statusCounts(doc), {
    todo: 1,
    in_progress: 0,
    annotated: 1,
    approved: 0,
    rejected: 0,
    problem: 4,
  });
  // Next todo skips the line that cannot be opened.
  assert.equal(nextTodo(doc, 0), 0);
});
