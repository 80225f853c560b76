/**
 * The four export formats of DESIGN.md section 3, as pure functions from a sample, its
 * resolved frame list and the image paths to write, to one JSON record.
 */
import { normalizePoint } from '../coordinates';
import type { FrameInfo } from '../model';
import type { SampleView } from '../sample';
import { exportedAnswer } from './answer';
import { rynnecOutcome } from './rynnec';
import { exportedGrounding, traceSegments, traceText } from './trace';
import type { TraceOptions } from './trace';

/** The export formats, `rynnbrain-raw` first (the default). */
export const EXPORT_FORMATS = ['rynnbrain-raw', 'rynnbrain-sft', 'flat', 'rynnec'] as const;

/** One of the export formats. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A sample ready to export: its view, frames, and the path each frame is written under. */
export interface ExportInput {
  readonly sample: SampleView;
  readonly frames: readonly FrameInfo[];
  /** Path of frame i as the output should reference it (relative to the output file). */
  readonly imagePath: (index: number) => string;
}

/** A content item of RynnBrain's conversation layout, always with the full key set. */
export interface ContentItem {
  readonly type: 'text' | 'image' | 'video';
  readonly text: string | null;
  readonly image: string | null;
  readonly video: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly duration: number | null;
}

function textItem(text: string): ContentItem {
  return {
    type: 'text',
    text,
    image: null,
    video: null,
    width: null,
    height: null,
    duration: null,
  };
}

function imageItem(input: ExportInput, index: number): ContentItem {
  const f = input.frames[index];
  return {
    type: 'image',
    text: null,
    image: input.imagePath(index),
    video: null,
    width: f?.width ?? null,
    height: f?.height ?? null,
    duration: null,
  };
}

/** `rynnbrain-raw`: a conversation with user, Thinking and assistant turns. */
export function rynnbrainRaw(input: ExportInput, opts: TraceOptions): Record<string, unknown> {
  const user: ContentItem[] = [];
  input.frames.forEach((_, i) => {
    user.push(textItem(`<frame ${i}>: `));
    user.push(imageItem(input, i));
  });
  // RynnBrain's --keep_images path reads the last character of the user's last text item.
  const question = (input.sample.fields.question ?? '').trim();
  if (question || user.length === 0) user.push(textItem(question || '.'));
  const answer = exportedAnswer(input.sample, opts);
  const thinking = traceSegments(input.sample, opts).map((seg) =>
    seg.type === 'text' ? textItem(seg.text) : imageItem(input, seg.frame),
  );
  return {
    id: input.sample.fields.id,
    conversation: [
      { role: 'user', content: user },
      { role: 'Thinking', content: thinking },
      {
        role: 'assistant',
        content: [
          textItem(answer?.text ?? input.sample.fields.answer ?? ''),
          ...(answer?.items ?? []),
        ],
      },
    ],
  };
}

/** `rynnbrain-sft`: the processed form, `<think>…</think>#### <answer>…</answer>`. */
export function rynnbrainSft(input: ExportInput, opts: TraceOptions): Record<string, unknown> {
  const prompt = input.frames.map((_, i) => `<frame ${i}>: <image>`).join('\n');
  const trace = traceText(input.sample, opts);
  const answer =
    exportedAnswer(input.sample, opts)?.sft ?? (input.sample.fields.answer ?? '').trim();
  const question = (input.sample.fields.question ?? '').trim() || '.';
  return {
    id: input.sample.fields.id,
    images: input.frames.map((_, i) => input.imagePath(i)),
    messages: [
      {
        role: 'user',
        content: `${prompt}${prompt ? '\n' : ''}${question}`,
      },
      {
        role: 'assistant',
        content: `<think>${trace}</think>#### <answer>${answer}</answer>`,
      },
    ],
  };
}

/** `flat`: the trace, the frame list, and per entity everything a pipeline may want. */
export function flat(input: ExportInput, opts: TraceOptions): Record<string, unknown> {
  const s = input.sample;
  const answer = exportedAnswer(s, opts);
  return {
    id: s.fields.id,
    status: s.state.status,
    task: s.task,
    answer_export: answer ? { text: answer.text, items: answer.items } : null,
    question: s.fields.question ?? null,
    answer: s.fields.answer ?? null,
    trace: traceText(s, opts),
    frames: input.frames.map((f, i) => ({
      index: i,
      image: input.imagePath(i),
      width: f.width,
      height: f.height,
      time: f.time ?? null,
      source_frame: f.sourceFrame ?? null,
    })),
    entities: s.state.entities.map((e) => {
      const g = exportedGrounding(e, opts);
      const frame = g ? input.frames[g.frame] : undefined;
      const px =
        g && frame
          ? g.points.map(([x, y]) => [
              (x / g.size[0]) * frame.width,
              (y / g.size[1]) * frame.height,
            ])
          : null;
      return {
        text: e.text,
        role: e.role ?? null,
        kind: g?.tag ?? e.kind ?? null,
        status: e.status,
        source: g?.source ?? null,
        frame: g?.frame ?? null,
        timestamp: frame?.time ?? null,
        source_frame: frame?.sourceFrame ?? null,
        points: g ? g.points.map((p) => normalizePoint(p, g.size)) : null,
        points_px: px,
        mask: g?.mask ?? null,
        time_ms: e.timeMs ?? null,
      };
    }),
  };
}

/** `rynnec`: samples with masks in RynnEC's layout (see rynnec.ts); undefined when skipped. */
export function rynnec(
  input: ExportInput,
  opts: TraceOptions,
): Record<string, unknown> | undefined {
  const out = rynnecOutcome(input, opts);
  return 'record' in out ? out.record : undefined;
}

/** Why `format` writes no record for this sample (reported as a skip), or undefined. */
export function skipReason(
  format: ExportFormat,
  input: ExportInput,
  opts: TraceOptions,
): string | undefined {
  if (format !== 'rynnec') return undefined;
  const out = rynnecOutcome(input, opts);
  return 'reason' in out ? out.reason : undefined;
}

/** Dispatches to the format's function. */
export function exportRecord(
  format: ExportFormat,
  input: ExportInput,
  opts: TraceOptions,
): Record<string, unknown> | undefined {
  switch (format) {
    case 'rynnbrain-raw':
      return rynnbrainRaw(input, opts);
    case 'rynnbrain-sft':
      return rynnbrainSft(input, opts);
    case 'flat':
      return flat(input, opts);
    case 'rynnec':
      return rynnec(input, opts);
  }
}
