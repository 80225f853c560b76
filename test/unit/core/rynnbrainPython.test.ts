/**
 * RynnBrain's own preprocessing and reward, run on our exports (issue 15). Their code is not
 * in this repository: the test reads it at run time from a git mirror of
 * alibaba-damo-academy/RynnBrain (`RYNNBRAIN_GIT_DIR`, default the session's fetch mirror)
 * and skips, saying why, when python3, the mirror or numpy/scipy (the reward) is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import test from 'node:test';
import { DRAWN_FIXTURES, MODEL_FIXTURES, exportOf, verifiedView } from './rynnbrainFixtures';

const GIT_DIR =
  process.env.RYNNBRAIN_GIT_DIR ?? '/work/.mirror/alibaba-damo-academy+RynnBrain/repo';

// Our driver, not theirs: it stubs the imports their modules make at the top but never use
// in the functions called (datasets, PIL), unifies content-item keys the way
// `datasets.load_dataset("json")` does (every key on every item, null where absent), and
// calls their SFT map functions, their RL `process_example` and their reward.
const DRIVER = String.raw`
import sys, json, types, subprocess, io, contextlib
git_dir = sys.argv[1]
def src(path):
    return subprocess.run(['git', '--git-dir', git_dir, 'show', 'HEAD:' + path],
                          capture_output=True, text=True, check=True).stdout
for name in ['datasets', 'PIL', 'PIL.Image']:
    sys.modules[name] = types.ModuleType(name)
sys.modules['datasets'].Dataset = object
sys.modules['PIL'].Image = sys.modules['PIL.Image']
def load(path, name):
    env = {'__name__': name}
    exec(compile(src(path), path, 'exec'), env)
    return env
cot = load('reasoning/data/preprocess_cot.py', 'rb_cot')
rl = load('reasoning/data/preprocess_rl.py', 'rb_rl')
try:
    reward = load('reasoning/verl/utils/reward_score/rynnbrain_reward.py', 'rb_reward')
except ImportError as e:
    reward = None
cases = json.load(sys.stdin)
keys = set()
for c in cases:
    for t in c['raw']['conversation']:
        for item in t['content']:
            keys.update(item.keys())
for c in cases:
    for t in c['raw']['conversation']:
        t['content'] = [{k: item.get(k) for k in sorted(keys)} for item in t['content']]
out = []
for c in cases:
    task = cot['TASK_ALIASES'].get(c['task'], c['task'])
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        plain = cot['make_map_fn']('train', task, 'x')(json.loads(json.dumps(c['raw'])), 0)
        imgs = cot['make_map_fn_with_images']('train', task, 'x')(json.loads(json.dumps(c['raw'])), 0)
        r = rl['process_example'](json.loads(json.dumps(c['raw'])), task, task + '_rl', 1, 1)
        gt = r['reward_model']['ground_truth']
        score = reward['compute_score'](task + '_rl', c['answer_only'], gt) if reward else None
        full = reward['compute_score'](task + '_rl', c['sft'], gt) if reward else None
    out.append({'sft': plain['conversation'][1]['content'][0]['text'],
                'sft_images': imgs['conversation'][1]['content'][-1]['text'],
                'gt': gt, 'score': score, 'full': full, 'printed': printed.getvalue()})
print(json.dumps(out))
`;

function skipReason(): string | undefined {
  if (!existsSync(GIT_DIR)) return `no RynnBrain mirror at ${GIT_DIR} (set RYNNBRAIN_GIT_DIR)`;
  const py = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
  if (py.error) return 'python3 is not available';
  if (py.status !== 0) return 'python3 has no numpy/scipy (RynnBrain reward needs them)';
  return undefined;
}

const reason = skipReason();

test('RynnBrain preprocess_cot, preprocess_rl and reward on our exports', { skip: reason }, () => {
  const fixtures = [...MODEL_FIXTURES, ...DRAWN_FIXTURES];
  const cases = fixtures.map((f) => {
    const v = verifiedView(f);
    const sft = (exportOf(v, 'rynnbrain-sft').messages as { content: string }[])[1]?.content ?? '';
    return {
      task: v.task,
      raw: exportOf(v, 'rynnbrain-raw'),
      sft,
      answer_only: sft.slice(sft.indexOf('####')),
    };
  });
  const r = spawnSync('python3', ['-c', DRIVER, GIT_DIR], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    sft: string;
    sft_images: string;
    gt: string;
    score: number | null;
    full: number | null;
    printed: string;
  }[];
  out.forEach((o, i) => {
    const f = fixtures[i]!;
    const ours = cases[i]!.sft;
    const answer = /#### <answer>[\s\S]*<\/answer>$/.exec(ours)?.[0] ?? '';
    assert.doesNotMatch(o.printed, /Warning: Could not extract/, `${f.name}: ${o.printed}`);
    assert.ok(o.sft.endsWith(answer), `${f.name}: their SFT answer ${o.sft} vs ours ${answer}`);
    assert.ok(o.sft_images.endsWith(answer), `${f.name}: --keep_images answer ${o.sft_images}`);
    if (f.frames)
      assert.deepEqual(
        JSON.parse(o.gt),
        f.frames.map((fr) => ({ [`frame${fr.frame}`]: fr.points })),
        `${f.name}: RL ground truth`,
      );
    if (f.count !== undefined) assert.equal(JSON.parse(o.gt), f.count);
    if (o.score !== null && f.tag !== 'area')
      assert.ok(o.score >= 1, `${f.name}: reward of our own answer is ${o.score}`);
    console.log(`${f.name}: reward ${o.score} (answer only), ${o.full} (with the thinking)`);
  });
});
