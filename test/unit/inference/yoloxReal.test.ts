import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceEngine } from '../../../src/inference/engine';
import { defaultManifestsDir } from '../../../src/inference/manifest';
import { boxIou } from '../../../src/core/mask';
import type { Box } from '../../../src/core/mask';
import { matchDetections } from '../../../src/core/suggest/boxMatch';
import { BEDROOM, YOLOX_PATH, decodeFrame, missingAssets } from './sharedAssets';

// Reference boxes measured by hand on frame 0 of bedroom.mp4 (written to PNG and looked at):
// the girl jumping in the blue skirt (hair bun at the top edge, feet at y~398) and the boy
// kneeling on the left (head top y~133, foot at x~145).
const GIRL: Box = [310, 0, 516, 398];
const BOY: Box = [145, 133, 292, 407];

const skip = missingAssets(YOLOX_PATH, BEDROOM);

test(
  'real YOLOX-nano on bedroom.mp4 frame 0: both children are person boxes (IoU >= 0.5)',
  { skip },
  async () => {
    const engine = new InferenceEngine({
      manifestsDir: defaultManifestsDir(),
      modelsDir: mkdtempSync(join(tmpdir(), 'gw-empty-')),
      device: 'cpu',
      embeddingCacheSize: 2,
    });
    const info = await engine.loadInfo('yolox-nano');
    assert.equal(info.integrity, 'verified', 'found through ../shared/models and sha256-checked');
    const frame = decodeFrame(BEDROOM, 0, 960, 540);
    const r = await engine.detect('yolox-nano', frame);
    const people = r.detections.filter((d) => d.label === 'person');
    for (const [name, ref] of [
      ['girl', GIRL],
      ['boy', BOY],
    ] as const) {
      const best = Math.max(...people.map((d) => boxIou(d.box, ref)));
      assert.ok(
        best >= 0.5,
        `${name}: best person IoU ${best.toFixed(2)} (people: ${people.map((p) => p.box.map(Math.round).join(',')).join(' | ')})`,
      );
    }
    // "girl in the blue skirt" must get a person box as its proposal, and the right one.
    const proposal = matchDetections('girl in the blue skirt', r.detections)[0];
    assert.ok(proposal, 'a proposal');
    assert.equal(proposal.detection.label, 'person');
    assert.ok(
      boxIou(proposal.detection.box, GIRL) >= 0.5,
      `proposal ${proposal.detection.box.map(Math.round)} vs girl ${GIRL}`,
    );
    assert.deepEqual(matchDetections('the blue cloth on the bed', r.detections), []);
  },
);
