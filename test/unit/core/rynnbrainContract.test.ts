/**
 * The contract with RynnBrain's preprocessing (issue 15 item 5). Its published extraction
 * rules, applied as facts to our exports of every task type: the SFT step
 * (`reasoning/data/preprocess_cot.py`) joins the assistant's text items and takes the first
 * `<frame\s+(\d+)>` and every `\(\s*(\d+)\s*,\s*(\d+)\s*\)`; it reads `:;` in the thinking
 * as a space; the RL step (`preprocess_rl.py`) and reward read `{"frame<n>": ...}` items, n
 * the same index as `<frame n>`. Then the same through a round trip of `import`.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { importRynnBrainRaw } from '../../../src/core/import';
import {
  DRAWN_FIXTURES,
  MODEL_FIXTURES,
  TASKS_COVERED,
  exportOf,
  verifiedView,
  verifyAll,
  view,
} from './rynnbrainFixtures';
import type { Fixture } from './rynnbrainFixtures';

const FRAME = /<frame\s+(\d+)>/i;
const COORD = /\(\s*(\d+)\s*,\s*(\d+)\s*\)/g;
const COUNTING = /<counting>\s*(\d+)\s*<\/counting>/i;

interface Item {
  readonly type?: string;
  readonly text?: string | null;
  readonly [key: string]: unknown;
}
interface Turn {
  readonly role: string;
  readonly content: readonly Item[];
}

function turn(rec: Record<string, unknown>, role: string): readonly Item[] {
  const t = (rec.conversation as Turn[]).find((c) => c.role === role);
  assert.ok(t, `no ${role} turn`);
  return t.content;
}

/** What RynnBrain's SFT step extracts from an assistant turn (its `extract_solution`). */
function sftSolution(items: readonly Item[], task: string, tag: string | undefined): string {
  const text = items
    .filter((i) => i.type === 'text')
    .map((i) => i.text ?? '')
    .join('');
  if (task === 'general') return text.trim();
  if (task === 'counting') {
    const m = COUNTING.exec(text) ?? /^\s*(\d+)\s*$/.exec(text.trim());
    return `<counting>${m ? m[1] : 0}</counting>`;
  }
  const frame = FRAME.exec(text);
  const coords = [...text.matchAll(COORD)];
  if (!frame || coords.length === 0) return `<${tag}></${tag}>`;
  return `<${tag}><frame ${frame[1]}>, ${coords.map((c) => `(${c[1]}, ${c[2]})`).join(', ')}</${tag}>`;
}

/** What the RL step keeps as ground truth: every `frame<n>` key with a list of points. */
function rlFrames(items: readonly Item[]): Map<number, number[][]> {
  const out = new Map<number, number[][]>();
  for (const item of items)
    for (const [k, v] of Object.entries(item))
      if (k.startsWith('frame') && Array.isArray(v))
        out.set(Number(k.slice('frame'.length)), v as number[][]);
  return out;
}

function taskOf(f: Fixture): string {
  if (f.count !== undefined) return 'counting';
  if (f.text !== undefined) return 'general';
  return f.tag === 'object' ? 'segment' : (f.tag as string);
}

function expectedSft(f: Fixture): string {
  if (f.count !== undefined) return `<counting>${f.count}</counting>`;
  if (f.text !== undefined) return f.text;
  const first = f.frames?.[0];
  assert.ok(first);
  const pts = first.points.map(([x, y]) => `(${x}, ${y})`).join(', ');
  return `<${f.tag}><frame ${first.frame}>, ${pts}</${f.tag}>`;
}

/** Checks one raw record against every rule; returns the SFT solution it yields. */
function checkRaw(rec: Record<string, unknown>, f: Fixture): void {
  const task = taskOf(f);
  const assistant = turn(rec, 'assistant');
  assert.equal(sftSolution(assistant, task, f.tag), expectedSft(f), `${f.name}: SFT extraction`);
  if (f.frames) {
    const gt = rlFrames(assistant);
    assert.deepEqual(
      [...gt.entries()],
      f.frames.map((fr) => [fr.frame, fr.points]),
      `${f.name}: RL frame items`,
    );
    // Frame items carry no "type", so the SFT step's text join never sees them.
    for (const i of assistant)
      if (Object.keys(i).some((k) => k.startsWith('frame'))) assert.equal(i.type, undefined);
  }
  if (f.count !== undefined)
    assert.ok(
      assistant.some((i) => i.count === f.count),
      'count item',
    );
  const userTexts = turn(rec, 'user').filter((i) => i.type === 'text');
  const last = userTexts[userTexts.length - 1];
  assert.ok(last && (last.text ?? '').length > 0, `${f.name}: the user's last text item is empty`);
  // The thinking with ":;" read as a space still holds both reasoning groundings.
  const thinking = turn(rec, 'Thinking')
    .map((i) => i.text ?? '')
    .join('')
    .replaceAll(':;', ' ');
  assert.match(thinking, /<object> <frame 1>: \(100, 200\), \(300, 400\) <\/object>/);
  assert.match(
    thinking,
    /along <trajectory> <frame 3>: \(120, 410\), \(260, 300\), \(700, 290\) <\/trajectory> to/,
  );
}

const ALL = [...MODEL_FIXTURES, ...DRAWN_FIXTURES];

test('contract: the fixtures cover every task type', () => {
  assert.deepEqual(new Set(ALL.map(taskOf)), new Set(TASKS_COVERED));
});

for (const f of ALL) {
  test(`contract: rynnbrain-raw of ${f.name} yields the answer with its exact points`, () => {
    checkRaw(exportOf(verifiedView(f), 'rynnbrain-raw'), f);
  });

  test(`contract: rynnbrain-sft of ${f.name} ends with the answer in RynnBrain's form`, () => {
    const rec = exportOf(verifiedView(f), 'rynnbrain-sft');
    const msgs = rec.messages as { role: string; content: string }[];
    const a = msgs.find((m) => m.role === 'assistant')?.content ?? '';
    const m = /#### <answer>([\s\S]*)<\/answer>$/.exec(a);
    assert.ok(m, `no #### <answer>…</answer> at the end of: ${a}`);
    assert.equal(m[1], expectedSft(f));
    assert.ok((msgs.find((x) => x.role === 'user')?.content ?? '').length > 0);
  });

  test(`contract: ${f.name} survives import of its own export`, () => {
    const first = exportOf(verifiedView(f), 'rynnbrain-raw');
    const imported = importRynnBrainRaw(first, 'x').record;
    const again = view(JSON.stringify(imported));
    const back = exportOf(
      view(JSON.stringify({ ...imported, groundwork: verifyAll(again) })),
      'rynnbrain-raw',
    );
    checkRaw(back, f);
    assert.deepEqual(turn(back, 'assistant'), turn(first, 'assistant'), 'same answer back');
  });

  test(`contract: ${f.name} imported and exported with no edit at all gives the same answer`, () => {
    const first = exportOf(verifiedView(f), 'rynnbrain-raw');
    const imported = view(JSON.stringify(importRynnBrainRaw(first, 'x').record));
    // Nobody touched it: the proposals are what a preview export (--use-proposals) writes.
    const back = exportOf(imported, 'rynnbrain-raw', { useProposals: true });
    assert.deepEqual(turn(back, 'assistant'), turn(first, 'assistant'));
  });
}

test('contract: raw data with only frame items, or only text, imports as the answer proposal', () => {
  const conv = (assistant: Item[]) => ({
    task: 'trajectory',
    conversation: [
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'Thinking', content: [{ type: 'text', text: 'The [cup] moves.' }] },
      { role: 'assistant', content: assistant },
    ],
  });
  const items = [
    {
      frame2: [
        [1, 2],
        [3, 4],
      ],
    },
    {
      frame5: [
        [5, 6],
        [7, 8],
      ],
    },
  ];
  const onlyItems = view(JSON.stringify(importRynnBrainRaw(conv(items), 'a').record));
  const ans = onlyItems.state.entities[0];
  assert.equal(ans?.role, 'answer');
  assert.equal(ans?.status, 'proposed');
  assert.deepEqual(ans?.proposal?.frame, 2);
  assert.deepEqual(
    ans?.alternates?.map((g) => g.frame),
    [5],
  );
  const text = '<trajectory> <frame 5>: (5, 6), (7, 8) </trajectory>';
  const both = view(
    JSON.stringify(importRynnBrainRaw(conv([{ type: 'text', text }, ...items]), 'b').record),
  );
  // The text's frame comes first (it is what the SFT step extracts); the other frame follows.
  assert.equal(both.state.entities[0]?.proposal?.frame, 5);
  assert.deepEqual(
    both.state.entities[0]?.alternates?.map((g) => g.frame),
    [2],
  );
  const onlyText = view(
    JSON.stringify(importRynnBrainRaw(conv([{ type: 'text', text }]), 'c').record),
  );
  assert.deepEqual(onlyText.state.entities[0]?.proposal?.points, [
    [5, 6],
    [7, 8],
  ]);
});
