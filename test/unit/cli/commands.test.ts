import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { apply } from '../../../src/core/ops';
import { isProblem, readSample } from '../../../src/core/sample';
import { openDataset, saveDataset } from '../../../src/io/datasetFile';
import { ASSETS, NO_ASSETS, SAMPLE, cli } from '../../helpers/cli';

const corpus = join(__dirname, '..', '..', 'fixtures', 'fidelity', 'corpus.jsonl');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gw-cli-'));
}

/** A copy of ../shared/assets in a temp workspace (datasets, frames, videos side by side). */
function workspace(): string {
  const d = tmp();
  for (const sub of ['datasets', 'frames', 'videos'])
    cpSync(join(ASSETS, sub), join(d, sub), { recursive: true });
  return d;
}

for (const n of [1, 2, 3, 7]) {
  test(`split --shards ${n} then merge reproduces the fidelity corpus byte for byte`, async () => {
    const d = tmp();
    cpSync(corpus, join(d, 'c.jsonl'));
    const s = await cli([
      'split',
      join(d, 'c.jsonl'),
      '--shards',
      String(n),
      '--out-dir',
      join(d, 'shards'),
    ]);
    assert.equal(s.code, 0, s.stderr);
    const shards = Array.from({ length: n }, (_, i) =>
      join(d, 'shards', `c.shard-${String(i + 1).padStart(String(n).length, '0')}-of-${n}.jsonl`),
    );
    const m = await cli(['merge', ...shards, '-o', join(d, 'merged.jsonl')]);
    assert.ok(readFileSync(join(d, 'merged.jsonl')).equals(readFileSync(corpus)), m.stderr);
  });
}

test('validate and stats on the sample dataset', { skip: NO_ASSETS }, async () => {
  const v = await cli(['validate', SAMPLE, '--json']);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const j = JSON.parse(v.stdout) as { samples: number; errors: number };
  assert.equal(j.samples, 5);
  assert.equal(j.errors, 0);
  const s = JSON.parse((await cli(['stats', SAMPLE, '--json'])).stdout) as {
    entities: number;
    entityStatus: Record<string, number>;
    media: Record<string, number>;
  };
  assert.equal(s.entities, 28);
  assert.deepEqual(s.entityStatus, { pending: 26, proposed: 2 });
  assert.deepEqual(s.media, { frames: 2, video: 3 });
  const strict = await cli(['validate', SAMPLE, '--require-approved']);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /sample "kids-bed-0003": sample is todo, not approved/);
});

test('export refuses unapproved samples and writes nothing', { skip: NO_ASSETS }, async () => {
  const d = tmp();
  const r = await cli(['export', SAMPLE, '-o', join(d, 'out.jsonl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /export refused: 5 sample\(s\) failed; nothing was written/);
  assert.throws(() => readFileSync(join(d, 'out.jsonl')));
});

test(
  'export after annotating: the traces carry exactly the approved groundings',
  { skip: NO_ASSETS },
  async () => {
    const ws = workspace();
    const path = join(ws, 'datasets', 'sample.cop.jsonl');
    let doc = await openDataset(path);
    const s0 = readSample(doc.lines[0]!.raw, 0);
    const s1 = readSample(doc.lines[1]!.raw, 1);
    assert.ok(!isProblem(s0) && !isProblem(s1));
    // Sample 1: accept the imported proposal for "blue cloth", draw a box for the handle, reject the rest.
    for (const [i, e] of s0.state.entities.entries()) {
      const ref = { line: 0, id: s0.fields.id, entity: i } as const;
      if (e.text === 'blue cloth') doc = apply(doc, { ...ref, type: 'entity/accept' }).doc;
      else if (e.text === 'red door handle')
        doc = apply(doc, {
          ...ref,
          type: 'entity/draw',
          tag: 'object',
          frame: 2,
          points: [
            [96, 108],
            [192.4, 216],
          ],
          size: [1920, 1080],
        }).doc;
      else doc = apply(doc, { ...ref, type: 'entity/notGroundable' }).doc;
    }
    for (const st of ['annotated', 'approved'] as const)
      doc = apply(doc, { type: 'sample/status', line: 0, id: s0.fields.id, status: st }).doc;
    await saveDataset(path, doc);
    const out = join(ws, 'export', 'train.jsonl');
    const partial = await cli(['export', path, '-o', out, '--allow-partial']);
    assert.equal(partial.code, 0, partial.stderr);
    assert.match(partial.stdout, /1 records \(rynnbrain-raw\), 4 skipped/);
    const rec = JSON.parse(readFileSync(out, 'utf8').trim()) as {
      id: string;
      conversation: {
        role: string;
        content: { type: string; text: string | null; image: string | null }[];
      }[];
    };
    assert.equal(rec.id, 'bathroom-cloth-0001');
    assert.deepEqual(
      rec.conversation.map((t) => t.role),
      ['user', 'Thinking', 'assistant'],
    );
    const thinking = rec.conversation[1]!.content.map((c) => c.text).join('');
    assert.equal(
      thinking,
      'The camera enters through a door with a red door handle <object> <frame 2>: (50, 100), (100, 200) </object> and turns right. A metal storage rack full of toiletries stands against the white tiled wall. Further right, a blue cloth <object> <frame 7>: (644, 0), (1000, 738) </object> hangs from a hook above the floor next to the rack.',
    );
    const user = rec.conversation[0]!.content;
    assert.equal(user.length, 8 * 2 + 1);
    assert.equal(user[0]!.text, '<frame 0>: ');
    assert.equal(user[1]!.image, '../frames/rb_object_location/00000.jpg');
    for (const item of user)
      assert.deepEqual(Object.keys(item), [
        'type',
        'text',
        'image',
        'video',
        'width',
        'height',
        'duration',
      ]);
    // --keep-brackets and --interleave-images
    const out2 = join(ws, 'export', 'kb.jsonl');
    await cli([
      'export',
      path,
      '-o',
      out2,
      '--allow-partial',
      '--keep-brackets',
      '--interleave-images',
    ]);
    const rec2 = JSON.parse(readFileSync(out2, 'utf8').trim()) as typeof rec;
    const items = rec2.conversation[1]!.content;
    assert.equal(
      items[0]!.text,
      'The camera enters through a door with a [red door handle] <object> <frame 2>:',
    );
    assert.equal(items[1]!.image, '../frames/rb_object_location/00030.jpg');
    assert.match(
      items[2]!.text ?? '',
      /^; \(50, 100\), \(100, 200\) <\/object> and turns right\. A \[metal storage rack\]/,
    );
    // flat and sft
    const flatOut = join(ws, 'export', 'flat.jsonl');
    await cli(['export', path, '-o', flatOut, '--allow-partial', '--format', 'flat']);
    const flat = JSON.parse(readFileSync(flatOut, 'utf8').trim()) as {
      entities: {
        text: string;
        points: number[][] | null;
        points_px: number[][] | null;
        status: string;
        source: string | null;
      }[];
    };
    const handle = flat.entities.find((e) => e.text === 'red door handle')!;
    assert.deepEqual(handle.points, [
      [50, 100],
      [100, 200],
    ]);
    assert.deepEqual(handle.points_px, [
      [96, 108],
      [192.4, 216],
    ]);
    assert.equal(flat.entities.find((e) => e.text === 'blue cloth')!.source, 'import');
    const sftOut = join(ws, 'export', 'sft.jsonl');
    await cli(['export', path, '-o', sftOut, '--allow-partial', '--format', 'rynnbrain-sft']);
    const sft = JSON.parse(readFileSync(sftOut, 'utf8').trim()) as {
      messages: { content: string }[];
    };
    assert.match(
      sft.messages[1]!.content,
      /^<think>The camera .* rack\.<\/think>#### <answer>The blue cloth hangs .*<\/answer>$/,
    );
  },
);

test(
  'export of video samples writes frame n as image n (drafts with proposals)',
  { skip: NO_ASSETS },
  async () => {
    const ws = workspace();
    const out = join(ws, 'export', 'draft.jsonl');
    const r = await cli([
      'export',
      join(ws, 'datasets', 'sample.cop.jsonl'),
      '-o',
      out,
      '--allow-unapproved',
      '--use-proposals',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const recs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string;
            conversation: {
              content: { type: string; image: string | null; width: number | null }[];
            }[];
          },
      );
    const kids = recs.find((x) => x.id === 'kids-bed-0003')!;
    const images = kids.conversation[0]!.content.filter((c) => c.type === 'image');
    assert.equal(images.length, 14); // 200 frames at 30 fps, sampled at 2 fps
    assert.equal(images[3]!.image, 'draft.frames/kids-bed-0003/00003.jpg');
    assert.equal(images[3]!.width, 960);
    assert.ok(
      readFileSync(join(ws, 'export', 'draft.frames', 'kids-bed-0003', '00013.jpg')).length > 1000,
    );
  },
);

test('import: RynnBrain raw layout and CoP traces', async () => {
  const d = tmp();
  const raw = {
    id: 'rb-1',
    conversation: [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<frame 0>: ' },
          { type: 'image', image: 'f/0.jpg' },
          { type: 'text', text: '<frame 1>: ' },
          { type: 'image', image: 'f/1.jpg' },
          { type: 'text', text: 'Where is the cloth?' },
        ],
      },
      {
        role: 'Thinking',
        content: [
          {
            type: 'text',
            text: 'I see a blue cloth <object>  <frame 1>:; (644, 0), (1000, 738) </object> near the [sink] <area> <frame 0>: (1, 2) </area>.',
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'On the hook.' }] },
    ],
  };
  writeFileSync(join(d, 'raw.jsonl'), JSON.stringify(raw) + '\n{broken\n');
  const r = await cli(['import', join(d, 'raw.jsonl'), '-o', join(d, 'ds.cop.jsonl')]);
  assert.equal(r.code, 1);
  // A tag with no bracketed entity before it stays a standalone item (issue 10 item 16).
  assert.doesNotMatch(r.stderr, /bracketed/);
  assert.match(r.stderr, /raw\.jsonl:2: /);
  const line = readFileSync(join(d, 'ds.cop.jsonl'), 'utf8').split('\n')[0]!;
  const s = readSample(line, 0);
  assert.ok(!isProblem(s));
  assert.deepEqual(s.fields.frames, ['f/0.jpg', 'f/1.jpg']);
  assert.equal(s.fields.question, 'Where is the cloth?');
  assert.deepEqual(
    s.state.entities.map((e) => [e.text, e.status, e.proposal?.frame]),
    [
      ['object: a blue cloth … near the sink', 'proposed', 1],
      ['sink', 'proposed', 0],
    ],
  );
  writeFileSync(
    join(d, 'traces.txt'),
    'the [mug] <object> <frame 0>: (1, 2), (3, 4) </object>\n\na red apple <area> <frame 2>: (5, 5) </area>\n',
  );
  const t = await cli([
    'import',
    join(d, 'traces.txt'),
    '--from',
    'cop-text',
    '--video',
    'v.mp4',
    '-o',
    join(d, 't.cop.jsonl'),
  ]);
  assert.equal(t.code, 0, t.stderr);
  const lines = readFileSync(join(d, 't.cop.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /"reasoning": "a red apple <area>/);
});

test('cop parse and format', async () => {
  const p = await cli(['cop', 'parse'], {
    stdin: 'a [cup] <object><frame 3>, (1, 2), (3, 4)</object> <box> <frame 1>: (1, 1) </box>',
  });
  assert.equal(p.code, 1);
  const j = JSON.parse(p.stdout) as {
    groundings: { tag: string; start: number }[];
    entities: { text: string; proposal: string }[];
    errors: { offset: number; message: string }[];
  };
  assert.equal(j.groundings[0]!.start, 8);
  assert.equal(j.entities[0]!.proposal, '<object> <frame 3>: (1, 2), (3, 4) </object>');
  assert.deepEqual(j.errors, [{ offset: 51, message: 'unknown grounding tag <box>' }]);
  const f = await cli(['cop', 'format'], { stdin: JSON.stringify(j.groundings) });
  assert.equal(f.stdout, '<object> <frame 3>: (1, 2), (3, 4) </object>\n');
  const bad = await cli(['cop', 'format'], { stdin: '{"tag": "box"}' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /item 0: expected \{"tag": one of object\|area/);
});
