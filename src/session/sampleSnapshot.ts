/** Builds the full snapshot of one sample line for a view (fields, state, spans, media). */
import type { DatasetDoc } from '../core/dataset';
import { isProblem, readSample } from '../core/sample';
import type { ReadOptions, SampleView } from '../core/sample';
import { sampleTask } from '../core/task';
import type { CancelSignal } from '../core/model';
import type { MediaSnapshot, SampleSnapshot } from '../protocol/snapshot';
import type { MediaSource } from './sampleMedia';

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

/** The snapshot of sample `line`, media resolved through `media`. */
export async function buildSampleSnapshot(
  doc: DatasetDoc,
  line: number,
  media: MediaSource,
  signal?: CancelSignal,
  opts: ReadOptions = {},
): Promise<SampleSnapshot> {
  const s = sampleViewAt(doc, line, opts);
  const f = s.fields;
  let m: MediaSnapshot;
  try {
    m = await media.sampleMedia(f, signal);
  } catch (e) {
    m = { kind: 'none', frames: [], error: `media: ${e instanceof Error ? e.message : String(e)}` };
  }
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
