/**
 * The warm foreground decoder and the cold extraction's early ffmpeg: the same bytes as an
 * ordinary pass, a frame the probe index does not vouch for refused, nothing left running.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { cacheOutputs } from '../../../src/video/cachePass';
import { resolveBinaries } from '../../../src/video/ffmpegBinaries';
import { clearProbeMemory, probeVideo } from '../../../src/video/probeIndex';
import type { ProbeIndex } from '../../../src/video/probeParse';
import { StandbyDecoder, concatShift, standbyTolerance } from '../../../src/video/standbyDecoder';
import { VideoFrameProvider } from '../../../src/video/videoFrameProvider';
import { ffmpeg, indexedSource, ordinaryPassBytes, tempDir } from './videoFixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const bins = resolveBinaries();
// H.264 with B-frames and a key frame every 12 frames: seeks land mid-GOP, pts are reordered.
const video = ffmpeg(
  [
    ...indexedSource(160, 120, 30, 90, 2),
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', '12', '-bf', '2', '-pix_fmt', 'yuv420p'],
  ],
  join(tmp.dir, 'gop12.mp4'),
);

async function index(): Promise<ProbeIndex> {
  return probeVideo(video, { ffprobePath: bins.ffprobe.path, cacheDir: join(tmp.dir, 'probe') });
}

/** Our own ffmpeg children still running (the warm decoders are killed at exit, not before). */
function childFfmpegs(): string[] {
  const out = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)]).toString();
  return out.split('\n').filter((l) => /ffmpeg/.test(l) && !/concat/.test(l));
}

test('concatShift: the inpoint in microseconds and the demuxer shift are within a tick of the pts', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.constantFrom<[number, number]>([1, 15360], [1, 90000], [1001, 30000], [1, 1000], [1, 25]),
      (pts, tb) => {
        const [inpoint, shift] = concatShift(pts, tb);
        assert.ok(inpoint >= 0n);
        const diff = shift - BigInt(pts);
        // Rounding to microseconds moves by at most half a microsecond, in ticks plus one.
        const slack = BigInt(Math.ceil(tb[1] / tb[0] / 2e6)) + 1n;
        assert.ok(diff <= slack && diff >= -slack, `shift ${shift} vs pts ${pts}`);
      },
    ),
  );
});

test('standbyTolerance refuses what the fixed graph cannot tell apart', async () => {
  const ix = await index();
  assert.ok(standbyTolerance(ix) >= 1, 'a plain H.264 file is served warm');
  assert.equal(
    standbyTolerance({ ...ix, rotation: 90 }),
    0,
    'rotated: the concat copy may drop it',
  );
  assert.equal(standbyTolerance({ ...ix, selectBy: 'n' }), 0, 'no timestamps');
  const dup = [...ix.pts];
  dup[5] = dup[4] as number;
  assert.equal(standbyTolerance({ ...ix, pts: dup }), 0, 'two frames on one pts');
});

test('a warm decoder gives the bytes of an ordinary pass, frame by frame, and refuses a wrong index', async () => {
  const ix = await index();
  const outputs = cacheOutputs(ix.width, ix.height, 3, 64);
  const standby = new StandbyDecoder({
    ffmpegPath: bins.ffmpeg.path,
    input: video,
    index: ix,
    outputs,
  });
  const signal = new AbortController().signal;
  assert.equal(await standby.take(40, signal), undefined, 'nothing warm yet: the caller decodes');
  let served = 0;
  for (const frame of [40, 41, 13, 89, 0, 60]) {
    const parts = await standby.take(frame, signal);
    if (!parts) continue;
    served++;
    const plain = await ordinaryPassBytes(bins.ffmpeg.path, video, ix, outputs, frame);
    parts.forEach((p, k) =>
      assert.ok(p.equals(plain?.[k] as Buffer), `frame ${frame} output ${k}`),
    );
  }
  assert.equal(served, 6, 'each take after the first finds a warm decoder');
  // The index says frame 30 sits one tick later than it does: the identity check refuses it.
  const pts = [...ix.pts];
  pts[30] = (pts[30] as number) + 1;
  const wrong = new StandbyDecoder({
    ffmpegPath: bins.ffmpeg.path,
    input: video,
    index: { ...ix, pts },
    outputs,
  });
  wrong.prepare();
  assert.equal(await wrong.take(30, signal), undefined);
  standby.close();
  wrong.close();
});

test('a cold extraction (decoding while ffprobe runs) writes the bytes of a probed one and leaves no process', async () => {
  const sample = { id: 's', video: basename(video), fps: 7, reasoning: '' };
  clearProbeMemory();
  const cold = new VideoFrameProvider({ cacheDir: join(tmp.dir, 'cold') });
  const a = await cold.frames(sample, dirname(video));
  clearProbeMemory();
  const probed = new VideoFrameProvider({ cacheDir: join(tmp.dir, 'probed') });
  await probed.probe(video);
  const b = await probed.frames(sample, dirname(video));
  assert.equal(a.length, b.length);
  a.forEach((f, i) => {
    assert.ok(readFileSync(f.path).equals(readFileSync(b[i]?.path as string)), `frame ${i}`);
    assert.ok(readFileSync(f.thumbPath).equals(readFileSync(b[i]?.thumbPath as string)));
  });
  const missing = { id: 'gone', video: 'no-such.mp4', fps: 2, reasoning: '' };
  await assert.rejects(cold.frames(missing, tmp.dir), /not found/);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(childFfmpegs(), [], 'the early ffmpeg of a failed probe is killed');
});
