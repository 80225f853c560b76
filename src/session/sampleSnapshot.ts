/**
 * The snapshot of one sample line for a view (fields, state, spans, media), built from a read
 * sample and its media already resolved, so the session can build it without I/O.
 */
import type { DatasetDoc } from '../core/dataset';
import { isProblem, readSample } from '../core/sample';
import type { ReadOptions, SampleView } from '../core/sample';
import { sampleTask } from '../core/task';
import type { CancelSignal, SampleFields } from '../core/model';
import type { MediaSource } from './sampleMedia';
import type { MediaSnapshot, SampleSnapshot } from '../protocol/snapshot';

/** A line that cannot be shown as a sample. */
export class NotASampleError extends Error {}

/** Reads line `line` as a sample or throws NotASampleError naming the line. */
export function sampleViewAt(doc: DatasetDoc, line: number, opts: ReadOptions = {}): SampleView {
  const l = doc.lines[line];
  if (!l)
    throw new NotASampleError(
      `line ${line + 1} does not exist (the file has ${doc.lines.length} lines)`,
    );
  const s = readSample(l.raw, line, opts);
  if (isProblem(s)) throw new NotASampleError(`line ${line + 1}: ${s.message}`);
  return s;
}

/** The media of a sample through `source`; a failure is the snapshot's media error, never a throw. */
export async function mediaOf(
  source: MediaSource,
  fields: SampleFields,
  signal?: CancelSignal,
): Promise<MediaSnapshot> {
  try {
    return await source.sampleMedia(fields, signal);
  } catch (e) {
    return {
      kind: 'none',
      frames: [],
      error: `media: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/**
 * What a sample's media depends on: a snapshot whose key is unchanged may reuse the media
 * resolved before (an edit changes groundings, never these fields).
 */
export function mediaKey(fields: SampleFields): string {
  return JSON.stringify([
    fields.id,
    fields.video ?? null,
    fields.fps ?? null,
    fields.frames ?? null,
  ]);
}

/** The snapshot of the read sample `s` on `line` with media `m` already resolved (no I/O). */
export function snapshotOf(
  s: SampleView,
  line: number,
  m: MediaSnapshot,
  opts: ReadOptions = {},
): SampleSnapshot {
  const f = s.fields;
  return {
    line,
    id: f.id,
    ...(typeof f.question === 'string' ? { question: f.question } : {}),
    reasoning: f.reasoning,
    ...(typeof f.answer === 'string' ? { answer: f.answer } : {}),
    ...(f.video !== undefined ? { video: f.video, fps: f.fps ?? 2 } : {}),
    state: s.state,
    task: s.task,
    taskOrigin: sampleTask(f, opts.defaultTask).origin,
    // A standalone tag is shown as the tag it is, not as a bracketed span (issue 15 item 3).
    spans: s.extraction.entities.map((e) => ({
      index: e.index,
      text: e.text,
      start: e.start,
      end: e.end,
      ...(e.standalone ? { standalone: true as const } : {}),
    })),
    issues: s.extraction.issues,
    notes: s.notes,
    media: m,
  };
}
