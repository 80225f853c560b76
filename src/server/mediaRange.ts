/**
 * Video over HTTP for `groundwork serve`: a `<video>` element seeks by asking for byte ranges
 * (`Range: bytes=start-end`), and will not seek at all when the server answers 200 without
 * `Accept-Ranges`. One range per request (what media elements send); an unsatisfiable or
 * malformed range gets 416 with the size, never the whole file. The caller has checked that
 * the path lies inside the allowed roots; this file only reads it.
 */
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';

/** Container types the player may stream, by lower-case extension. */
export const VIDEO_TYPES: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.ogv': 'video/ogg',
};

/** The video content type of `path`, or undefined when it is not a video container. */
export function videoType(path: string): string | undefined {
  return VIDEO_TYPES[extname(path).toLowerCase()];
}

/** A parsed `Range` header: inclusive byte offsets, or why it cannot be served. */
export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable'; readonly reason: string };

const SPEC = /^(\d*)-(\d*)$/;

/** Parses a `Range` header against a file of `size` bytes (RFC 9110 section 14). */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return { kind: 'unsatisfiable', reason: `malformed range "${clip(header)}"` };
  const specs = (m[1] as string).split(',').map((s) => s.trim());
  if (specs.length !== 1)
    return { kind: 'unsatisfiable', reason: 'only one range per request is served' };
  const spec = SPEC.exec(specs[0] as string);
  if (!spec || (spec[1] === '' && spec[2] === ''))
    return { kind: 'unsatisfiable', reason: `malformed range "${clip(header)}"` };
  const [first, last] = [spec[1] as string, spec[2] as string];
  if (first === '') {
    // A suffix: the last N bytes (all of a shorter file).
    const length = Number(last);
    if (!Number.isSafeInteger(length) || length === 0 || size === 0)
      return { kind: 'unsatisfiable', reason: `empty suffix range "${clip(header)}"` };
    return { kind: 'range', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end))
    return { kind: 'unsatisfiable', reason: `range too large "${clip(header)}"` };
  if (last !== '' && Number(last) < start)
    return { kind: 'unsatisfiable', reason: `range ends before it starts "${clip(header)}"` };
  if (start >= size)
    return { kind: 'unsatisfiable', reason: `range starts past the end (${size} bytes)` };
  return { kind: 'range', start, end };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Answers a GET or HEAD for the video at `path` (already checked against the roots): 200
 * with `Accept-Ranges` for no range, 206 with `Content-Range` for one, 416 otherwise.
 */
export async function serveVideoRange(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  contentType: string,
): Promise<void> {
  // One open file for the size and the bytes (a file replaced by name in between would not
  // match the length sent).
  const file = await fs.open(path, 'r').catch(() => undefined);
  const st = await file?.stat().catch(() => undefined);
  if (!file || !st?.isFile()) {
    await file?.close();
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  const size = st.size;
  const range = parseRange(req.headers.range, size);
  const common = {
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=3600',
    'x-content-type-options': 'nosniff',
    // A stale cached range of a re-encoded file would splice two files together.
    'last-modified': st.mtime.toUTCString(),
  };
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, {
      ...common,
      'content-type': 'text/plain; charset=utf-8',
      'content-range': `bytes */${size}`,
    });
    await file.close();
    res.end(`range not satisfiable: ${range.reason}`);
    return;
  }
  const [start, end] = range.kind === 'range' ? [range.start, range.end] : [0, size - 1];
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range.kind === 'range' ? 206 : 200, {
    ...common,
    'content-type': contentType,
    'content-length': length,
    ...(range.kind === 'range' ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) {
    await file.close();
    res.end();
    return;
  }
  const stream = file.createReadStream({ start, end });
  // A seeking player drops its request mid-file all the time: close the file with it.
  res.once('close', () => stream.destroy());
  stream.once('error', () => res.destroy());
  stream.pipe(res);
}
