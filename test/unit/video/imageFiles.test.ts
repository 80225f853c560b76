/** Image headers (JPEG, PNG, EXIF orientation), RGB decode of images, and the JPEG splitter. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { orientationFilter, readImageHeader } from '../../../src/video/imageHeader';
import { JpegSplitter } from '../../../src/video/jpegSplitter';
import { readImageRgb } from '../../../src/video/rawFrames';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';
import { ASSETS, assetsSkip, ffmpeg, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const V = (n: string): string => join(tmp.dir, n);

/** A 40x20 JPEG, left half white, right half black. */
const jpeg = ffmpeg(
  [
    '-f',
    'lavfi',
    '-i',
    "color=c=black:s=40x20,format=yuv444p,geq=lum='if(lt(X,20),235,16)':cb=128:cr=128",
    '-frames:v',
    '1',
    '-q:v',
    '2',
  ],
  V('half.jpg'),
);

/** The same JPEG with an EXIF APP1 segment saying orientation `o`. */
function withOrientation(o: number): Buffer {
  const b = readFileSync(jpeg);
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    42,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    o,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const seg = Buffer.concat([
    Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
    payload,
  ]);
  return Buffer.concat([b.subarray(0, 2), seg, b.subarray(2)]);
}

test('JPEG and PNG headers give the size without decoding', async () => {
  assert.deepEqual(await readImageHeader(jpeg), {
    format: 'jpeg',
    storedWidth: 40,
    storedHeight: 20,
    orientation: 1,
    width: 40,
    height: 20,
  });
  const png = ffmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      'color=c=red:s=64x64',
      '-vf',
      'scale=31:17',
      '-pix_fmt',
      'rgb24',
      '-frames:v',
      '1',
    ],
    V('red.png'),
  );
  const h = await readImageHeader(png);
  assert.deepEqual([h.format, h.width, h.height], ['png', 31, 17]);
  writeFileSync(V('fake.jpg'), 'not an image');
  await assert.rejects(
    readImageHeader(V('fake.jpg')),
    /Not a JPEG or PNG image \(or its header is damaged\): .*fake\.jpg/,
  );
  await assert.rejects(readImageHeader(V('none.jpg')), /Image not found: .*none\.jpg/);
});

test('EXIF orientation 6 swaps the displayed size and readImageRgb rotates like a browser', async () => {
  writeFileSync(V('rot6.jpg'), withOrientation(6));
  const h = await readImageHeader(V('rot6.jpg'));
  assert.deepEqual([h.orientation, h.width, h.height], [6, 20, 40]);
  assert.equal(orientationFilter(6), 'transpose=1');
  const rgb = await readImageRgb(V('rot6.jpg'));
  assert.deepEqual([rgb.width, rgb.height, rgb.data.length], [20, 40, 20 * 40 * 3]);
  // Rotated 90 degrees clockwise: the white left half is now the top half.
  const px = (x: number, y: number): number => rgb.data[(y * 20 + x) * 3] as number;
  assert.ok(px(10, 5) > 200 && px(10, 35) < 50, `top ${px(10, 5)} bottom ${px(10, 35)}`);
  const small = await readImageRgb(jpeg, { width: 4, height: 2 });
  assert.equal(small.data.length, 4 * 2 * 3);
});

test('frame-list samples go through the same provider', { skip: assetsSkip }, async () => {
  const p = new VideoFrameProvider({ cacheDir: V('cache') });
  const sample = {
    id: 'rb',
    frames: ['../frames/rb_object_location/00000.jpg', '../frames/rb_area_location/frame_005.jpg'],
    reasoning: '',
  };
  const list = await p.frames(sample, join(ASSETS, 'datasets'));
  assert.deepEqual(
    list.map((f) => [f.index, f.width, f.height]),
    [
      [0, 1920, 1080],
      [1, 720, 480],
    ],
  );
  assert.equal(list[0]?.path, join(ASSETS, 'frames', 'rb_object_location', '00000.jpg'));
  assert.equal(
    await p.ensureFrame(sample, join(ASSETS, 'datasets'), 1),
    join(ASSETS, 'frames', 'rb_area_location', 'frame_005.jpg'),
  );
  const scores = await p.sharpness(sample, join(ASSETS, 'datasets'));
  assert.equal(scores.length, 2);
  for (const s of scores) assert.ok(typeof s === 'number' && s > 0);
  assert.deepEqual(await p.sharpness(sample, join(ASSETS, 'datasets')), scores, 'cached');
});

test('the JPEG splitter cuts a concatenated stream into whole images, whatever the chunking', () => {
  const one = readFileSync(jpeg);
  const two = withOrientation(3);
  const stream = Buffer.concat([one, two, one]);
  for (const chunk of [1, 7, 100, stream.length]) {
    const s = new JpegSplitter();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += chunk)
      out.push(...s.push(stream.subarray(i, i + chunk)));
    assert.deepEqual(
      out.map((b) => b.length),
      [one.length, two.length, one.length],
      `chunk ${chunk}`,
    );
    assert.ok(out[1]?.equals(two));
    assert.equal(s.pending, 0);
  }
  assert.throws(() => new JpegSplitter().push(Buffer.from('hello')), /not a JPEG stream/);
});
