/**
 * Entity extraction from `reasoning` (DESIGN.md section 2): the bracketed spans, with a
 * grounding tag right after a span becoming its proposal. Problems are reported with
 * offsets: unbalanced and nested brackets, brackets inside grounding tags, duplicates.
 */
import { parseCop } from './chainOfPoint';
import type { CopIssue, CopMatch } from './chainOfPoint';

/** One bracketed entity of the reasoning. */
export interface ExtractedEntity {
  /** 0-based position among the entities of this reasoning. */
  readonly index: number;
  /** The text inside the brackets. */
  readonly text: string;
  /** Offset of `[` and one past `]`. */
  readonly start: number;
  readonly end: number;
  /** The grounding tag that directly follows the span (only whitespace between), if any. */
  readonly proposal?: CopMatch;
}

/** Entities, the grounding tags of the text, and every issue found (grammar and brackets). */
export interface EntityExtraction {
  readonly entities: readonly ExtractedEntity[];
  readonly groundings: readonly CopMatch[];
  readonly issues: readonly CopIssue[];
}

/** Extracts the entities of a reasoning text; never throws. */
export function extractEntities(reasoning: string): EntityExtraction {
  const cop = parseCop(reasoning);
  const issues: CopIssue[] = [...cop.errors];
  const insideTag = (i: number): CopMatch | undefined =>
    cop.groundings.find((g) => i >= g.start && i < g.end);
  const spans: { start: number; end: number }[] = [];
  let open = -1;
  let depth = 0;
  // Jump from bracket to bracket with indexOf (native) rather than visiting every character.
  let nextOpen = reasoning.indexOf('[');
  let nextClose = reasoning.indexOf(']');
  for (let i = 0; ; i++) {
    if (nextOpen >= 0 && nextOpen < i) nextOpen = reasoning.indexOf('[', i);
    if (nextClose >= 0 && nextClose < i) nextClose = reasoning.indexOf(']', i);
    i = nextOpen < 0 ? nextClose : nextClose < 0 ? nextOpen : Math.min(nextOpen, nextClose);
    if (i < 0) break;
    const c = reasoning[i];
    const tag = insideTag(i);
    if (tag) {
      issues.push({
        offset: i,
        message: `bracket "${c}" inside a <${tag.tag}> grounding tag is ignored`,
      });
      i = tag.end - 1;
      continue;
    }
    if (c === '[') {
      if (depth === 0) open = i;
      else
        issues.push({
          offset: i,
          message: `nested "[" inside the entity opened at offset ${open}; the outer span is the entity`,
        });
      depth++;
    } else if (depth === 0) {
      issues.push({ offset: i, message: 'unbalanced "]" with no "[" before it' });
    } else if (--depth === 0) {
      spans.push({ start: open, end: i + 1 });
    }
  }
  if (depth > 0)
    issues.push({ offset: open, message: 'unbalanced "[" never closed; it is not an entity' });

  const seen = new Map<string, number>();
  const entities = spans.map((s, index): ExtractedEntity => {
    const text = reasoning.slice(s.start + 1, s.end - 1);
    if (text.trim() === '') issues.push({ offset: s.start, message: 'empty entity "[]"' });
    const prev = seen.get(text.toLowerCase());
    if (prev !== undefined)
      issues.push({
        offset: s.start,
        message: `duplicate entity "${text}" (also at offset ${prev})`,
      });
    else seen.set(text.toLowerCase(), s.start);
    let after = s.end;
    while (after < reasoning.length && /\s/.test(reasoning[after] as string)) after++;
    const proposal = cop.groundings.find((g) => g.start === after);
    return proposal
      ? { index, text, start: s.start, end: s.end, proposal }
      : { index, text, start: s.start, end: s.end };
  });
  issues.sort((a, b) => a.offset - b.offset);
  return { entities, groundings: cop.groundings, issues };
}
