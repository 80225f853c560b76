/**
 * One dataset line of an export, from its text to what it comes to: read, frames resolved,
 * validated, the record built and serialised. The same code runs in the export's own thread
 * and in its worker threads (exportWorker.ts), so both paths write the same bytes; what
 * depends on earlier lines (repeated ids, the order of records and skips) stays with the
 * caller (exportRunner.ts).
 */
import { basename, dirname, join, relative, sep } from 'node:path';
import { skipReason } from '../core/export/formats';
import { exportJson } from '../core/export/recordJson';
import type { ExportFormat, ExportInput } from '../core/export/formats';
import type { TraceOptions } from '../core/export/trace';
import type { FrameInfo, FrameProvider } from '../core/model';
import { isBlank } from '../core/dataset';
import { isProblem, readSample } from '../core/sample';
import type { SampleView } from '../core/sample';
import { checkGrounding, validateSample } from '../core/validate';

/** What every line of one export shares; plain data, so it can cross to a worker thread. */
export interface ExportLineSettings extends TraceOptions {
  readonly format: ExportFormat;
  /** Folder of the dataset (media paths are relative to it). */
  readonly datasetDir: string;
  /** Folder of the output (image paths in records are relative to it). */
  readonly outDir: string;
  /** Where the frame JPEGs of video samples go. */
  readonly framesDir: string;
  readonly allowUnapproved?: boolean;
}

/** A frame image of a video sample to copy under the frames folder once the export is kept. */
export interface FrameCopy {
  readonly from: string;
  readonly to: string;
}

/** What one line came to; plain data (structured-cloned from a worker). */
export type LineOutcome =
  | { readonly kind: 'blank' }
  /** Not a sample at all (broken JSON, no id...): the reason, with its line number. */
  | { readonly kind: 'problem'; readonly reason: string }
  | {
      readonly kind: 'sample';
      readonly id: string;
      /** Why it may not be exported; the repeated-id check is the caller's (it needs order). */
      readonly reasons: readonly string[];
      /**
       * Length (UTF-16 units) of the record's JSON with its line ending, when the format writes
       * one; the text itself goes to the batch's record list (see packBatch).
       */
      readonly recordLength?: number;
      /** Why the format writes nothing for this valid sample (rynnec without masks). */
      readonly omitted?: string;
      /** Frames to copy (video samples that may be exported). */
      readonly copies?: readonly FrameCopy[];
    };

const BLANK: LineOutcome = { kind: 'blank' };
const NONE: readonly string[] = [];

// Both caches are per run and bounded: a dataset of unique folders must not grow them forever.
const MAX_CACHED = 1 << 16;

/** Turns lines into outcomes for one export; keeps only small per-run caches. */
export class LineExporter {
  // path.relative is costly per image; frames share folders, so relate each folder once.
  private readonly relativeDirs = new Map<string, string>();
  // And each image path once: samples share their images (several questions per clip).
  private readonly relativePaths = new Map<string, string>();

  constructor(
    private readonly settings: ExportLineSettings,
    private readonly provider: FrameProvider,
    private readonly signal?: AbortSignal,
  ) {}

  /** The outcome of line `line` (0-based) whose text is `raw`; its record goes to `records`. */
  async line(raw: string, line: number, records: string[]): Promise<LineOutcome> {
    if (isBlank(raw)) return BLANK;
    const s = readSample(raw, line, this.settings);
    if (isProblem(s)) return { kind: 'problem', reason: `line ${line + 1}: ${s.message}` };
    const checked = await this.problems(s);
    const id = s.fields.id;
    if ('reasons' in checked) return { kind: 'sample', id, reasons: checked.reasons };
    const frames = checked.frames;
    const isVideo = s.fields.video !== undefined;
    const framesDir = this.settings.framesDir;
    const safeId = isVideo ? id.replace(/[^A-Za-z0-9._-]/g, '_') : '';
    const videoFrame = (i: number): string =>
      join(framesDir, safeId, `${String(i).padStart(5, '0')}.jpg`);
    const imagePath = (i: number): string =>
      this.relativeTo(isVideo ? videoFrame(i) : (frames[i] as FrameInfo).path);
    const copies = isVideo ? frames.map((f, i) => ({ from: f.path, to: videoFrame(i) })) : [];
    const input: ExportInput = { sample: s, frames, imagePath };
    const text = exportJson(this.settings.format, input, this.settings);
    const json = text !== undefined ? text + '\n' : undefined;
    if (json !== undefined) records.push(json);
    const omitted = json ? undefined : skipReason(this.settings.format, input, this.settings);
    return {
      kind: 'sample',
      id,
      reasons: NONE,
      ...(json !== undefined ? { recordLength: json.length } : {}),
      ...(omitted ? { omitted } : {}),
      ...(copies.length ? { copies } : {}),
    };
  }

  /** The frames of a sample when it may be exported, else the reasons it may not. */
  private async problems(
    s: SampleView,
  ): Promise<{ reasons: string[] } | { frames: readonly FrameInfo[] }> {
    const o = this.settings;
    const reasons: string[] = [];
    const where = `line ${s.line + 1}, sample "${s.fields.id}"`;
    let frames: readonly FrameInfo[];
    try {
      frames = await this.provider.frames(s.fields, o.datasetDir, this.signal);
    } catch (e) {
      return { reasons: [`${where}: ${e instanceof Error ? e.message : String(e)}`] };
    }
    for (const i of validateSample(
      s,
      { frameCount: frames.length },
      { requireApproved: !o.allowUnapproved, requireGrounded: !o.useProposals },
    )) {
      if (i.severity === 'error') reasons.push(i.message);
    }
    if (o.useProposals) {
      for (const [i, e] of s.state.entities.entries()) {
        if (e.status === 'not_groundable' || e.grounding || !e.proposal) continue;
        for (const p of checkGrounding(e.proposal, { frameCount: frames.length }))
          reasons.push(`${where}, entity ${i} "${e.text}": proposal: ${p.message}`);
      }
    }
    return reasons.length ? { reasons } : { frames };
  }

  private relativeTo(p: string): string {
    const known = this.relativePaths.get(p);
    if (known !== undefined) return known;
    if (this.relativePaths.size >= MAX_CACHED) this.relativePaths.clear();
    const r = this.relativeToUncached(p);
    this.relativePaths.set(p, r);
    return r;
  }

  private relativeToUncached(p: string): string {
    const cut = p.lastIndexOf(sep);
    // A path at the file system's root (or a bare name) takes the general route.
    const d = cut > 0 ? p.slice(0, cut) : dirname(p);
    const name = cut > 0 ? p.slice(cut + 1) : basename(p);
    let r = this.relativeDirs.get(d);
    if (r === undefined) {
      if (this.relativeDirs.size >= MAX_CACHED) this.relativeDirs.clear();
      r = relative(this.settings.outDir, d).split(sep).join('/');
      this.relativeDirs.set(d, r);
    }
    return r ? `${r}/${name}` : name;
  }
}

/** The message of a sample whose id an earlier line already used. */
export function repeatReason(line: number, id: string, firstLine: number): string {
  return `line ${line + 1}, sample "${id}": id repeats line ${firstLine + 1}`;
}

/** The outcomes of a run of lines, their records as one UTF-8 text in line order. */
export interface PackedBatch {
  readonly first: number;
  /** Bytes of the dataset these lines take. */
  readonly bytes: number;
  readonly outcomes: readonly LineOutcome[];
  /** Every record of the batch, in order; its own buffer, so a worker can transfer it. */
  readonly text: Uint8Array;
}

const encoder = new TextEncoder();

/**
 * A batch of outcomes with their records as one encoded text instead of a string each, so a
 * worker hands it over without a copy and the writer takes it as it is.
 */
export function packBatch(
  first: number,
  bytes: number,
  outcomes: readonly LineOutcome[],
  records: readonly string[],
): PackedBatch {
  return { first, bytes, outcomes, text: encoder.encode(records.join('')) };
}
