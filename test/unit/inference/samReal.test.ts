import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceEngine } from '../../../src/inference/engine';
import { defaultManifestsDir, findManifest, loadManifests } from '../../../src/inference/manifest';
import { boxIou } from '../../../src/core/mask';
import type { Box } from '../../../src/core/mask';
import { decodeRle } from '../../../src/core/rle';
import { BEDROOM, decodeFrame, missingAssets } from './sharedAssets';

// Frame 0 of bedroom.mp4, measured by hand: the girl in the blue skirt.
const GIRL: Box = [310, 0, 516, 398];
const dir = process.env.GROUNDWORK_MODELS_DIR;

for (const id of ['mobilesam', 'sam2.1-tiny']) {
  const m = findManifest(loadManifests(defaultManifestsDir()), id);
  const missing = !dir
    ? 'GROUNDWORK_MODELS_DIR is not set (real SAM weights are not in the repository)'
    : m.files
        .filter((f) => !existsSync(join(dir, f.name)))
        .map((f) => `${f.name} not in ${dir}`)
        .join(', ') || missingAssets(BEDROOM);
  test(
    `real ${id}: a click on the girl's skirt gives a mask around her`,
    { skip: missing || false },
    async () => {
      const engine = new InferenceEngine({
        manifestsDir: defaultManifestsDir(),
        modelsDir: dir,
        device: 'auto',
        embeddingCacheSize: 2,
      });
      const frame = decodeFrame(BEDROOM, 0, 960, 540);
      const r = await engine.segment(
        id,
        'bedroom#0',
        frame,
        frame,
        { clicks: [{ x: 400, y: 220, positive: true }], box: GIRL },
        5,
      );
      assert.ok(r.box, 'non-empty mask');
      assert.ok(boxIou(r.box, GIRL) >= 0.5, `mask box ${r.box} vs girl ${GIRL}`);
      const mask = decodeRle(r.mask);
      assert.equal(mask.width, 960);
      for (const [x, y] of r.points ?? [])
        assert.equal(mask.data[Math.floor(y) * 960 + Math.floor(x)], 1);
    },
  );
}
