/**
 * Crash recovery of serve mode, after VS Code's hot exit: while the document has unsaved
 * edits, a journal of them is kept in a recovery folder (keyed by the dataset's real path),
 * written atomically; a save or a clean exit removes it. The journal holds only the lines
 * that differ from the base (the file as the session last read or saved it), so a write is
 * as big as the change (recoveryJournal.ts). The next `serve` of that dataset finds it and
 * offers it (`--recover` / `--discard-recovery`).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { splitLines } from '../core/dataset';
import type { DatasetDoc, DocLine, Eol } from '../core/dataset';
import { writeFileAtomic } from '../io/atomicWriter';
import { removeStaleTemps } from '../io/staleTemps';
import { changedLines } from '../session/sampleIndex';
import { digestNow, journalOf, replayJournal } from './recoveryJournal';
import type { BaseDigest, JournalChange, RecoveryJournal } from './recoveryJournal';

/** A recovery exists and no choice was made, or it cannot be used: the message says why. */
export class RecoveryError extends Error {}

/** The `.json` of an older build: the whole text, and the file's version of changed lines. */
interface MetaV1 {
  readonly version: 1;
  readonly writtenAt: string;
  readonly pid: number;
  readonly textSha256: string;
  readonly baseLines: Record<string, DocLine>;
}

/** One changed line in the `.json`: the session's line's raw text is the next text line. */
interface MetaChange {
  readonly at: number;
  /** The session's line ending; absent when the session has no line there (it was cut). */
  readonly eol?: Eol;
  /** The session's line, when it cannot be a text line (it holds a line break). */
  readonly raw?: string;
  readonly base?: DocLine;
}

/** The `.json` of a journal: the base it applies to and the lines that differ from it. */
interface MetaV2 {
  readonly version: 2;
  readonly dataset: string;
  readonly writtenAt: string;
  readonly pid: number;
  readonly textSha256: string;
  /** The dataset's mtime when the recovery was written, for a person comparing by hand. */
  readonly datasetMtimeMs?: number;
  readonly base?: RecoveryJournal['base'];
  readonly bom: boolean;
  readonly lines: number;
  readonly changes: readonly MetaChange[];
}

/** A recovery found on disk. */
export interface FoundRecovery {
  readonly textPath: string;
  readonly writtenAt: string;
  readonly pid: number;
  /** The unsaved lines and the base they apply to. */
  readonly journal: RecoveryJournal;
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

  /**
   * Keeps `doc`, which differs from `base` (the file as the session last read or saved it),
   * as the lines that differ; `digest` is the base's (hashed once per base by the keeper).
   */
  async write(doc: DatasetDoc, base: DatasetDoc, digest?: BaseDigest): Promise<void> {
    const journal = journalOf(doc, base, digest ?? digestNow(base));
    let text = '';
    const changes = journal.changes.map((c): MetaChange => {
      const kept = c.base ? { base: c.base } : {};
      if (!c.mine) return { at: c.at, ...kept };
      // A raw line never holds a break (splitLines cut there); one made otherwise goes inline.
      if (/[\r\n]/.test(c.mine.raw)) return { at: c.at, eol: c.mine.eol, raw: c.mine.raw, ...kept };
      text += c.mine.raw + '\n';
      return { at: c.at, eol: c.mine.eol, ...kept };
    });
    const stat = await fs.stat(this.dataset).catch(() => undefined);
    const meta: MetaV2 = {
      version: 2,
      dataset: this.dataset,
      writtenAt: new Date().toISOString(),
      pid: process.pid,
      textSha256: sha256(text),
      ...(stat ? { datasetMtimeMs: stat.mtimeMs } : {}),
      ...(journal.base ? { base: journal.base } : {}),
      bom: journal.bom,
      lines: journal.lines,
      changes,
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
    const meta = JSON.parse(metaText) as MetaV1 | MetaV2;
    const incomplete = new RecoveryError(
      `the recovery ${this.textPath} is incomplete (a crash while writing it)`,
    );
    if (text === undefined || sha256(text) !== meta.textSha256) throw incomplete;
    const journal =
      meta.version === 1
        ? fromWholeText(text, meta)
        : meta.version === 2
          ? fromMeta(text, meta)
          : undefined;
    if (!journal) throw incomplete;
    return { textPath: this.textPath, writtenAt: meta.writtenAt, pid: meta.pid, journal };
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

/** The journal of a `version: 2` meta and its text; undefined when they do not agree. */
function fromMeta(text: string, meta: MetaV2): RecoveryJournal | undefined {
  const raws = text.split('\n');
  let next = 0;
  const changes: JournalChange[] = [];
  for (const c of meta.changes) {
    const kept = c.base ? { base: c.base } : {};
    if (c.eol === undefined) changes.push({ at: c.at, ...kept });
    else {
      const raw = c.raw ?? raws[next++];
      if (raw === undefined) return undefined;
      changes.push({ at: c.at, mine: { raw, eol: c.eol }, ...kept });
    }
  }
  // Every text line is used and the text ends with its last break.
  if (next !== raws.length - 1 || raws[next] !== '') return undefined;
  return { ...(meta.base ? { base: meta.base } : {}), bom: meta.bom, lines: meta.lines, changes };
}

/**
 * The journal of an older build's recovery (the whole text, and the file's version of each
 * changed line): its base is not known as a whole, so it is always merged onto the file.
 */
function fromWholeText(text: string, meta: MetaV1): RecoveryJournal {
  const doc = splitLines(text);
  const lines = doc.lines.slice();
  for (const [at, line] of Object.entries(meta.baseLines)) lines[Number(at)] = line;
  const base = { bom: doc.bom, lines };
  const changes = changedLines(base, doc).map((at) => {
    const mine = doc.lines[at];
    const was = base.lines[at];
    return { at, ...(mine ? { mine } : {}), ...(was ? { base: was } : {}) };
  });
  return { bom: doc.bom, lines: doc.lines.length, changes };
}

/**
 * The document to open from `found` and the file as it is now: the journal replayed onto
 * the file when it is still the base, else the recovered lines on top of the file, lines
 * changed on disk since kept. Throws when both changed the same line.
 */
export function recoveredDocument(found: FoundRecovery, file: DatasetDoc): DatasetDoc {
  const r = replayJournal(found.journal, file);
  if (r.kind !== 'conflict') return r.doc;
  throw new RecoveryError(
    `the dataset changed on disk since the recovery was written, on line(s) ${r.lines
      .slice(0, 10)
      .map((l) => l + 1)
      .join(', ')} that the recovery also changed; compare ${found.textPath} (the recovery's ` +
      'unsaved lines) by hand, or start with --discard-recovery',
  );
}
