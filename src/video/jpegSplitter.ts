/**
 * Splits a stream of concatenated JPEGs (ffmpeg's `-f mjpeg` output) into whole images.
 * It walks the marker segments rather than searching for FFD9, because header payloads
 * (quantisation tables, comments) may contain that byte pair; inside entropy-coded data
 * 0xFF is always stuffed (FF00) or a restart marker, so there FFD9 really is the end.
 */
export class JpegSplitter {
  private buf: Buffer = Buffer.alloc(0) as Buffer;
  /** Where scanning resumes in `buf`, so a big image arriving in chunks is scanned once. */
  private pos = 2;
  private inScan = false;

  /** Feeds bytes; returns the images completed by them, in order. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      const end = this.findEnd();
      if (end < 0) break;
      out.push(this.buf.subarray(0, end));
      this.buf = this.buf.subarray(end);
      this.pos = 2;
      this.inScan = false;
    }
    return out;
  }

  /** Bytes held that do not form a whole image (non-zero after a stream ends = truncated). */
  get pending(): number {
    return this.buf.length;
  }

  private findEnd(): number {
    const b = this.buf;
    if (b.length < 2) return -1;
    if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error('not a JPEG stream (no SOI marker)');
    let i = this.pos;
    while (!this.inScan) {
      if (i + 4 > b.length) {
        this.pos = i;
        return -1;
      }
      if (b[i] !== 0xff) throw new Error(`bad JPEG marker at byte ${i}`);
      const marker = b[i + 1] as number;
      if (marker === 0xff) {
        i++;
        continue;
      } // fill byte
      if (marker === 0xd9) return i + 2;
      const len = b.readUInt16BE(i + 2);
      if (i + 2 + len > b.length) {
        this.pos = i;
        return -1;
      }
      i += 2 + len;
      if (marker === 0xda) this.inScan = true;
    }
    for (; i + 1 < b.length; i++) {
      // Entropy-coded data is mostly not 0xff: a native search skips it (a byte loop here
      // was most of the splitter's cost, ~0.4 ms per 100 kB).
      i = b.indexOf(0xff, i);
      if (i < 0 || i + 1 >= b.length) {
        i = i < 0 ? b.length - 1 : i;
        break;
      }
      const next = b[i + 1] as number;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
      if (next === 0xd9) return i + 2;
      // Another marker after a scan (progressive JPEGs have several scans): back to headers.
      this.inScan = false;
      this.pos = i;
      return this.findEnd();
    }
    this.pos = i;
    return -1;
  }
}
