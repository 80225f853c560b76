/**
 * The JSON text of one export record. `rynnbrain-raw` is written by hand, straight from the
 * sample, instead of building its tree of content items and handing it to JSON.stringify:
 * that tree (seven keys an item, most of them null) was a fifth of a CLI export's time plus
 * its garbage. The text is byte for byte JSON.stringify's of formats.ts's record (a property
 * test holds the two together); the other formats go through JSON.stringify as they are.
 */
import { exportedAnswer } from './answer';
import { exportRecord } from './formats';
import type { ExportFormat, ExportInput } from './formats';
import { traceSegments } from './trace';
import type { TraceOptions } from './trace';

// What JSON.stringify escapes: quote, backslash, control characters; any surrogate half goes
// the slow way too (a lone one is escaped, a pair is not; JSON.stringify knows which).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it; without anything to escape, a concatenation. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function jsonNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? 'null' : JSON.stringify(value);
}

const TEXT_HEAD = '{"type":"text","text":';
const TEXT_TAIL = ',"image":null,"video":null,"width":null,"height":null,"duration":null}';
const IMAGE_HEAD = '{"type":"image","text":null,"image":';

/**
 * The record's pieces go to one array joined once: a flat string at the end, where `+=` built
 * a rope of a hundred pieces a record that the collector traced and the encoder flattened.
 */
class Pieces {
  readonly parts: string[] = [];

  constructor(private readonly input: ExportInput) {}

  text(text: string): void {
    this.parts.push(TEXT_HEAD, jsonString(text), TEXT_TAIL);
  }

  image(index: number): void {
    const frame = this.input.frames[index];
    const path = jsonString(this.input.imagePath(index));
    const [width, height] = [jsonNumber(frame?.width), jsonNumber(frame?.height)];
    this.parts.push(IMAGE_HEAD, path, ',"video":null,"width":', width, ',"height":', height);
    this.parts.push(',"duration":null}');
  }
}

/** `rynnbrain-raw`'s record as JSON text, equal to JSON.stringify(rynnbrainRaw(input, opts)). */
export function rynnbrainRawJson(input: ExportInput, opts: TraceOptions): string {
  const sample = input.sample;
  const answer = exportedAnswer(sample, opts);
  const out = new Pieces(input);
  const parts = out.parts;
  parts.push('{"id":', jsonString(sample.fields.id), ',"conversation":[{"role":"user","content":[');
  const count = input.frames.length;
  for (let i = 0; i < count; i++) {
    if (i) parts.push(',');
    out.text(`<frame ${i}>: `);
    parts.push(',');
    out.image(i);
  }
  // As formats.ts: RynnBrain reads the last character of the user's last text item.
  const question = (sample.fields.question ?? '').trim();
  if (question || count === 0) {
    if (count) parts.push(',');
    out.text(question || '.');
  }
  parts.push(']},{"role":"Thinking","content":[');
  const segments = traceSegments(sample, opts);
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k] as (typeof segments)[number];
    if (k) parts.push(',');
    if (seg.type === 'text') out.text(seg.text);
    else out.image(seg.frame);
  }
  parts.push(']},{"role":"assistant","content":[');
  out.text(answer?.text ?? sample.fields.answer ?? '');
  for (const item of answer?.items ?? []) parts.push(',', JSON.stringify(item));
  parts.push(']}]}');
  return parts.join('');
}

/** The record of `format` for one sample as JSON text (no line ending), or undefined. */
export function exportJson(
  format: ExportFormat,
  input: ExportInput,
  opts: TraceOptions,
): string | undefined {
  if (format === 'rynnbrain-raw') return rynnbrainRawJson(input, opts);
  const rec = exportRecord(format, input, opts);
  return rec ? JSON.stringify(rec) : undefined;
}
