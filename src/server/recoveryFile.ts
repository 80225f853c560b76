/**
 * Crash recovery of serve mode, after VS Code's hot exit: while the document has unsaved
 * edits, its text is kept in a recovery folder (keyed by the dataset's real path), written
 * atomically; a save or a clean exit removes it. The next `serve` of that dataset finds it
 * and offers it (`--recover` / `--discard-recovery`). Beside the text we keep the file's
 * version of every line the recovery changes, so a file edited in between can be merged.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { joinLines, splitLines } from '../core/dataset';
import type { DatasetDoc, DocLine } from '../core/dataset';
import { writeFileAtomic } from '../io/atomicWriter';
import { removeStaleTemps } from '../io/staleTemps';
import { mergeDiskChange } from '../session/diskMerge';
import { changedLines } from '../session/sampleIndex';

/** A recovery exists and no choice was made, or it cannot be used: the message says why. */
export class RecoveryError extends Error {}

/** What the recovery's `.json` file holds next to the recovered text. */
interface RecoveryMeta {
  readonly version: 1;
  readonly dataset: string;
  readonly writtenAt: string;
  readonly pid: number;
  readonly textSha256: string;
  /** The file's version of each line the recovery changed (line index -> line). */
  readonly baseLines: Record<string, DocLine>;
}

/** A recovery found on disk. */
export interface FoundRecovery {
  readonly textPath: string;
  readonly writtenAt: string;
  readonly pid: number;
  readonly doc: DatasetDoc;
  /** The file as the recovered session knew it. */
  readonly base: DatasetDoc;
}

/** The folder recoveries live in: $GROUNDWORK_RECOVERY_DIR, else the XDG state folder. */
export function recoveryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GROUNDWORK_RECOVERY_DIR) return env.GROUNDWORK_RECOVERY_DIR;
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'groundwork', 'recovery');
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The recovery of one dataset: where it lives, and writing, reading and removing it. */
export class RecoveryFile {
  /** The recovered text, a dataset file a person can open or copy by hand. */
  readonly textPath: string;
  private readonly metaPath: string;

  private constructor(
    readonly dataset: string,
    dir: string,
  ) {
    const key = sha256(dataset).slice(0, 24);
    this.textPath = join(dir, `${key}.cop.jsonl`);
    this.metaPath = join(dir, `${key}.json`);
  }

  /** The recovery slot of `datasetPath` (resolved through symlinks, so one file has one slot). */
  static async of(datasetPath: string, dir = recoveryDir()): Promise<RecoveryFile> {
    const real = await fs.realpath(datasetPath).catch(() => datasetPath);
    return new RecoveryFile(real, dir);
  }

  /** Keeps `doc`, which differs from `base` (the file as the session last read it). */
  async write(doc: DatasetDoc, base: DatasetDoc): Promise<void> {
    const text = joinLines(doc);
    const baseLines: Record<string, DocLine> = {};
    for (const l of changedLines(base, doc)) {
      const line = base.lines[l];
      if (line) baseLines[String(l)] = line;
    }
    const meta: RecoveryMeta = {
      version: 1,
      dataset: this.dataset,
      writtenAt: new Date().toISOString(),
      pid: process.pid,
      textSha256: sha256(text),
      baseLines,
    };
    await fs.mkdir(join(this.textPath, '..'), { recursive: true, mode: 0o700 });
    // Text first, then the meta that vouches for it: a crash in between leaves a mismatch
    // that `read` reports, never a meta pointing at the wrong text.
    await writeFileAtomic(this.textPath, text);
    await writeFileAtomic(this.metaPath, JSON.stringify(meta));
  }

  /** The recovery, if one is there; throws with a message when it is unreadable. */
  async read(): Promise<FoundRecovery | undefined> {
    const metaText = await fs.readFile(this.metaPath, 'utf8').catch(missing);
    if (metaText === undefined) return undefined;
    const text = await fs.readFile(this.textPath, 'utf8').catch(missing);
    const meta = JSON.parse(metaText) as RecoveryMeta;
    if (text === undefined || meta.version !== 1 || sha256(text) !== meta.textSha256)
      throw new RecoveryError(
        `the recovery ${this.textPath} is incomplete (a crash while writing it)`,
      );
    const doc = splitLines(text);
    const lines = doc.lines.slice();
    for (const [at, line] of Object.entries(meta.baseLines)) lines[Number(at)] = line;
    return {
      textPath: this.textPath,
      writtenAt: meta.writtenAt,
      pid: meta.pid,
      doc,
      base: { bom: doc.bom, lines },
    };
  }

  /**
   * Removes temp files of this slot left by a serve killed while writing it (their pid is
   * not running; a live serve's temps stay); returns their paths. They are never read.
   */
  async removeStaleTemps(): Promise<string[]> {
    return [...(await removeStaleTemps(this.textPath)), ...(await removeStaleTemps(this.metaPath))];
  }

  /** Deletes the recovery (after a save, a clean exit, or `--discard-recovery`). */
  async remove(): Promise<void> {
    await fs.rm(this.metaPath, { force: true });
    await fs.rm(this.textPath, { force: true });
  }
}

function missing(e: unknown): undefined {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw e;
}

/**
 * The document to open from `found` and the file as it is now: the recovered edits on top of
 * the file, lines changed on disk since then kept. Throws when both changed the same line.
 */
export function recoveredDocument(found: FoundRecovery, file: DatasetDoc): DatasetDoc {
  const r = mergeDiskChange(found.base, found.doc, file);
  if (r.kind === 'same') return found.doc;
  if (r.kind === 'merged') return r.doc;
  if (r.kind === 'reload') return file;
  throw new RecoveryError(
    `the dataset changed on disk since the recovery was written, on line(s) ${r.lines
      .slice(0, 10)
      .map((l) => l + 1)
      .join(', ')} that the recovery also changed; compare ${found.textPath} by hand, ` +
      'or start with --discard-recovery',
  );
}
