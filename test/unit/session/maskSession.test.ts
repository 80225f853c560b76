import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLines } from '../../../src/core/dataset';
import type { EntityState } from '../../../src/core/model';
import { emptyMask, fillPolygon } from '../../../src/core/raster/brush';
import { encodeRle } from '../../../src/core/rle';
import { isProblem, readSample } from '../../../src/core/sample';
import type { SampleView } from '../../../src/core/sample';
import type { SegmentPrompt } from '../../../src/inference/families/samPrompt';
import type { SegmentedReply } from '../../../src/inference/messages';
import { RequestError } from '../../../src/protocol/envelope';
import { EditorSession } from '../../../src/session/editorSession';
import type { Suggester } from '../../../src/session/editorSession';
import { attachView, fakeMedia } from './sessionHelpers';

const W = 1920,
  H = 1080;
const TEXT =
  '{"id":"v","frames":["0.jpg","1.jpg","2.jpg","3.jpg","4.jpg"],"reasoning":"the [mug] on a desk"}\n';
const square = (x: number) =>
  encodeRle(
    fillPolygon(
      emptyMask(W, H),
      [
        [x, 400],
        [x + 200, 400],
        [x + 200, 600],
        [x, 600],
      ],
      1,
    ),
  );

/**
 * Confident 256x256 low-res logits of a square, stable under SAM's +-1 stability test (the
 * drift checks read it); cell 0, far outside the square, tells which frame made it.
 */
function logits(frame: number): Float32Array {
  const out = new Float32Array(256 * 256).fill(-10);
  for (let y = 100; y < 150; y++) for (let x = 100; x < 150; x++) out[y * 256 + x] = 10;
  out[0] = -100 - frame;
  return out;
}

/** A fake SAM: on frame f the mug is 20 px right of frame f-1; frame 4 scores low. */
function fakeSam(opts: { gate?: Promise<void> } = {}) {
  const embedded: [string, number][] = [];
  const prompted: [number, SegmentPrompt][] = [];
  const suggester: Suggester = {
    enabled: true,
    status: { state: 'ready', message: 'fake' },
    onStatus: () => () => undefined,
    async suggest() {
      throw new RequestError('unsupported', 'not in this test');
    },
    remember() {},
    cycle: () => undefined,
    async segment() {
      throw new RequestError('unsupported', 'not in this test');
    },
    async dispose() {},
    embedFrame(sample: SampleView, frame: number) {
      embedded.push([sample.fields.id, frame]);
      return new Promise(() => undefined); // never done: frame/ensure must not wait for it
    },
    async frameCount() {
      return 5;
    },
    async segmentPrompt(_s: SampleView, frame: number, prompt: SegmentPrompt) {
      prompted.push([frame, prompt]);
      await opts.gate;
      const reply: SegmentedReply = {
        mask: square(500 + 20 * frame),
        score: frame === 4 ? 0.3 : 0.9,
        cached: true,
        timings: { preMs: 0, runMs: 0, postMs: 0 },
        lowResMask: logits(frame),
      };
      return { modelId: 'fake-sam', reply };
    },
  };
  return { suggester, embedded, prompted };
}

function session(suggester: Suggester): EditorSession {
  return new EditorSession({
    path: '/tmp/none.cop.jsonl',
    doc: splitLines(TEXT),
    mode: 'serve',
    media: fakeMedia,
    log: () => undefined,
    suggestions: suggester,
  });
}

function mug(s: EditorSession): EntityState {
  const v = readSample(s.doc.lines[0]!.raw, 0);
  if (isProblem(v)) throw new Error(v.message);
  return v.state.entities[0]!;
}

const seedOp = (frame: number, x: number) => ({
  type: 'document/op/apply',
  op: { type: 'mask/set', line: 0, id: 'v', entity: 0, frame, mask: square(x), source: 'human' },
  label: 'brush',
});

test('a frame shown now starts its embedding in the background; the frame reply does not wait', async () => {
  const sam = fakeSam();
  const s = session(sam.suggester);
  const v = attachView(s);
  v.send({ type: 'frame/ensure', line: 0, index: 2, priority: 'now' }, 1);
  assert.equal(((await v.replyTo(1)).body as { type: string }).type, 'reply/ok');
  v.send({ type: 'frame/ensure', line: 0, index: 3, priority: 'soon' }, 2);
  await v.replyTo(2);
  assert.deepEqual(sam.embedded, [['v', 2]], 'only the frame shown now, not prefetches');
});

test('mask/propagate fills the sampled frames both ways, stops on a low score, one undo step', async () => {
  const sam = fakeSam();
  const s = session(sam.suggester);
  const v = attachView(s);
  v.send(seedOp(2, 540), 1);
  await v.replyTo(1);
  v.send({ type: 'mask/propagate', line: 0, entity: 0, frame: 2, direction: 'both' }, 2);
  const reply = (await v.replyTo(2)).body as { type: string; result: Record<string, unknown> };
  assert.equal(reply.type, 'reply/ok', JSON.stringify(reply));
  const out = reply.result as {
    frames: { frame: number }[];
    forward: { frame: number; reason: string };
    backward: { frame: number; reason: string };
    applied: boolean;
  };
  assert.deepEqual(
    out.frames.map((f) => f.frame),
    [1, 0, 3],
  );
  assert.match(out.forward.reason, /predicted IoU 0.30/);
  assert.equal(out.forward.frame, 4);
  assert.deepEqual(out.backward, { frame: -1, reason: 'end of the frame list' });
  const e = mug(s);
  assert.deepEqual(
    e.track?.map((t) => [t.frame, t.source, t.score]),
    [
      [0, 'model:fake-sam', 0.9],
      [1, 'model:fake-sam', 0.9],
      [3, 'model:fake-sam', 0.9],
    ],
  );
  // The seed's prompt: its box and a point inside; later frames get the previous low-res mask.
  const [seedFrame, seedPrompt] = sam.prompted[0]!;
  assert.equal(seedFrame, 2);
  assert.deepEqual(seedPrompt.box, [540, 400, 740, 600]);
  const third = sam.prompted.find(([f]) => f === 4)![1];
  assert.equal(third.maskInput?.[0], -103, "frame 3's low-res mask refines frame 4's");
  const progress = v.sent
    .map((m) => m.body as { type: string; frame?: number })
    .filter((b) => b.type === 'mask/propagate/didProgress');
  assert.deepEqual(
    progress.map((p) => p.frame),
    [3, 1, 0],
  );
  await s.requestUndo();
  assert.equal(mug(s).track, undefined, 'one undo step takes the whole track back');
});

test('a frame a person corrected is never overwritten; a cancelled run stores nothing', async () => {
  const sam = fakeSam();
  const s = session(sam.suggester);
  const v = attachView(s);
  v.send(seedOp(1, 520), 1);
  await v.replyTo(1);
  v.send(seedOp(3, 560), 2);
  await v.replyTo(2);
  v.send({ type: 'mask/propagate', line: 0, entity: 0, frame: 1, direction: 'forward' }, 3);
  const out = ((await v.replyTo(3)).body as { result: { frames: unknown[]; forward: object } })
    .result;
  assert.deepEqual(out.frames, [{ frame: 2, score: 0.9 }]);
  assert.match(JSON.stringify(out.forward), /frame 3 holds a person's mask/);
  let open!: () => void;
  const gated = fakeSam({ gate: new Promise((r) => (open = r)) });
  const s2 = session(gated.suggester);
  const v2 = attachView(s2);
  v2.send(seedOp(0, 500), 1);
  await v2.replyTo(1);
  v2.send({ type: 'mask/propagate', line: 0, entity: 0, frame: 0, direction: 'forward' }, 2);
  await new Promise((r) => setTimeout(r, 20));
  v2.send({ type: 'request/cancel', requestId: 2 });
  open();
  const body = (await v2.replyTo(2)).body as { type: string; code?: string };
  assert.equal(body.type, 'reply/error');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(mug(s2).track, undefined, 'nothing stored');
  assert.equal(s2.state.dirty, true, 'only the seed stroke changed the file');
});
