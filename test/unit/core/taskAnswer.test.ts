/**
 * Task types and the answer item (issue 15 items 1-2): names and aliases, where a sample's
 * task comes from, the answer as item 0 of the state (proposal, acceptable frames, count),
 * what validation says about it, and that verifying it changes only the `groundwork` value.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { parseLine } from '../../../src/core/jsonLine';
import { apply } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';
import { inferTask, parseTask, sampleTask } from '../../../src/core/task';
import { validateSample } from '../../../src/core/validate';
import { exportOf, view } from './rynnbrainFixtures';

const base = { frames: ['a.jpg', 'b.jpg', 'c.jpg'], reasoning: 'The [cup] is on the [table].' };

function sample(extra: Record<string, unknown>): string {
  return JSON.stringify({ id: 's', ...base, ...extra });
}

test('task: RynnBrain names and aliases; unknown names are undefined', () => {
  assert.equal(parseTask('Segmentation'), 'segment');
  assert.equal(parseTask('referring'), 'segment');
  assert.equal(parseTask('trajectory'), 'trajectory');
  assert.equal(parseTask('counting'), 'counting');
  assert.equal(parseTask('detection'), undefined);
});

test('task: inferred from the answer tag when neither the line nor a default says', () => {
  assert.equal(inferTask('<object> <frame 1>: (1, 2), (3, 4) </object>'), 'segment');
  assert.equal(inferTask('go <traj> <frame 0>: (1, 2), (3, 4) </traj>'), 'trajectory');
  assert.equal(inferTask('<counting> 3 </counting>'), 'counting');
  assert.equal(inferTask('On the hook.'), 'general');
  assert.equal(inferTask(undefined), 'general');
});

test('task: editor choice, then the line, then the default, then the answer', () => {
  const answer = '<area> <frame 0>: (1, 2) </area>';
  const fields = { id: 's', reasoning: '', answer };
  assert.deepEqual(sampleTask(fields), { task: 'area', origin: 'inferred' });
  assert.deepEqual(sampleTask(fields, 'counting'), { task: 'counting', origin: 'default' });
  assert.deepEqual(sampleTask({ ...fields, task: 'segmentation' }, 'counting'), {
    task: 'segment',
    origin: 'line',
  });
  const chosen = {
    ...fields,
    task: 'segment',
    groundwork: { status: 'todo' as const, entities: [], task: 'general' as const },
  };
  assert.equal(sampleTask(chosen).task, 'general');
  const bad = sampleTask({ ...fields, task: 'grounding' });
  assert.equal(bad.task, 'area');
  assert.match(bad.problem ?? '', /unknown "task" "grounding"; one of trajectory, affordance/);
});

test('answer: a grounding answer is item 0, proposed from the answer text, on every acceptable frame', () => {
  const s = view(
    sample({
      answer:
        'Here <affordance> <frame 2>: (5, 6) </affordance> or <affordance> <frame 0>: (7, 8) </affordance>',
    }),
  );
  assert.equal(s.task, 'affordance');
  const [answer, cup] = s.state.entities;
  assert.deepEqual([answer?.text, answer?.role, answer?.status], ['Answer', 'answer', 'proposed']);
  assert.deepEqual(answer?.proposal?.points, [[5, 6]]);
  assert.deepEqual(
    answer?.alternates?.map((g) => g.frame),
    [0],
  );
  assert.equal(cup?.text, 'cup');
  // Reasoning entities are numbered after the answer, so index i is state.entities[i].
  assert.deepEqual(
    s.extraction.entities.map((e) => e.index),
    [1, 2],
  );
});

test('answer: a general answer is text, no item; counting proposes a number', () => {
  const g = view(sample({ answer: 'On the table.' }));
  assert.equal(g.state.entities[0]?.role, undefined);
  assert.equal(g.state.entities.length, 2);
  const c = view(sample({ answer: '<counting>3</counting>' }));
  assert.deepEqual([c.state.entities[0]?.role, c.state.entities[0]?.proposedCount], ['answer', 3]);
  const d = view(sample({ answer: '2' }), { defaultTask: 'counting' });
  assert.equal(d.state.entities[0]?.proposedCount, 2);
});

test('answer: a stored state written before the answer item keeps its entity decisions', () => {
  const old = {
    status: 'in_progress',
    entities: [
      { text: 'cup', status: 'not_groundable' },
      { text: 'table', status: 'pending' },
    ],
  };
  const s = view(sample({ task: 'segment', answer: 'the cup', groundwork: old }));
  assert.deepEqual(
    s.state.entities.map((e) => [e.text, e.status]),
    [
      ['Answer', 'pending'],
      ['cup', 'not_groundable'],
      ['table', 'pending'],
    ],
  );
  assert.deepEqual(s.notes, []);
});

test('validate: a grounding-task answer with no grounding is reported, and refused for export', () => {
  const s = view(sample({ task: 'trajectory', answer: 'it goes left' }));
  const plain = validateSample(s, { frameCount: 3 });
  const missing = plain.find((i) => i.code === 'answer-missing');
  assert.equal(missing?.severity, 'warning');
  assert.match(
    missing?.message ?? '',
    /entity 0 "Answer": the trajectory answer has no grounding: the answer text has no <trajectory> tag and none was drawn/,
  );
  const forExport = validateSample(s, { frameCount: 3 }, { requireGrounded: true });
  assert.ok(
    forExport.some(
      (i) => i.severity === 'error' && i.entity === 0 && /answer is not grounded/.test(i.message),
    ),
  );
  const marked = view(
    sample({
      task: 'trajectory',
      answer: 'it goes left',
      groundwork: {
        status: 'annotated',
        entities: [{ text: 'Answer', role: 'answer', status: 'not_groundable' }],
      },
    }),
  );
  const codes = validateSample(marked, { frameCount: 3 }, { requireGrounded: true }).map(
    (i) => i.code,
  );
  assert.ok(codes.includes('answer-not-grounded'));
});

test('validate: an answer of another tag than the task is named', () => {
  const text = view(
    sample({ task: 'trajectory', answer: '<object> <frame 1>: (1, 2), (3, 4) </object>' }),
  );
  assert.match(
    validateSample(text, { frameCount: 3 })
      .map((i) => i.message)
      .join('\n'),
    /the trajectory answer has no grounding: the answer text has an <object> tag, not <trajectory> and none was drawn/,
  );
  const box = {
    tag: 'object',
    frame: 1,
    points: [
      [1, 2],
      [3, 4],
    ],
    size: [10, 10],
    source: 'human',
  };
  const drawn = view(
    sample({
      task: 'trajectory',
      answer: '',
      groundwork: {
        status: 'annotated',
        entities: [{ text: 'Answer', role: 'answer', status: 'accepted', grounding: box }],
      },
    }),
  );
  const issue = validateSample(drawn, { frameCount: 3 }).find((i) => i.code === 'answer-tag');
  assert.equal(issue?.severity, 'error');
  assert.match(
    issue?.message ?? '',
    /the answer is an <object> but a trajectory answer is an <trajectory>; redraw it or change the task/,
  );
});

test('answer: accepting it through apply changes only the groundwork value, and it exports', () => {
  const raw =
    '{"id": "s",  "frames": ["a.jpg", "b.jpg", "c.jpg"], "reasoning": "The [cup].", "extra": {"k": [1,2]}, "answer": "<object> <frame 1>: (10, 20), (30, 40) </object>"}';
  const doc = { bom: false, lines: [{ raw, eol: '\n' as const }] };
  const r = apply(doc, { type: 'entity/accept', line: 0, id: 's', entity: 0 });
  const after = (r.doc.lines[0] as { raw: string }).raw;
  const p = parseLine(after);
  assert.ok(p.ok);
  const { groundwork, ...rest } = p.value;
  const q = parseLine(raw);
  assert.ok(q.ok);
  assert.deepEqual(rest, q.value);
  assert.ok(
    after.startsWith(raw.slice(0, raw.length - 1)),
    'the bytes before the new key are unchanged',
  );
  const state = groundwork as { entities: { role?: string; status: string }[] };
  assert.deepEqual([state.entities[0]?.role, state.entities[0]?.status], ['answer', 'accepted']);
  const rec = exportOf(view(after), 'rynnbrain-raw', {});
  const assistant = (rec.conversation as { role: string; content: Record<string, unknown>[] }[])[2];
  assert.deepEqual(assistant?.content[1], {
    frame1: [
      [10, 20],
      [30, 40],
    ],
  });
});

test('answer: accepting a counting answer verifies its number', () => {
  const raw = sample({ answer: '<counting>5</counting>' });
  const doc = { bom: false, lines: [{ raw, eol: '\n' as const }] };
  const r = apply(doc, { type: 'entity/accept', line: 0, id: 's', entity: 0 });
  const s = view((r.doc.lines[0] as { raw: string }).raw);
  assert.deepEqual([s.state.entities[0]?.status, s.state.entities[0]?.count], ['accepted', 5]);
});

test('answer: a non-text answer is a problem with its reason, never a throw; a bare number is its text', () => {
  const read = (answer: unknown, task?: string) =>
    readSample(JSON.stringify({ id: 's', ...base, answer, ...(task ? { task } : {}) }), 4);
  fc.assert(
    fc.property(
      fc.jsonValue(),
      fc.constantFrom(undefined, 'counting', 'segment', 'general'),
      (a, t) => {
        const r = read(a, t);
        if (typeof a === 'string' || typeof a === 'number' || a === null) return !isProblem(r);
        return isProblem(r) && r.line === 4 && /"answer" must be text/.test(r.message);
      },
    ),
  );
  const counted = read(3, 'counting');
  assert.ok(!isProblem(counted));
  assert.equal(counted.state.entities[0]?.proposedCount, 3, 'a bare count proposes that number');
  const grounded = read(7, 'segment');
  assert.ok(!isProblem(grounded), 'a number on a grounding task is an answer without a grounding');
  assert.equal(grounded.state.entities[0]?.status, 'pending');
});
