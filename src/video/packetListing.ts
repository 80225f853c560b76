/**
 * The probe index built from the decoding pass itself (issue 13 item 4): a cold pass also
 * stream-copies the video's packets into ffmpeg's `framecrc` muxer on a pipe, which prints
 * each packet's dts, pts, size and flags exactly as the demuxer read them (-copyts: no
 * offsets, no wrap or discontinuity fixes), and ffmpeg's banner names the container, its
 * start and the rotation. That is the listing ffprobe would print, from the same
 * libavformat, without a second process start-up (~0.12 CPU-s, all of ffprobe's cost on a
 * short clip). It is trusted only when nothing looked odd: a mov/mp4 container, one video
 * stream, a `1/N` time base equal to the banner's tbn, no warning or error line, dts in order
 * and never past pts; anything else is left to ffprobe (`trusted` false), and the caller
 * checks what the pass wrote against ffprobe's index.
 */
import { parseProbeJson } from './probeParse';
import type { ProbeIndex } from './probeParse';

// Warnings about our own outputs, not the file: the JPEG encoder's scaler (full-range
// pixel formats), filters, and -vsync (kept for older ffmpeg builds).
const BENIGN = /^\[(swscaler|mjpeg|Parsed_|graph)|-vsync is deprecated/;

/** Header facts and packets read so far; `sortedPts` is the index's pts list in the making. */
export class PacketListing {
  private readonly sorted: number[] = [];
  private readonly packets: { pts: number; flags: string; size: string }[] = [];
  private header: { tbNum?: number; tbDen?: number; codec?: string; w?: number; h?: number } = {};
  private banner = {
    format: undefined as string | undefined,
    start: undefined as number | undefined,
    videoStreams: 0,
    tbn: undefined as number | undefined,
    rotation: undefined as number | undefined,
    rotateTag: undefined as string | undefined,
    inFirstVideo: false,
    inInput: false,
  };
  private maxDts = -Infinity;
  private ended = false;
  /** The first reason the listing cannot stand for ffprobe's, if any. */
  doubt: string | undefined;

  /** One stderr line of the pass, printed with `-loglevel level+info`. */
  stderrLine(line: string): void {
    if (/\[(warning|error|fatal|panic)\]/.test(line) && !BENIGN.test(line)) {
      this.doubt ??= `ffmpeg said: ${line.trim()}`;
      return;
    }
    const b = this.banner;
    const input = /^\[info\] Input #0, (.+), from '/.exec(line);
    if (input) {
      b.inInput = true;
      b.format = input[1];
      // Known before the first frame: other containers never name a frame by this listing.
      if (!b.format?.startsWith('mov,mp4')) this.doubt ??= `container ${b.format ?? 'unknown'}`;
    }
    const dur =
      /^\[info\]\s+Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)(?:, start: (-?\d+\.\d+))?/.exec(line);
    if (dur?.[4] !== undefined) b.start = Number(dur[4]);
    // The outputs' streams are listed too, after the input's.
    if (/^\[info\] (Output #|Stream mapping)/.test(line)) b.inInput = b.inFirstVideo = false;
    if (!b.inInput) return;
    const stream = /^\[info\]\s+Stream #0:\d+\S*: (\w+):/.exec(line);
    if (stream) {
      const video = stream[1] === 'Video' && !/\(attached pic\)/.test(line);
      if (video && b.videoStreams++ === 0) {
        b.inFirstVideo = true;
        const tbn = /(\d+(?:\.\d+)?)(k?) tbn/.exec(line);
        if (tbn) b.tbn = Number(tbn[1]) * (tbn[2] ? 1000 : 1);
      } else b.inFirstVideo = false;
      return;
    }
    // Side data and metadata lines follow their stream's line, indented deeper.
    if (b.inFirstVideo && /^\[info\] {0,3}\S/.test(line)) b.inFirstVideo = false;
    if (!b.inFirstVideo) return;
    const rot = /displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees/.exec(line);
    if (rot) b.rotation = Number(rot[1]);
    const tag = /^\[info\]\s+rotate\s+: (-?\d+)/.exec(line);
    if (tag) b.rotateTag = tag[1];
  }

  /** One line of the framecrc output. */
  listingLine(line: string): void {
    if (line.startsWith('#')) {
      const tb = /^#tb 0: (\d+)\/(\d+)/.exec(line);
      if (tb) [this.header.tbNum, this.header.tbDen] = [Number(tb[1]), Number(tb[2])];
      const codec = /^#codec_id 0: (\S+)/.exec(line);
      if (codec) this.header.codec = codec[1];
      const dims = /^#dimensions 0: (\d+)x(\d+)/.exec(line);
      if (dims) [this.header.w, this.header.h] = [Number(dims[1]), Number(dims[2])];
      return;
    }
    const m =
      /^0,\s*(-?\d+),\s*(-?\d+),\s*-?\d+,\s*(\d+),\s*0x[0-9a-f]+(?:, F=0x([0-9A-F]+))?/.exec(line);
    if (!m) {
      if (line.trim()) this.doubt ??= `unread listing line: ${line}`;
      return;
    }
    const [dts, pts] = [Number(m[1]), Number(m[2])];
    const flags = m[4] === undefined ? 1 : parseInt(m[4], 16);
    // A timestamp that is not a safe integer (NOPTS prints as -2^63) is not an mp4's.
    if (!Number.isSafeInteger(dts) || !Number.isSafeInteger(pts)) this.doubt ??= 'no timestamps';
    // Every packet's pts >= its dts and dts in order: then once a dts past t is listed, every
    // pts <= t is (what `settled` relies on).
    if (pts < dts || dts < this.maxDts) this.doubt ??= `packet order (dts ${dts}, pts ${pts})`;
    this.maxDts = Math.max(this.maxDts, dts);
    const discard = (flags & 4) !== 0;
    this.packets.push({
      pts,
      flags: `${flags & 1 ? 'K' : '_'}${discard ? 'D' : '_'}${flags & 2 ? 'C' : ''}`,
      size: m[3] as string,
    });
    if (discard) return;
    // Packets come in dts order, so pts arrive nearly sorted: insert from the end.
    let i = this.sorted.length;
    while (i > 0 && (this.sorted[i - 1] as number) > pts) i--;
    this.sorted.splice(i, 0, pts);
  }

  /** The listing is complete (ffmpeg exited). */
  end(): void {
    this.ended = true;
  }

  /** Displayed size once the header and the banner are read (rotation applied). */
  displayedSize(): { width: number; height: number } | undefined {
    const { w, h } = this.header;
    if (w === undefined || h === undefined || this.banner.format === undefined) return undefined;
    const turn = (Math.round(this.rotationRaw() / 90) * 90) % 180 !== 0;
    return turn ? { width: h, height: w } : { width: w, height: h };
  }

  /** Whether every packet with pts <= `pts` is listed. */
  settled(pts: number): boolean {
    return this.ended || this.maxDts > pts;
  }

  /** The pts listed so far, ascending (discarded packets left out, as in the index). */
  get sortedPts(): readonly number[] {
    return this.sorted;
  }

  /** The time base, once the listing's header is read. */
  get timeBase(): readonly [number, number] | undefined {
    const { tbNum, tbDen } = this.header;
    return tbNum && tbDen ? [tbNum, tbDen] : undefined;
  }

  private rotationRaw(): number {
    return this.banner.rotation ?? Number(this.banner.rotateTag ?? 0);
  }

  /** Why the finished listing cannot stand for ffprobe's, or undefined when it can. */
  distrust(): string | undefined {
    const b = this.banner;
    const h = this.header;
    if (this.doubt) return this.doubt;
    if (!this.ended) return 'the pass did not finish';
    if (!b.format?.startsWith('mov,mp4')) return `container ${b.format ?? 'unknown'}`;
    if (b.videoStreams !== 1) return `${b.videoStreams} video streams`;
    if (h.tbNum !== 1 || h.tbDen === undefined || b.tbn !== h.tbDen) return 'time base';
    if (!h.codec || !h.w || !h.h) return 'no stream header';
    if (this.sorted.length === 0) return 'no packets';
    return undefined;
  }

  /** The probe index (without its hash) as ffprobe's listing would give it, when trusted. */
  index(path: string, fileSize: number): Omit<ProbeIndex, 'hash'> | undefined {
    if (this.distrust() !== undefined) return undefined;
    const b = this.banner;
    const h = this.header;
    const json = {
      streams: [
        {
          codec_name: h.codec,
          width: h.w,
          height: h.h,
          time_base: `${h.tbNum}/${h.tbDen}`,
          ...(b.rotation !== undefined ? { side_data_list: [{ rotation: b.rotation }] } : {}),
          ...(b.rotateTag !== undefined ? { tags: { rotate: b.rotateTag } } : {}),
        },
      ],
      // No durations or frame count: ffmpeg prints the stream's neither (its banner's
      // Duration is the container's, from 0, to 10 ms), and only truncation reads them,
      // while a trusted listing had no partial or corrupt packet: what it lists is the file.
      format: {
        format_name: b.format,
        ...(b.start !== undefined ? { start_time: String(b.start) } : {}),
      },
      packets: this.packets,
    };
    return parseProbeJson(json, path, fileSize);
  }
}
