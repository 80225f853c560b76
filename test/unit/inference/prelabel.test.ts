import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/command';
import { boxIou } from '../../../src/core/mask';
import type { Box } from '../../../src/core/mask';
import { parseShard } from '../../../src/cli/commands/prelabel';
import { BEDROOM, YOLOX_PATH, missingAssets } from './sharedAssets';

const skip = missingAssets(YOLOX_PATH, BEDROOM);

function io(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [],
    err: string[] = [];
  return {
    out,
    err,
    cwd,
    stdin: (async function* () {
      /* no input */
    })(),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
}

const human = {
  tag: 'object',
  frame: 0,
  points: [
    [1, 2],
    [3, 4],
  ],
  size: [960, 540],
  source: 'human',
};
const lines = [
  JSON.stringify({
    id: 'kids-1',
    video: BEDROOM,
    fps: 0.5,
    reasoning:
      'The [girl in the blue skirt] and the [boy] jump on the [open floor in front of the bed].',
  }),
  // Already worked on by a person: must come back byte for byte.
  `{"id":  "kids-2", "video": ${JSON.stringify(BEDROOM)}, "fps": 0.5, "reasoning": "A [girl].", "groundwork": ${JSON.stringify({ status: 'annotated', entities: [{ text: 'girl', status: 'accepted', kind: 'object', grounding: human }] })}}`,
  'not json at all',
  JSON.stringify({ id: 'kids-3', video: BEDROOM, fps: 0.5, reasoning: 'The [boy].' }),
];

test(
  'prelabel writes proposals for the children, keeps human work and odd lines byte for byte',
  { skip },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-prelabel-'));
    const ds = join(dir, 'd.cop.jsonl');
    writeFileSync(ds, lines.join('\r\n') + '\r\n');
    const c = io(dir);
    const code = await runCli(
      [
        'prelabel',
        ds,
        '-o',
        'out.jsonl',
        '--device',
        'cpu',
        '--json',
        '--media-root',
        dirname(BEDROOM),
      ],
      c,
    );
    const report = JSON.parse(c.out.join(''));
    assert.equal(code, 1, 'exit 1: the non-JSON line is reported');
    assert.match(JSON.stringify(report.problems), /"line":3/);
    assert.equal(report.samples, 2, 'kids-2 has nothing to propose');
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\r\n');
    assert.equal(out[1], lines[1]);
    assert.equal(out[2], lines[2]);
    const s1 = JSON.parse(out[0] as string).groundwork;
    const [girl, boy, floor] = s1.entities;
    assert.equal(girl.status, 'proposed');
    assert.equal(girl.proposal.source, 'model:yolox-nano');
    assert.equal(boy.kind, 'object');
    assert.equal(floor.status, 'pending', 'areas need a click');
    assert.notDeepEqual(girl.proposal.points, boy.proposal.points, 'two children, two boxes');
    const box = (g: { points: number[][] }): Box =>
      [...(g.points[0] as number[]), ...(g.points[1] as number[])] as unknown as Box;
    assert.ok(boxIou(box(girl.proposal), box(boy.proposal)) < 0.5);
  },
);

test('--shard i/n takes every n-th sample; bad values are usage errors', { skip }, async () => {
  assert.deepEqual(parseShard('1/2'), { index: 1, count: 2 });
  assert.throws(() => parseShard('2/2'), /0 <= i < n/);
  const dir = mkdtempSync(join(tmpdir(), 'gw-prelabel-'));
  const ds = join(dir, 'd.jsonl');
  writeFileSync(ds, [lines[0], lines[3]].join('\n') + '\n');
  const c = io(dir);
  await runCli(
    ['prelabel', ds, '--shard', '1/2', '--device', 'cpu', '--media-root', dirname(BEDROOM)],
    c,
  );
  const out = readFileSync(ds, 'utf8').split('\n');
  assert.equal(out[0], lines[0], 'sample 0 belongs to shard 0');
  assert.equal(JSON.parse(out[1] as string).groundwork.entities[0].status, 'proposed');
});
