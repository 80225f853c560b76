/**
 * The JPEG splitter cuts an mjpeg pipe into its images however the bytes arrive: any
 * chunking of a real ffmpeg stream (noise images, so the scans hold many 0xff bytes,
 * stuffed and not) gives back exactly the images ffmpeg wrote one by one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { JpegSplitter } from '../../../src/video/jpegSplitter';
import { FFMPEG } from './videoFixtures';

const source = ['-f', 'lavfi', '-i', 'nullsrc=s=64x48:r=10,geq=random(1)*255:128:128'];
const single = (n: number): Buffer =>
  execFileSync(FFMPEG, [
    ...['-v', 'error', ...source, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1'],
    ...['-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg', 'pipe:1'],
  ]);
const images = [0, 1, 2, 3].map(single);
const stream = Buffer.concat(images);

test('any chunking of an mjpeg stream splits into the images written', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 40 }), (sizes) => {
      const splitter = new JpegSplitter();
      const out: Buffer[] = [];
      let at = 0;
      for (const size of sizes) {
        out.push(...splitter.push(stream.subarray(at, at + size)));
        at = Math.min(stream.length, at + size);
      }
      if (at < stream.length) out.push(...splitter.push(stream.subarray(at)));
      assert.equal(out.length, images.length);
      out.forEach((image, k) => assert.ok(image.equals(images[k] as Buffer), `image ${k}`));
      assert.equal(splitter.pending, 0);
    }),
    { numRuns: 300 },
  );
});
