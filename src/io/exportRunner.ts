/**
 * The export run shared by `groundwork export` and the editor's Export command: read the
 * dataset, resolve each sample's frames, validate, write frame images for video samples,
 * write the output JSONL atomically. Refuses on any failing sample unless `allowPartial`.
 * Each line's work is exportLine.ts's, in this thread or in worker threads (exportPool.ts);
 * what needs the lines before it (repeated ids, the order of records and skips) is done here.
 */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ExportFormat } from '../core/export/formats';
import type { TraceOptions } from '../core/export/trace';
import type { FrameProvider } from '../core/model';
import { AtomicTextWriter } from './atomicWriter';
import { LineExporter, packBatch, repeatReason } from './exportLine';
import type { ExportLineSettings, FrameCopy, LineOutcome } from './exportLine';
import type { PackedBatch } from './exportLine';
import { ExportPool } from './exportPool';
import type { WorkerScript } from './exportPool';
import { openLines, tidyAfterRead } from './lineReader';
import type { LineBatch } from './lineReader';
import { copyFileChecked } from './fileCopy';
import { IdIndex } from './idIndex';
import { LineLocator } from './lineLocator';
import { checkOutputPath } from './outputPath';

/** What an export run needs. */
export interface ExportOptions extends TraceOptions {
  readonly dataset: string;
  readonly output: string;
  readonly format: ExportFormat;
  readonly frames: FrameProvider;
  /** Where frame JPEGs of video samples go; default `<output without .jsonl>.frames`. */
  readonly framesDir?: string;
  /** Skip (and report) failing samples instead of refusing the whole export. */
  readonly allowPartial?: boolean;
  /** Export samples that are not approved yet (drafts); entities still need groundings. */
  readonly allowUnapproved?: boolean;
  /** Bytes of the dataset read so far and its size (the line count is unknown while streaming). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /**
   * Work the lines in `jobs` threads (more than 1): this one, with `frames`, and `jobs - 1`
   * workers, each with its own frame provider over `mediaRoots` (a provider cannot cross).
   */
  readonly parallel?: {
    readonly jobs: number;
    readonly script: WorkerScript;
    readonly mediaRoots: readonly string[];
    /** Fewer threads for a small file: at most one per this many bytes (a start costs ~50 ms). */
    readonly minBytesPerJob?: number;
  };
}

/** What an export run did. */
export interface ExportResult {
  readonly written: number;
  readonly skipped: readonly {
    readonly line: number;
    readonly id?: string;
    readonly reasons: readonly string[];
    /** The format has nothing to write for it (rynnec: no masks); reported, never refusing. */
    readonly omitted?: boolean;
  }[];
  /** True when nothing was written because a sample failed and `allowPartial` was off. */
  readonly refused: boolean;
  readonly output: string;
}

/** Runs an export, streaming records to a temp file renamed into place only on success. */
export async function runExport(opts: ExportOptions): Promise<ExportResult> {
  const output = resolve(opts.output);
  // Before reading or writing anything: `-o ds.jsonl` once replaced the annotated dataset.
  await checkOutputPath(output, [resolve(opts.dataset)]);
  // Streamed batch by batch: only ids (for repeats) and frame copies stay between lines.
  const src = await openLines(resolve(opts.dataset));
  const settings: ExportLineSettings = {
    format: opts.format,
    datasetDir: dirname(resolve(opts.dataset)),
    outDir: dirname(output),
    framesDir: resolve(opts.framesDir ?? opts.output.replace(/\.jsonl$/i, '') + '.frames'),
    ...traceOptions(opts),
    ...(opts.allowUnapproved ? { allowUnapproved: true } : {}),
  };
  const framesDir = settings.framesDir;
  const skipped: { line: number; id?: string; reasons: string[]; omitted?: boolean }[] = [];
  const copies: FrameCopy[] = [];
  // Fingerprints of ids, each match checked against the earlier line read back from the file.
  const locator = new LineLocator();
  const firstLine = new IdIndex((place) => locator.idAt(place));
  let bytesRead = 0;
  let written = 0;
  // In input order whichever thread made it: repeats and the order of skips need the past.
  // True when the line's record (if any) is kept.
  const take = (line: number, o: LineOutcome): boolean => {
    if (opts.signal?.aborted) throw new Error('export cancelled');
    if (o.kind === 'blank') return false;
    if (o.kind === 'problem') {
      skipped.push({ line, reasons: [o.reason] });
      return false;
    }
    const prev = firstLine.firstOrAdd(o.id, line);
    const reasons = prev === undefined ? o.reasons : [repeatReason(line, o.id, prev), ...o.reasons];
    if (reasons.length) {
      skipped.push({ line, id: o.id, reasons: [...reasons] });
      return false;
    }
    if (o.copies) for (const c of o.copies) copies.push(c);
    if (o.recordLength !== undefined) {
      written++;
      return true;
    }
    if (o.omitted) skipped.push({ line, id: o.id, reasons: [o.omitted], omitted: true });
    return false;
  };
  await fs.mkdir(settings.outDir, { recursive: true });
  const out = await AtomicTextWriter.create(output);
  const par = opts.parallel;
  const jobs = par
    ? Math.min(par.jobs, par.minBytesPerJob ? Math.floor(src.bytes / par.minBytesPerJob) : par.jobs)
    : 1;
  const exporter = new LineExporter(settings, opts.frames, opts.signal);
  const pool =
    par && jobs > 1
      ? ExportPool.start(jobs, par.script, { settings, mediaRoots: par.mediaRoots }, (b) =>
          workBatch(b, exporter),
        )
      : undefined;
  try {
    const lines = locator.batches(src);
    const batches = pool ? pool.map(lines) : inThread(lines, exporter);
    for await (const batch of batches) {
      // Character ranges of the batch's records that an earlier line's id rules out.
      const dropped: [number, number][] = [];
      let at = 0;
      for (const [k, o] of batch.outcomes.entries()) {
        const kept = take(batch.first + k, o);
        const length = o.kind === 'sample' ? (o.recordLength ?? 0) : 0;
        if (!kept && length) dropped.push([at, at + length]);
        at += length;
      }
      if (dropped.length) await out.write(without(decoder.decode(batch.text), dropped));
      else if (batch.text.length) await out.writeBytes(batch.text);
      bytesRead += batch.bytes;
      opts.onProgress?.(bytesRead, src.bytes);
    }
    await pool?.close();
    await tidyAfterRead(src.path);
    if (skipped.some((k) => !k.omitted) && !opts.allowPartial) {
      await out.abort();
      return { written: 0, skipped, refused: true, output: opts.output };
    }
    // Records first: a full disk then fails before any frame is copied.
    await out.prepare();
    for (const [i, c] of copies.entries()) {
      await fs.mkdir(dirname(c.to), { recursive: true });
      await copyFileChecked(c.from, c.to).catch((e: unknown) => {
        throw new Error(
          `${e instanceof Error ? e.message : String(e)}; export not written (${i} of ${copies.length} frames were copied under ${framesDir})`,
        );
      });
    }
    await out.publish();
  } catch (e) {
    await pool?.close();
    await out.abort();
    throw e;
  }
  return { written, skipped, refused: false, output: opts.output };
}

/** The outcomes of each batch worked in this thread, one line after another. */
async function* inThread(
  batches: AsyncIterable<LineBatch>,
  exporter: LineExporter,
): AsyncGenerator<PackedBatch> {
  for await (const batch of batches) yield await workBatch(batch, exporter);
}

/** One batch's outcomes, worked in this thread. */
async function workBatch(batch: LineBatch, exporter: LineExporter): Promise<PackedBatch> {
  const outcomes: LineOutcome[] = [];
  const records: string[] = [];
  for (const [k, docLine] of batch.lines.entries())
    outcomes.push(await exporter.line(docLine.raw, batch.first + k, records));
  return packBatch(batch.first, batch.bytes, outcomes, records);
}

const decoder = new TextDecoder();

/** `text` without the character ranges `cut` (in order, not overlapping). */
function without(text: string, cut: readonly [number, number][]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of cut) {
    parts.push(text.slice(at, start));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** The trace options of `opts` alone: settings cross to worker threads as plain data. */
function traceOptions(opts: TraceOptions): TraceOptions {
  return {
    ...(opts.keepBrackets ? { keepBrackets: true } : {}),
    ...(opts.interleaveImages ? { interleaveImages: true } : {}),
    ...(opts.useProposals ? { useProposals: true } : {}),
    ...(opts.defaultTask ? { defaultTask: opts.defaultTask } : {}),
  };
}
