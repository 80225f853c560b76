import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestFrame, scoreFrames, sharpness } from '../../../src/core/suggest/frameScore';
import type { PixelImage } from '../../../src/core/suggest/frameScore';

/** A checkerboard, box-blurred `blur` times: sharpness must fall as blur grows. */
function board(blur: number): PixelImage {
  const w = 64,
    h = 48;
  let g = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) g[y * w + x] = ((x >> 2) + (y >> 2)) % 2 ? 255 : 0;
  for (let b = 0; b < blur; b++) {
    const n = new Float64Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let s = 0,
          c = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx,
              yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
              s += g[yy * w + xx] as number;
              c++;
            }
          }
        n[y * w + x] = s / c;
      }
    g = n;
  }
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++)
    data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = Math.round(g[i] as number);
  return { width: w, height: h, channels: 3, data };
}

test('variance of the Laplacian falls with blur; a flat frame is 0', () => {
  const s = [0, 1, 3].map((b) => sharpness(board(b), 1));
  assert.ok((s[0] as number) > (s[1] as number) && (s[1] as number) > (s[2] as number), String(s));
  assert.equal(
    sharpness({ width: 8, height: 8, channels: 1, data: new Uint8Array(64).fill(9) }),
    0,
  );
});

test('without detector evidence the sharpest frame wins', () => {
  assert.equal(bestFrame([{ sharpness: 10 }, { sharpness: 30 }, { sharpness: 20 }]), 1);
  assert.equal(bestFrame([]), -1);
});

test('detector confidence for the entity outweighs a little sharpness', () => {
  const frames = [
    { sharpness: 100, confidence: 0 },
    { sharpness: 80, confidence: 0.9 },
    { sharpness: 10, confidence: 0.95 },
  ];
  assert.equal(bestFrame(frames), 1);
  const scores = scoreFrames(frames);
  assert.equal(scores[0]?.sharpness, 1);
  assert.ok(Math.abs((scores[1]?.score as number) - (0.4 * 0.8 + 0.6 * 0.9)) < 1e-9);
});
