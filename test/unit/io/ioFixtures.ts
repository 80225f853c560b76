/** Shared helpers of the io tests: temp folders, a faulty file-system seam, a tmpfs mount. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeWriteFs } from '../../../src/io/writeFs';
import type { WriteFs, WriteHandle } from '../../../src/io/writeFs';

/** A fresh temp folder. */
export function tempFolder(prefix = 'gw-io-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The hidden temp files (ours or not) in a folder. */
export function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

/** An errno-style error, as Node's fs raises them. */
export function errno(code: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected`);
  e.code = code;
  return e;
}

/** How the faulty seam misbehaves. */
export interface Faults {
  /** Throw this errno once this many bytes were written (ENOSPC at a full disk). */
  readonly failAfter?: { readonly bytes: number; readonly code: string };
  /** Accept this many bytes, then report 0 bytes written (a short write). */
  readonly shortAfter?: number;
  /** Report full writes but drop everything past this many bytes (a lying device). */
  readonly dropAfter?: number;
  /** Throw this errno from fsync (EIO on a failing disk). */
  readonly syncError?: string;
  /** Throw this errno from rename. */
  readonly renameError?: string;
}

/** The real file system with the given faults injected into the writer's seam. */
export function faultyFs(faults: Faults): WriteFs {
  return {
    ...nodeWriteFs,
    async open(path, flags, mode) {
      const real = await nodeWriteFs.open(path, flags, mode);
      let written = 0;
      const handle: WriteHandle = {
        async write(buf, offset, length) {
          const f = faults.failAfter;
          if (f && written + length > f.bytes) {
            const room = Math.max(0, f.bytes - written);
            if (room > 0) await real.write(buf, offset, room);
            written += room;
            throw errno(f.code);
          }
          if (faults.shortAfter !== undefined) {
            const room = Math.max(0, faults.shortAfter - written);
            const n = Math.min(room, length);
            if (n > 0) await real.write(buf, offset, n);
            written += n;
            return { bytesWritten: n };
          }
          if (faults.dropAfter !== undefined) {
            const n = Math.min(Math.max(0, faults.dropAfter - written), length);
            if (n > 0) await real.write(buf, offset, n);
            written += length;
            return { bytesWritten: length };
          }
          const r = await real.write(buf, offset, length);
          written += r.bytesWritten;
          return r;
        },
        async sync() {
          if (faults.syncError) throw errno(faults.syncError);
          await real.sync();
        },
        stat: () => real.stat(),
        close: () => real.close(),
      };
      return handle;
    },
    async rename(from, to) {
      if (faults.renameError) throw errno(faults.renameError);
      await nodeWriteFs.rename(from, to);
    },
  };
}

/** A tmpfs of `size` mounted at a fresh folder, or the reason it could not be mounted. */
export function mountTmpfs(size: string): { dir: string; unmount(): void } | string {
  const dir = tempFolder('gw-tmpfs-');
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return `cannot mount a tmpfs here (${msg}); run as root to fill a real file system`;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A dataset text of about `bytes` bytes, each line a valid sample with a distinct id. */
export function datasetText(bytes: number, tag = 'v'): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `{"id": "${tag}-${i}", "frames": [], "reasoning": "sample ${i} of version ${tag} ${'x'.repeat(80)}"}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}
