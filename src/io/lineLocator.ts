/**
 * Where the batches of a run's input files lie (file, byte offset, size, first line), noted
 * as they stream past, so the id of an earlier line can be read back from the file: the exact
 * check behind the id index's fingerprints (idIndex.ts). One entry per batch (a batch is about
 * 1 MiB), so 2 GB cost ~2000 entries; the last region read is kept, because repeats tend to
 * come in runs (a file concatenated with itself) and then each region is read once.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { LineBatch, LineSource } from './lineReader';

interface Region {
  readonly entry: number;
  readonly text: Buffer;
  /** Start and end (before the ending) of each line in `text`. */
  readonly lines: readonly (readonly [number, number])[];
}

/** The batches of one run's files, addressed by a place: the line's number across every file. */
export class LineLocator {
  private readonly paths: string[] = [];
  private readonly bases: number[] = [];
  // One entry per batch, in place order.
  private readonly firstPlace: number[] = [];
  private readonly fileOf: number[] = [];
  private readonly offsets: number[] = [];
  private readonly sizes: number[] = [];
  private lineCount = 0;
  private cached: Region | undefined;

  /** The batches of `src` (the next file of the run), noted on their way past. */
  async *batches(src: LineSource): AsyncGenerator<LineBatch> {
    const file = this.paths.length;
    this.paths.push(src.path);
    this.bases.push(this.lineCount);
    const base = this.lineCount;
    let offset = src.bom ? 3 : 0;
    for await (const batch of src.batches()) {
      this.firstPlace.push(base + batch.first);
      this.fileOf.push(file);
      this.offsets.push(offset);
      this.sizes.push(batch.bytes);
      offset += batch.bytes;
      this.lineCount = base + batch.first + batch.lines.length;
      yield batch;
    }
  }

  /** The place of line `line` (0-based) of the `file`-th file given to `batches`. */
  place(file: number, line: number): number {
    return (this.bases[file] as number) + line;
  }

  /** The file (its index and path) and 0-based line of a place. */
  where(place: number): { file: number; path: string; line: number } {
    const file = lastAtMost(this.bases, place);
    return {
      file,
      path: this.paths[file] as string,
      line: place - (this.bases[file] as number),
    };
  }

  /** The id on the line at `place`, read back from its file; undefined when it has none. */
  idAt(place: number): string | undefined {
    const entry = lastAtMost(this.firstPlace, place);
    if (entry < 0) return undefined;
    const region = this.region(entry);
    const span = region?.lines[place - (this.firstPlace[entry] as number)];
    if (!region || !span) return undefined;
    try {
      const value: unknown = JSON.parse(region.text.toString('utf8', span[0], span[1]));
      const id = (value as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  }

  private region(entry: number): Region | undefined {
    if (this.cached?.entry === entry) return this.cached;
    const text = Buffer.allocUnsafe(this.sizes[entry] as number);
    let fd: number;
    try {
      fd = openSync(this.paths[this.fileOf[entry] as number] as string, 'r');
    } catch {
      return undefined;
    }
    try {
      let got = 0;
      while (got < text.length) {
        const n = readSync(fd, text, got, text.length - got, (this.offsets[entry] as number) + got);
        if (n === 0) break;
        got += n;
      }
      this.cached = { entry, text: text.subarray(0, got), lines: lineSpans(text, got) };
    } finally {
      closeSync(fd);
    }
    return this.cached;
  }
}

/** Index of the last element of ascending `list` that is <= `value`, or -1. */
function lastAtMost(list: readonly number[], value: number): number {
  let lo = 0,
    hi = list.length - 1,
    found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Lines of `text[0, length)` cut as lineReader cuts them: `\n`, `\r\n` or a lone `\r`. */
function lineSpans(text: Buffer, length: number): [number, number][] {
  const spans: [number, number][] = [];
  const hasCr = text.subarray(0, length).indexOf(0x0d) >= 0;
  let start = 0;
  while (start < length) {
    let lf = text.indexOf(0x0a, start);
    if (lf < 0 || lf >= length) lf = -1;
    let cr = hasCr ? text.indexOf(0x0d, start) : -1;
    if (cr >= length) cr = -1;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      spans.push([start, cr]);
      start = cr + (cr + 1 === lf ? 2 : 1);
    } else if (lf >= 0) {
      spans.push([start, lf]);
      start = lf + 1;
    } else {
      spans.push([start, length]);
      break;
    }
  }
  return spans;
}
