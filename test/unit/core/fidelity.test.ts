import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { joinLines, splitLines } from '../../../src/core/dataset';
import { apply } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';
import { openDataset, saveDataset } from '../../../src/io/datasetFile';

const corpusPath = join(__dirname, '..', '..', 'fixtures', 'fidelity', 'corpus.jsonl');

function bigLine(): string {
  // A 1 MB line: long reasoning with many entities and unicode.
  const chunk = 'the [ceramic mug] is left of the [wooden spoon], ünïcödé \\u00e9 ';
  let reasoning = '';
  while (reasoning.length < 1_050_000) reasoning += chunk;
  return `{"id": "big-1mb", "frames": ["x.jpg"], "reasoning": "${reasoning}", "answer": "ok"}`;
}

function corpus(): Buffer {
  return Buffer.concat([readFileSync(corpusPath), Buffer.from('\n' + bigLine() + '\r\n', 'utf8')]);
}

test('fidelity corpus: open and save with no edit gives identical bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-fid-'));
  const p = join(dir, 'c.jsonl');
  const bytes = corpus();
  writeFileSync(p, bytes);
  const doc = await openDataset(p);
  assert.equal(doc.bom, true);
  assert.ok(
    doc.lines.some((l) => l.eol === '\r') &&
      doc.lines.some((l) => l.eol === '\r\n') &&
      doc.lines.some((l) => l.eol === '\n'),
  );
  await saveDataset(p, doc);
  assert.ok(readFileSync(p).equals(bytes));
});

test('fidelity corpus: editing each sample line changes only that line', async () => {
  const bytes = corpus();
  const doc = splitLines(bytes.toString('utf8'));
  let edited = 0;
  for (let i = 0; i < doc.lines.length; i++) {
    const s = readSample(doc.lines[i]!.raw, i);
    if (isProblem(s)) continue;
    if (s.state.entities.length === 0) continue;
    const { doc: next, inverse } = apply(doc, {
      type: 'entity/draw',
      line: i,
      id: s.fields.id,
      entity: 0,
      tag: 'object',
      frame: 0,
      points: [
        [1, 2],
        [3, 4],
      ],
      size: [10, 10],
    });
    for (let j = 0; j < doc.lines.length; j++) {
      if (j === i) continue;
      assert.equal(next.lines[j], doc.lines[j], `line ${j} untouched when editing ${i}`);
    }
    const changed = next.lines[i]!.raw;
    assert.equal(next.lines[i]!.eol, doc.lines[i]!.eol);
    // The edited line keeps every original member byte for byte: only "groundwork" is added.
    const originalBody = doc.lines[i]!.raw.replace(/\s*}\s*$/, '');
    assert.ok(changed.startsWith(originalBody), `line ${i} keeps its original members`);
    const reread = readSample(changed, i);
    assert.ok(!isProblem(reread));
    // A drawing replaces a proposal (edited) or grounds a pending entity (accepted).
    const had = s.state.entities[0]!.proposal !== undefined;
    assert.equal(reread.state.entities[0]!.status, had ? 'edited' : 'accepted');
    assert.equal(reread.fields.reasoning, s.fields.reasoning);
    // Undo gives the original document back, byte for byte.
    assert.equal(joinLines(apply(next, inverse).doc), joinLines(doc));
    edited++;
  }
  assert.ok(edited >= 4, `edited ${edited} sample lines`);
});

test('fidelity corpus: invalid lines are reported with their line numbers and kept', () => {
  const doc = splitLines(corpus().toString('utf8'));
  const problems = doc.lines
    .map((l, i) => (l.raw.trim() ? readSample(l.raw, i) : undefined))
    .filter((r) => r && isProblem(r));
  assert.deepEqual(
    problems.map((p) => p && isProblem(p) && [p.line + 1, p.message.split(' (')[0]]),
    [
      [6, 'not valid JSON'],
      [7, 'a JSON array, expected an object with "id" and "reasoning"'],
      [8, 'no "id" string'],
    ],
  );
  assert.equal(doc.lines[5]!.raw, '{"id": "broken-3", "reasoning": "missing brace"');
});

test('fidelity: save is atomic (no temp file left, old mode kept)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-atomic-'));
  const p = join(dir, 'd.jsonl');
  writeFileSync(p, '{"id":"a","reasoning":"[x]"}\n', { mode: 0o640 });
  const doc = await openDataset(p);
  await saveDataset(p, doc);
  const { readdirSync, statSync } = await import('node:fs');
  assert.deepEqual(readdirSync(dir), ['d.jsonl']);
  assert.equal(statSync(p).mode & 0o777, 0o640);
});
