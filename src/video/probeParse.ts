/** Turns ffprobe's JSON listing into the probe index; pure, so tests feed it listings directly. */
import { VideoError } from './videoError';

/** Everything the video layer knows about one video's frames, cached as `probe.json`. */
export interface ProbeIndex {
  /** Cache layout version of this record. */
  readonly layout: 3;
  /**
   * How the decode pass names frames: by `pts` (normal), or by decode-output number `n`
   * for raw streams whose packets carry no timestamps (pts are then synthesised as n
   * frame durations, and passes decode from the start since such files cannot seek).
   */
  readonly selectBy: 'pts' | 'n';
  /** Content hash of the file (contentHash.ts); the cache key. */
  readonly hash: string;
  readonly codec: string;
  readonly formatName: string;
  /** Stream time base as [num, den]; `pts` values are in these units. */
  readonly timeBase: readonly [number, number];
  /** Every frame's presentation timestamp, sorted ascending; frame n of the video is pts[n]. */
  readonly pts: readonly number[];
  /** Indices into `pts` of the key frames, ascending. */
  readonly keyFrames: readonly number[];
  /** Seconds of the first frame (pts[0] in seconds); may be non-zero. */
  readonly start: number;
  /** Container start time in seconds, which ffmpeg's `-ss` counts from. */
  readonly formatStart: number;
  /** Seconds from the first frame to the end of the last one. */
  readonly duration: number;
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** Display rotation in degrees as ffprobe reports it, normalised to 0, 90, 180 or 270. */
  readonly rotation: number;
  /** Displayed (rotation-applied) size: what decoded frames and JPEGs have. */
  readonly width: number;
  readonly height: number;
  /** Average frames per second over the whole video. */
  readonly averageFps: number;
  /** True when frame durations differ by more than timestamp rounding. */
  readonly variableRate: boolean;
  /** What the container says: stream (else format) duration in seconds, when it says. */
  readonly declaredDuration?: number;
  /** What the container says: the stream's frame count, when it says. */
  readonly declaredFrames?: number;
  /** Problems that did not stop probing (e.g. frames cut off by a truncated file). */
  readonly warnings: readonly string[];
}

interface RawPacket {
  pts?: number;
  flags?: string;
  pos?: string;
  size?: string;
}
interface RawStream {
  codec_name?: string;
  width?: number;
  height?: number;
  time_base?: string;
  r_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}
interface RawProbe {
  streams?: RawStream[];
  packets?: RawPacket[];
  format?: { format_name?: string; start_time?: string; nb_streams?: number; duration?: string };
}

// A truncated file keeps its header: these are what the whole file promised (truncation.ts).
function declared(
  stream: RawStream,
  formatDuration: string | undefined,
): { declaredDuration?: number; declaredFrames?: number } {
  const seconds = Number(stream.duration ?? formatDuration);
  const frames = Number(stream.nb_frames);
  return {
    ...(Number.isFinite(seconds) && seconds > 0 ? { declaredDuration: seconds } : {}),
    ...(Number.isInteger(frames) && frames > 0 ? { declaredFrames: frames } : {}),
  };
}

function ratio(s: string | undefined): [number, number] | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(s ?? '');
  return m && Number(m[2]) > 0 ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Whether sorted pts deltas vary beyond a tick of rounding (so CFR with jitter stays CFR). */
export function isVariableRate(pts: readonly number[]): boolean {
  if (pts.length < 3) return false;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 1; i < pts.length; i++) {
    const d = (pts[i] as number) - (pts[i - 1] as number);
    if (d < min) min = d;
    if (d > max) max = d;
  }
  return max - min > 1 + 0.002 * max;
}

/** Builds the index (without its hash); throws VideoError for files with no video. */
export function parseProbeJson(
  json: unknown,
  path: string,
  fileSize: number,
  stderr = '',
): Omit<ProbeIndex, 'hash'> {
  const raw = json as RawProbe;
  const stream = raw.streams?.[0];
  if (!stream) {
    const n = raw.format?.nb_streams ?? 0;
    throw new VideoError(
      'no-video',
      n > 0
        ? `No video stream in ${path} (it has ${n} other stream${n > 1 ? 's' : ''}, e.g. audio only)`
        : `No video stream in ${path}`,
      path,
    );
  }
  const streamTb = ratio(stream.time_base);
  if (!streamTb || !stream.width || !stream.height)
    throw new VideoError(
      'unreadable',
      `Cannot read video ${path}: ffprobe reports no frame size or time base`,
      path,
    );
  const listed = raw.packets ?? [];
  // A file cut mid-packet: the demuxer hands over the stub it could read (and says
  // "partial file"); that stub does not decode, so it is not a frame.
  const partial = /partial file/i.test(stderr);
  let lastPos = -1;
  if (partial)
    for (const p of listed)
      if (p.pos !== undefined && Number(p.pos) > lastPos) lastPos = Number(p.pos);
  const entries: { pts: number; key: boolean }[] = [];
  let cut = 0;
  const warnings: string[] = [];
  let selectBy: 'pts' | 'n' = 'pts';
  let tb: [number, number] = streamTb;
  if (listed.some((p) => p.pts === undefined && !p.flags?.includes('D'))) {
    // Raw elementary streams: frames are numbered, and timed at the nominal rate as ffmpeg does.
    selectBy = 'n';
    const rate = ratio(stream.r_frame_rate);
    tb = rate && rate[0] > 0 ? [rate[1], rate[0]] : [1, 25];
    if (!rate || rate[0] === 0)
      warnings.push(`${path} has no timestamps and no frame rate; assuming 25 fps`);
  }
  for (const p of listed) {
    if (p.flags?.includes('D')) continue; // marked discard (e.g. before an edit list start)
    // A packet that ends past the end of the file is a promise the truncated file cannot keep.
    if (
      p.pos !== undefined &&
      p.size !== undefined &&
      (Number(p.pos) + Number(p.size) > fileSize || (partial && Number(p.pos) === lastPos))
    ) {
      cut++;
      continue;
    }
    entries.push({
      pts: selectBy === 'n' ? entries.length : (p.pts as number),
      key: p.flags?.includes('K') === true,
    });
  }
  if (entries.length === 0)
    throw new VideoError(
      'no-frames',
      `No frames in ${path}${cut ? ` (the file is truncated: all ${cut} frames lie past its end)` : ''}`,
      path,
    );
  entries.sort((a, b) => a.pts - b.pts);
  const pts = entries.map((e) => e.pts);
  const keyFrames: number[] = [];
  entries.forEach((e, i) => {
    if (e.key) keyFrames.push(i);
  });
  const rotRaw =
    stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation ??
    Number(stream.tags?.rotate ?? 0);
  const rotation =
    (((Math.round((Number.isFinite(rotRaw) ? rotRaw : 0) / 90) * 90) % 360) + 360) % 360;
  const swap = rotation === 90 || rotation === 270;
  const secs = (t: number): number => (t * tb[0]) / tb[1];
  const first = pts[0] as number;
  const last = pts[pts.length - 1] as number;
  const lastDelta = pts.length > 1 ? last - (pts[pts.length - 2] as number) : 0;
  const span = secs(last - first);
  if (cut || partial)
    warnings.push(
      `${path} is truncated: ${cut || 'some'} frame${cut === 1 ? '' : 's'} past the end of the file ${cut === 1 ? 'was' : 'were'} dropped`,
    );
  return {
    layout: 3,
    ...declared(stream, raw.format?.duration),
    selectBy,
    codec: stream.codec_name ?? 'unknown',
    formatName: raw.format?.format_name ?? 'unknown',
    timeBase: tb,
    pts,
    keyFrames,
    start: secs(first),
    formatStart: Number(raw.format?.start_time ?? secs(first)) || 0,
    duration: span + secs(lastDelta),
    codedWidth: stream.width,
    codedHeight: stream.height,
    rotation,
    width: swap ? stream.height : stream.width,
    height: swap ? stream.width : stream.height,
    averageFps: pts.length > 1 && span > 0 ? (pts.length - 1) / span : 0,
    variableRate: isVariableRate(pts),
    warnings,
  };
}
