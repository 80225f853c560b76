/**
 * A dataset document: the lines of a JSONL file exactly as they were read (text and line
 * ending each), plus a BOM flag. Serialising an untouched document gives the same bytes.
 */

/** Line endings seen in the wild; the last line may have none. */
export type Eol = '' | '\n' | '\r\n' | '\r';

/** One line of the file, without its ending, and the ending it had. */
export interface DocLine {
  readonly raw: string;
  readonly eol: Eol;
}

/** The whole file as lines; immutable, edits make a new document sharing unchanged lines. */
export interface DatasetDoc {
  readonly bom: boolean;
  readonly lines: readonly DocLine[];
}

/** Splits decoded file text into lines, keeping each line's ending (mixed endings survive). */
export function splitLines(text: string): DatasetDoc {
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  const lines: DocLine[] = [];
  let start = 0;
  // indexOf runs natively; most files have no lone CR, so the CR scan is usually skipped.
  const hasCr = body.indexOf('\r') >= 0;
  while (start < body.length) {
    const lf = body.indexOf('\n', start);
    const cr = hasCr ? body.indexOf('\r', start) : -1;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      if (cr + 1 === lf) {
        lines.push({ raw: body.slice(start, cr), eol: '\r\n' });
        start = lf + 1;
      } else {
        lines.push({ raw: body.slice(start, cr), eol: '\r' });
        start = cr + 1;
      }
    } else if (lf >= 0) {
      lines.push({ raw: body.slice(start, lf), eol: '\n' });
      start = lf + 1;
    } else break;
  }
  if (start < body.length) lines.push({ raw: body.slice(start), eol: '' });
  return { bom, lines };
}

/** The file text of a document: the exact inverse of `splitLines`. */
export function joinLines(doc: DatasetDoc): string {
  let out = doc.bom ? '\ufeff' : '';
  for (const l of doc.lines) out += l.raw + l.eol;
  return out;
}

/** True for a line that holds nothing but whitespace (kept, never reported as invalid). */
export function isBlank(raw: string): boolean {
  return raw.trim() === '';
}
