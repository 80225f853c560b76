/**
 * The streaming dataset reader every command shares: the file is read in 1 MiB chunks and
 * cut into lines byte for byte (each line keeps its own ending, `\n`, `\r\n` or a lone
 * `\r`; the BOM is reported, not lost), so memory stays bounded whatever the file size.
 * The same checks as a whole-file open: regular file only, no NUL byte, strict UTF-8, and a
 * line longer than `maxLineBytes` is refused with a message naming the line.
 */
import { promises as fs } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { DocLine, Eol } from '../core/dataset';
import { InputFileError, checkInputFile } from './inputFile';
import { removeStaleTemps } from './staleTemps';

/** Bytes read per chunk: large enough for few syscalls, small beside the 300 MB budget. */
const CHUNK = 1 << 20;
/** Default longest line: far above any real sample (a few KB), far below memory. */
export const MAX_LINE_BYTES = 64 << 20;

/** A run of consecutive lines; `first` is the 0-based index of the first one in the file. */
export interface LineBatch {
  readonly first: number;
  readonly lines: readonly DocLine[];
  /** Bytes of the file these lines (with their endings) take. */
  readonly bytes: number;
}

/** Options of a streaming read. */
export interface LineReadOptions {
  /** What the file should be, for messages ("a dataset is UTF-8 JSONL text"). */
  readonly what?: string;
  readonly maxLineBytes?: number;
  readonly signal?: AbortSignal;
}

/** An opened file: whether it starts with a BOM, its size, and its lines in batches. */
export interface LineSource {
  readonly path: string;
  readonly bom: boolean;
  readonly bytes: number;
  batches(): AsyncGenerator<LineBatch>;
}

const WHAT = 'a dataset is UTF-8 JSONL text';

/** Opens `path` for streaming; refuses folders, special files and temp files at once. */
export async function openLines(path: string, opts: LineReadOptions = {}): Promise<LineSource> {
  const st = await checkInputFile(path);
  const fh = await fs.open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new InputFileError(`${path}: cannot read (${e.code ?? String(e)})`);
  });
  const head = Buffer.alloc(3);
  const { bytesRead } = await fh.read(head, 0, 3, 0).finally(() => fh.close());
  const bom = bytesRead === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  return {
    path,
    bom,
    bytes: st.size,
    batches: () => readBatches(path, bom ? 3 : 0, opts),
  };
}

/** True when a stream holds no line at all (empty, or a BOM alone). */
export function isEmptySource(src: LineSource): boolean {
  return src.bytes <= (src.bom ? 3 : 0);
}

async function* readBatches(
  path: string,
  start: number,
  opts: LineReadOptions,
): AsyncGenerator<LineBatch> {
  const what = opts.what ?? WHAT;
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const fh = await fs.open(path, 'r');
  let offset = start; // file offset of carry[0]
  let carry: Buffer = Buffer.alloc(0);
  let first = 0;
  // One read buffer for the whole file: lines leave it as strings and the carry is copied,
  // so nothing refers to it when the next read overwrites it (1 MiB of churn less a chunk).
  const chunk = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new Error('cancelled');
      const { bytesRead } = await fh.read(chunk, 0, CHUNK, offset + carry.length);
      const eof = bytesRead === 0;
      const data = carry.length
        ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
        : chunk.subarray(0, bytesRead);
      // A CR at the very end may be the first half of CRLF: keep it until the next chunk.
      let cut = eof ? data.length : lastBreak(data);
      if (!eof && cut === data.length && data[cut - 1] === 0x0d) cut = lastBreak(data, cut - 1);
      if (cut > 0) {
        const region = data.subarray(0, cut);
        checkBytes(region, offset, path, what);
        const lines = splitRegion(region.toString('utf8'), eof);
        for (const [k, l] of lines.entries())
          if (l.raw.length > max / 4 && Buffer.byteLength(l.raw) > max)
            throw tooLong(path, first + k, max);
        if (lines.length) yield { first, lines, bytes: region.length };
        first += lines.length;
      }
      carry = Buffer.from(data.subarray(cut));
      offset += cut;
      if (carry.length > max) throw tooLong(path, first, max);
      if (eof) return;
    }
  } finally {
    await fh.close();
  }
}

/** Index just past the last `\n` or `\r` in `data` before `end`, or 0 when there is none. */
function lastBreak(data: Buffer, end = data.length): number {
  for (let i = end - 1; i >= 0; i--) {
    const b = data[i];
    if (b === 0x0a || b === 0x0d) return i + 1;
  }
  return 0;
}

// Cutting at ASCII CR/LF never splits a UTF-8 sequence, so each region decodes on its own.
function checkBytes(region: Buffer, offset: number, path: string, what: string): void {
  const nul = region.indexOf(0);
  if (nul >= 0)
    throw new InputFileError(
      `${path}: looks binary (a NUL byte at offset ${offset + nul}); ${what}. Nothing was changed.`,
    );
  if (!isUtf8(region))
    throw new InputFileError(`${path}: not valid UTF-8 text; ${what}. Nothing was changed.`);
}

function tooLong(path: string, line: number, max: number): InputFileError {
  return new InputFileError(
    `${path}:${line + 1}: line longer than ${max >= 1 << 20 ? `${Math.round(max / (1 << 20))} MiB` : `${max} bytes`}; a dataset line is one sample (a few KB). Is this a JSONL file? Nothing was changed.`,
  );
}

/** Splits text that ends at a line break (or at end of file) into lines with their endings. */
function splitRegion(text: string, eof: boolean): DocLine[] {
  const lines: DocLine[] = [];
  let start = 0;
  const hasCr = text.indexOf('\r') >= 0;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    const cr = hasCr ? text.indexOf('\r', start) : -1;
    let end: number, eol: Eol;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      end = cr;
      eol = cr + 1 === lf ? '\r\n' : '\r';
    } else if (lf >= 0) {
      end = lf;
      eol = '\n';
    } else {
      if (eof) lines.push({ raw: text.slice(start), eol: '' });
      break;
    }
    lines.push({ raw: text.slice(start, end), eol });
    start = end + eol.length;
  }
  return lines;
}

/** After a complete read: clears temp files a crashed save left beside `path`. */
export async function tidyAfterRead(path: string): Promise<void> {
  await removeStaleTemps(path).catch(() => []);
}
