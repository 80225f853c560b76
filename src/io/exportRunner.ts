/**
 * The export run shared by `groundwork export` and the editor's Export command: read the
 * dataset, resolve each sample's frames, validate, write frame images for video samples,
 * write the output JSONL atomically. Refuses on any failing sample unless `allowPartial`.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { exportRecord, skipReason } from '../core/export/formats';
import type { ExportFormat } from '../core/export/formats';
import type { TraceOptions } from '../core/export/trace';
import type { FrameInfo, FrameProvider } from '../core/model';
import { isBlank } from '../core/dataset';
import { isProblem, readSample } from '../core/sample';
import type { SampleView } from '../core/sample';
import { checkGrounding, validateSample } from '../core/validate';
import { AtomicTextWriter } from './atomicWriter';
import { openLines, tidyAfterRead } from './lineReader';
import { copyFileChecked } from './fileCopy';
import { IdIndex } from './idIndex';
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

function posix(p: string): string {
  return p.split(sep).join('/');
}

/** Runs an export, streaming records to a temp file renamed into place only on success. */
export async function runExport(opts: ExportOptions): Promise<ExportResult> {
  const output = resolve(opts.output);
  // Before reading or writing anything: `-o ds.jsonl` once replaced the annotated dataset.
  await checkOutputPath(output, [resolve(opts.dataset)]);
  // Streamed batch by batch: only ids (for repeats) and frame copies stay between lines.
  const src = await openLines(resolve(opts.dataset));
  const datasetDir = dirname(resolve(opts.dataset));
  const outDir = dirname(output);
  const framesDir = resolve(opts.framesDir ?? opts.output.replace(/\.jsonl$/i, '') + '.frames');
  const skipped: { line: number; id?: string; reasons: string[]; omitted?: boolean }[] = [];
  const copies: { from: string; to: string }[] = [];
  const firstLine = new IdIndex();
  let bytesRead = 0;
  // path.relative is costly per image; frames share folders, so relate each folder once.
  const dirs = new Map<string, string>();
  const relativeTo = (p: string): string => {
    const d = dirname(p);
    let r = dirs.get(d);
    if (r === undefined) {
      r = posix(relative(outDir, d));
      dirs.set(d, r);
    }
    return r ? `${r}/${basename(p)}` : basename(p);
  };
  await fs.mkdir(outDir, { recursive: true });
  const out = await AtomicTextWriter.create(output);
  let written = 0;
  try {
    for await (const batch of src.batches()) {
      for (const [k, docLine] of batch.lines.entries()) {
        const line = batch.first + k;
        const raw = docLine.raw;
        if (opts.signal?.aborted) throw new Error('export cancelled');
        if (isBlank(raw)) continue;
        const s = readSample(raw, line, opts);
        if (isProblem(s)) {
          skipped.push({ line, reasons: [`line ${line + 1}: ${s.message}`] });
          continue;
        }
        const reasons = await sampleProblems(s, opts, datasetDir, firstLine);
        if (Array.isArray(reasons)) {
          skipped.push({ line, id: s.fields.id, reasons });
          continue;
        }
        const frames = reasons.frames;
        const isVideo = s.fields.video !== undefined;
        const safeId = s.fields.id.replace(/[^A-Za-z0-9._-]/g, '_');
        const videoFrame = (i: number): string =>
          join(framesDir, safeId, `${String(i).padStart(5, '0')}.jpg`);
        const imagePath = (i: number): string =>
          relativeTo(isVideo ? videoFrame(i) : (frames[i] as FrameInfo).path);
        if (isVideo) frames.forEach((f, i) => copies.push({ from: f.path, to: videoFrame(i) }));
        const rec = exportRecord(opts.format, { sample: s, frames, imagePath }, opts);
        if (rec) {
          await out.write(JSON.stringify(rec) + '\n');
          written++;
        } else {
          const reason = skipReason(opts.format, { sample: s, frames, imagePath }, opts);
          if (reason) skipped.push({ line, id: s.fields.id, reasons: [reason], omitted: true });
        }
      }
      bytesRead += batch.bytes;
      opts.onProgress?.(bytesRead, src.bytes);
    }
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
    await out.abort();
    throw e;
  }
  return { written, skipped, refused: false, output: opts.output };
}

/** The frames of a sample when it may be exported, else the reasons it may not. */
async function sampleProblems(
  s: SampleView,
  opts: ExportOptions,
  datasetDir: string,
  firstLine: IdIndex,
): Promise<string[] | { frames: readonly FrameInfo[] }> {
  const reasons: string[] = [];
  const where = `line ${s.line + 1}, sample "${s.fields.id}"`;
  const prev = firstLine.firstOrAdd(s.fields.id, s.line);
  if (prev !== undefined) reasons.push(`${where}: id repeats line ${prev + 1}`);
  let frames: readonly FrameInfo[];
  try {
    frames = await opts.frames.frames(s.fields, datasetDir, opts.signal);
  } catch (e) {
    reasons.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
    return reasons;
  }
  for (const i of validateSample(
    s,
    { frameCount: frames.length },
    { requireApproved: !opts.allowUnapproved, requireGrounded: !opts.useProposals },
  )) {
    if (i.severity === 'error') reasons.push(i.message);
  }
  if (opts.useProposals) {
    for (const [i, e] of s.state.entities.entries()) {
      if (e.status === 'not_groundable' || e.grounding || !e.proposal) continue;
      for (const p of checkGrounding(e.proposal, { frameCount: frames.length }))
        reasons.push(`${where}, entity ${i} "${e.text}": proposal: ${p.message}`);
    }
  }
  return reasons.length ? reasons : { frames };
}
