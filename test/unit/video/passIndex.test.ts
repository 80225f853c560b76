/**
 * The probe index built from the cold pass's own packet listing (issue 13 item 4) equals
 * ffprobe's on the shared real clips and on generated ones (B-frames, variable rate, a
 * rotation, a start offset); a cold extraction then runs no ffprobe at all (the binary it is
 * given leaves a mark and fails) and writes exactly the sampled frames with an ordinary pass's bytes.
 * A listing that is not trusted (another container, a truncated file) falls back to ffprobe,
 * and nothing the pass wrote under a wrong name stays in the cache.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cacheOutputs } from '../../../src/video/cachePass';
import { coldExtract } from '../../../src/video/coldExtract';
import { startColdPass } from '../../../src/video/coldPass';
import { resolveBinaries } from '../../../src/video/ffmpegBinaries';
import { sampledSourceFrames } from '../../../src/video/frameSampling';
import { clearProbeMemory, probeVideo } from '../../../src/video/probeIndex';
import type { ProbeIndex } from '../../../src/video/probeParse';
import { frameFileName, videoCachePaths } from '../../../src/video/videoCache';
import { truncationOf } from '../../../src/video/truncation';
import { resolveVideoSettings } from '../../../src/video/videoSettings';
import {
  ASSETS,
  assetsSkip,
  ffmpeg,
  indexedSource,
  ordinaryPassBytes,
  tempDir,
} from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
// An ffprobe that leaves a mark when started and fails: a cold extraction must not start it.
const ffprobeMark = join(tmp.dir, 'ffprobe-ran');
const fakeFfprobe = join(tmp.dir, 'fake-ffprobe');
writeFileSync(fakeFfprobe, `#!/bin/sh\necho "$@" >> '${ffprobeMark}'\nexit 1\n`, { mode: 0o755 });
const bins = resolveBinaries();
const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
const generated: [string, () => string][] = [
  [
    'B-frames, key frame every 12',
    () =>
      ffmpeg(
        [...indexedSource(160, 120, 30, 90, 2), ...x264, '-g', '12', '-bf', '2'],
        join(tmp.dir, 'gop12.mp4'),
      ),
  ],
  [
    'variable rate',
    () =>
      ffmpeg(
        [
          ...indexedSource(96, 64, 30, 60, 3),
          ...['-vf', "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", '-vsync', 'vfr', ...x264],
        ],
        join(tmp.dir, 'vfr.mp4'),
      ),
  ],
  [
    'rotated 90 degrees, starting at 1.5 s',
    () =>
      ffmpeg(
        [
          ...indexedSource(128, 96, 25, 50, 4),
          ...x264,
          ...['-metadata:s:v:0', 'rotate=90', '-output_ts_offset', '1.5'],
        ],
        join(tmp.dir, 'rotated.mp4'),
      ),
  ],
];
const real = ['bedroom.mp4', 'blocks.mp4'].map(
  (name) => [`real clip ${name}`, () => join(ASSETS, 'videos', name)] as [string, () => string],
);

/** The listing's index of `video`, from a cold pass alone (no store, nothing written). */
async function listedIndex(video: string): Promise<Omit<ProbeIndex, 'hash'> | undefined> {
  const pass = startColdPass({
    ffmpegPath: bins.ffmpeg.path,
    input: video,
    fps: 2,
    quality: 3,
    thumbWidth: 64,
    listPackets: true,
  });
  const noStore = { put: async () => undefined, close: async () => undefined };
  const r = await pass.finishByListing(
    async () => noStore,
    () => undefined,
  );
  return r.listing.index(video, statSync(video).size);
}

for (const [name, make] of [...generated, ...real]) {
  const skip = name.startsWith('real') ? assetsSkip : false;
  test(`pass index = ffprobe's index: ${name}`, { skip }, async () => {
    const video = make();
    const own = await listedIndex(video);
    assert.ok(own, 'the listing is trusted');
    const { hash, declaredDuration, declaredFrames, ...probed } = await probeVideo(video, {
      ffprobePath: bins.ffprobe.path,
      cacheDir: join(tmp.dir, 'probe'),
    });
    assert.ok(hash);
    // Every field but what the container declares (ffmpeg prints neither the stream's
    // duration nor its frame count; only truncation reads them, and a trusted listing
    // had no partial packet), and those say the same: not truncated.
    assert.deepEqual(own, probed);
    assert.equal(truncationOf({ ...own, hash }, video), undefined);
    assert.equal(
      truncationOf({ ...probed, hash, declaredDuration, declaredFrames }, video),
      undefined,
    );
  });

  test(`cold extraction without ffprobe: ${name}`, { skip }, async () => {
    const video = make();
    const settings = resolveVideoSettings({
      ffmpegPath: bins.ffmpeg.path,
      ffprobePath: fakeFfprobe,
      cacheDir: join(tmp.dir, `cache-${Math.random().toString(36).slice(2)}`),
      thumbWidth: 64,
    });
    clearProbeMemory();
    const cold = await coldExtract(settings, video, 2);
    assert.ok(cold && cold.probedBecause === undefined, cold?.probedBecause);
    assert.equal(existsSync(ffprobeMark), false, 'ffprobe was not started');
    const wanted = [...new Set(sampledSourceFrames(cold.index, 2))];
    assert.deepEqual(
      [...cold.delivered].sort((a, b) => a - b),
      wanted,
    );
    const paths = videoCachePaths(settings.cacheDir, cold.index.hash, settings.quality, 64);
    assert.deepEqual(readdirSync(paths.jpegDir).sort(), wanted.map(frameFileName).sort());
    const outputs = cacheOutputs(cold.index.width, cold.index.height, settings.quality, 64);
    for (const f of [wanted[0], wanted[wanted.length - 1]] as number[]) {
      const plain = await ordinaryPassBytes(bins.ffmpeg.path, video, cold.index, outputs, f);
      assert.ok(readFileSync(join(paths.jpegDir, frameFileName(f))).equals(plain?.[0] as Buffer));
      assert.ok(readFileSync(join(paths.thumbDir, frameFileName(f))).equals(plain?.[1] as Buffer));
    }
  });
}

test('an untrusted listing falls back to ffprobe; no misnamed frame stays', async () => {
  const mkv = ffmpeg(
    [...indexedSource(96, 64, 30, 45, 3), ...x264, '-bf', '2'],
    join(tmp.dir, 'clip.mkv'),
  );
  const whole = readFileSync(
    ffmpeg(
      [...indexedSource(160, 120, 30, 120, 2), ...x264, '-g', '1', '-movflags', '+faststart'],
      join(tmp.dir, 'whole.mp4'),
    ),
  );
  const cut = join(tmp.dir, 'cut.mp4');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  for (const [video, reason] of [
    [mkv, /container matroska/],
    [cut, /Packet corrupt|partial file|ffmpeg said/],
  ] as const) {
    const settings = resolveVideoSettings({
      ffmpegPath: bins.ffmpeg.path,
      ffprobePath: bins.ffprobe.path,
      cacheDir: join(tmp.dir, `cache-${Math.random().toString(36).slice(2)}`),
      thumbWidth: 64,
    });
    clearProbeMemory();
    const cold = await coldExtract(settings, video, 2);
    assert.match(cold?.probedBecause ?? '', reason);
    const index = cold?.index as ProbeIndex;
    const paths = videoCachePaths(settings.cacheDir, index.hash, settings.quality, 64);
    const sampled = new Set(sampledSourceFrames(index, 2));
    const names = existsSync(paths.jpegDir) ? readdirSync(paths.jpegDir) : [];
    // Whatever is cached is a sampled frame by ffprobe's index, with an ordinary pass's bytes.
    const outputs = cacheOutputs(index.width, index.height, settings.quality, 64);
    for (const f of cold?.delivered ?? []) {
      assert.ok(sampled.has(f));
      const plain = await ordinaryPassBytes(bins.ffmpeg.path, video, index, outputs, f);
      assert.ok(readFileSync(join(paths.jpegDir, frameFileName(f))).equals(plain?.[0] as Buffer));
    }
    assert.equal(names.length, cold?.delivered.size);
    // The cut file's frames before the cut were written during the pass and kept.
    if (video === cut) assert.ok((cold?.delivered.size ?? 0) > 0);
  }
});
