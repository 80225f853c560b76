/**
 * `--task` on import and export, and stats' counts of tasks and items (issue 15, issue 10
 * item 16): a bad task name is a usage error that writes nothing; a dataset default turns
 * bare answers into counting answers; the export carries the answer RynnBrain reads.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../../helpers/cli';

// A PNG header is all the frame-list reader needs for a frame's size.
function png(path: string, width: number, height: number): void {
  const b = Buffer.alloc(33);
  b.writeUInt32BE(0x89504e47, 0);
  b.writeUInt32BE(0x0d0a1a0a, 4);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  writeFileSync(path, b);
}

function raw(assistant: unknown[]): string {
  return JSON.stringify({
    id: 'r1',
    conversation: [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<frame 0>: ' },
          { type: 'image', image: 'a.png' },
          { type: 'text', text: '<frame 1>: ' },
          { type: 'image', image: 'b.png' },
          { type: 'text', text: 'How many cups?' },
        ],
      },
      {
        role: 'Thinking',
        content: [
          {
            type: 'text',
            text: 'A [cup] and a cup moving <trajectory> <frame 1>: ; (1, 2), (3, 4) </trajectory> away.',
          },
        ],
      },
      { role: 'assistant', content: assistant },
    ],
  });
}

test('import --task: unknown name is a usage error and writes nothing', async () => {
  const d = mkdtempSync(join(tmpdir(), 'gw-task-'));
  writeFileSync(join(d, 'raw.jsonl'), raw([{ type: 'text', text: '2' }]) + '\n');
  const out = join(d, 'ds.cop.jsonl');
  const r = await cli(['import', join(d, 'raw.jsonl'), '-o', out, '--task', 'detection']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /unknown --task "detection"; one of trajectory, affordance, area, counting, segment, general/,
  );
  assert.equal(existsSync(out), false);
});

test('import --task counting, stats counts tasks and items, export writes the count', async () => {
  const d = mkdtempSync(join(tmpdir(), 'gw-task-'));
  png(join(d, 'a.png'), 640, 480);
  png(join(d, 'b.png'), 640, 480);
  writeFileSync(join(d, 'raw.jsonl'), raw([{ type: 'text', text: '2' }]) + '\n');
  const ds = join(d, 'ds.cop.jsonl');
  const r = await cli(['import', join(d, 'raw.jsonl'), '-o', ds, '--task', 'counting']);
  assert.equal(r.code, 0, r.stderr);
  const line = readFileSync(ds, 'utf8').trim();
  assert.match(line, /"task": "counting"/);
  const st = await cli(['stats', ds, '--json']);
  assert.equal(st.code, 0, st.stderr);
  const stats = JSON.parse(st.stdout) as {
    tasks: Record<string, number>;
    items: Record<string, number>;
  };
  assert.deepEqual(stats.tasks, { counting: 1 });
  assert.deepEqual(stats.items, { answer: 1, standalone: 1, entity: 1 });
  // Unverified: the export is refused and names the answer and the standalone trajectory.
  const out = join(d, 'out.jsonl');
  const refused = await cli(['export', ds, '-o', out, '--allow-unapproved']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /entity 0 "Answer": the count is not verified/);
  assert.match(
    refused.stderr,
    /entity 2 "trajectory: a cup moving … away": entity is not grounded/,
  );
  assert.equal(existsSync(out), false);
  const preview = await cli(['export', ds, '-o', out, '--use-proposals', '--allow-unapproved']);
  assert.equal(preview.code, 0, preview.stderr);
  const rec = JSON.parse(readFileSync(out, 'utf8')) as {
    conversation: { role: string; content: Record<string, unknown>[] }[];
  };
  const assistant = rec.conversation[2]?.content ?? [];
  assert.equal(assistant[0]?.text, '<counting>2</counting>');
  assert.deepEqual(assistant[1], { count: 2 });
  const thinking = rec.conversation[1]?.content.map((i) => i.text).join('');
  assert.match(
    thinking ?? '',
    /moving <trajectory> <frame 1>: \(1, 2\), \(3, 4\) <\/trajectory> away/,
  );
});

test('export --task: the default applies to lines without a task; a bad name is refused', async () => {
  const d = mkdtempSync(join(tmpdir(), 'gw-task-'));
  png(join(d, 'a.png'), 100, 100);
  const ds = join(d, 'ds.cop.jsonl');
  writeFileSync(
    ds,
    JSON.stringify({
      id: 'c',
      frames: ['a.png'],
      question: 'How many?',
      reasoning: 'none',
      answer: '3',
    }) + '\n',
  );
  const out = join(d, 'o.jsonl');
  const bad = await cli(['export', ds, '-o', out, '--task', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown --task "nope"/);
  const sft = await cli([
    'export',
    ds,
    '-o',
    out,
    '--format',
    'rynnbrain-sft',
    '--task',
    'counting',
    '--use-proposals',
    '--allow-unapproved',
  ]);
  assert.equal(sft.code, 0, sft.stderr);
  const rec = JSON.parse(readFileSync(out, 'utf8')) as { messages: { content: string }[] };
  assert.match(rec.messages[1]?.content ?? '', /#### <answer><counting>3<\/counting><\/answer>$/);
  const general = await cli([
    'export',
    ds,
    '-o',
    out,
    '--format',
    'rynnbrain-sft',
    '--use-proposals',
    '--allow-unapproved',
  ]);
  assert.equal(general.code, 0, general.stderr);
  const g = JSON.parse(readFileSync(out, 'utf8')) as { messages: { content: string }[] };
  assert.match(g.messages[1]?.content ?? '', /#### <answer>3<\/answer>$/);
});
