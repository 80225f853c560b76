/**
 * The export run shared by `groundwork export` and the editor's Export command: read the
 * dataset, resolve each sample's frames, validate, write frame images for video samples,
 * write the output JSONL atomically. Refuses on any failing sample unless `allowPartial`.
 */
import { promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { exportRecord } from '../core/export/formats';
import type { ExportFormat } from '../core/export/formats';
import type { TraceOptions } from '../core/export/trace';
import type { FrameInfo, FrameProvider } from '../core/model';
import { isBlank } from '../core/dataset';
import { isProblem, readSample } from '../core/sample';
import type { SampleView } from '../core/sample';
import { checkGrounding, duplicateIds, validateSample } from '../core/validate';
import type { Issue } from '../core/validate';
import { openDataset, writeFileAtomic } from './datasetFile';

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
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** What an export run did. */
export interface ExportResult {
  readonly written: number;
  readonly skipped: readonly { readonly line: number; readonly id?: string; readonly reasons: readonly string[] }[];
  /** True when nothing was written because a sample failed and `allowPartial` was off. */
  readonly refused: boolean;
  readonly output: string;
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

/** Runs an export; never leaves a half-written output file. */
export async function runExport(opts: ExportOptions): Promise<ExportResult> {
  const doc = await openDataset(opts.dataset);
  const datasetDir = dirname(resolve(opts.dataset));
  const outDir = dirname(resolve(opts.output));
  const framesDir = resolve(opts.framesDir ?? opts.output.replace(/\.jsonl$/i, '') + '.frames');
  const skipped: { line: number; id?: string; reasons: string[] }[] = [];
  const samples: SampleView[] = [];
  doc.lines.forEach((l, line) => {
    if (isBlank(l.raw)) return;
    const s = readSample(l.raw, line);
    if (isProblem(s)) skipped.push({ line, reasons: [`line ${line + 1}: ${s.message}`] });
    else samples.push(s);
  });
  const dup = new Set(duplicateIds(samples).map((i) => i.line));
  const records: string[] = [];
  const copies: { from: string; to: string }[] = [];
  let done = 0;
  for (const s of samples) {
    if (opts.signal?.aborted) throw new Error('export cancelled');
    const reasons: string[] = [];
    if (dup.has(s.line)) reasons.push(`line ${s.line + 1}, sample "${s.fields.id}": id repeats an earlier line`);
    let frames: readonly FrameInfo[] = [];
    try {
      frames = await opts.frames.frames(s.fields, datasetDir, opts.signal);
    } catch (e) {
      reasons.push(`line ${s.line + 1}, sample "${s.fields.id}": ${e instanceof Error ? e.message : String(e)}`);
    }
    if (reasons.length === 0) {
      const issues: Issue[] = validateSample(s, { frameCount: frames.length }, { requireApproved: !opts.allowUnapproved, requireGrounded: !opts.useProposals });
      for (const i of issues) if (i.severity === 'error') reasons.push(i.message);
      for (const [i, e] of s.state.entities.entries()) {
        if (opts.useProposals && e.status !== 'rejected' && !e.grounding && e.proposal) {
          for (const p of checkGrounding(e.proposal, { frameCount: frames.length })) reasons.push(`line ${s.line + 1}, sample "${s.fields.id}", entity ${i} "${e.text}": proposal: ${p.message}`);
        }
      }
    }
    if (reasons.length) {
      skipped.push({ line: s.line, id: s.fields.id, reasons });
    } else {
      const isVideo = s.fields.video !== undefined;
      const safeId = s.fields.id.replace(/[^A-Za-z0-9._-]/g, '_');
      const imagePath = (i: number): string => {
        const f = frames[i] as FrameInfo;
        if (!isVideo) return posix(relative(outDir, f.path));
        return posix(relative(outDir, join(framesDir, safeId, `${String(i).padStart(5, '0')}.jpg`)));
      };
      if (isVideo) frames.forEach((f, i) => copies.push({ from: f.path, to: join(framesDir, safeId, `${String(i).padStart(5, '0')}.jpg`) }));
      const rec = exportRecord(opts.format, { sample: s, frames, imagePath }, opts);
      if (rec) records.push(JSON.stringify(rec));
    }
    opts.onProgress?.(++done, samples.length);
  }
  if (skipped.length && !opts.allowPartial) return { written: 0, skipped, refused: true, output: opts.output };
  for (const c of copies) {
    await fs.mkdir(dirname(c.to), { recursive: true });
    await fs.copyFile(c.from, c.to);
  }
  await fs.mkdir(outDir, { recursive: true });
  await writeFileAtomic(resolve(opts.output), records.map((r) => r + '\n').join(''));
  return { written: records.length, skipped, refused: false, output: opts.output };
}
