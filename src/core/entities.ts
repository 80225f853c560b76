/**
 * Entity extraction from `reasoning` (DESIGN.md section 2): the bracketed spans, with a
 * grounding tag right after a span becoming its proposal, and every other grounding tag a
 * standalone item (issue 10 item 16: RynnBrain writes trajectories inline). Problems are
 * reported with offsets: unbalanced and nested brackets, brackets inside tags, duplicates.
 */
import { parseCop } from './chainOfPoint';
import type { CopIssue, CopMatch } from './chainOfPoint';

/** One bracketed entity of the reasoning. */
export interface ExtractedEntity {
  /** 0-based position among the sample's items (`firstIndex` on, after the answer item). */
  readonly index: number;
  /** The text inside the brackets; for a standalone grounding, its label (tag and neighbours). */
  readonly text: string;
  /** Offset of `[` and one past `]`; for a standalone grounding, the tag's span. */
  readonly start: number;
  readonly end: number;
  /** The grounding tag that directly follows the span (only whitespace between), if any. */
  readonly proposal?: CopMatch;
  /** True for a grounding tag with no bracketed entity before it (its own item). */
  readonly standalone?: true;
}

/** Entities, the grounding tags of the text, and every issue found (grammar and brackets). */
export interface EntityExtraction {
  readonly entities: readonly ExtractedEntity[];
  readonly groundings: readonly CopMatch[];
  readonly issues: readonly CopIssue[];
}

/** The label of a standalone tag: its tag and up to three words each side (other tags blanked). */
function standaloneLabel(reasoning: string, g: CopMatch, all: readonly CopMatch[]): string {
  const near = (from: number, to: number) => {
    let t = reasoning.slice(from, to);
    for (const o of all)
      if (o.end > from && o.start < to)
        t =
          t.slice(0, Math.max(0, o.start - from)) + ' ' + t.slice(Math.min(t.length, o.end - from));
    return t
      .replace(/[[\]]/g, '')
      .split(/\s+/)
      .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
      .filter((w) => w !== '');
  };
  const before = near(Math.max(0, g.start - 80), g.start).slice(-3);
  const after = near(g.end, g.end + 80).slice(0, 3);
  return `${g.tag}: ${before.join(' ')} … ${after.join(' ')}`.replace(/\s+/g, ' ').trim();
}

function bracketedEntity(
  b: { text: string; start: number; end: number; proposal: CopMatch | undefined },
  index: number,
): ExtractedEntity {
  const { text, start, end, proposal } = b;
  return proposal ? { index, text, start, end, proposal } : { index, text, start, end };
}

/** Extracts the entities of a reasoning text, indexed from `firstIndex`; never throws. */
export function extractEntities(reasoning: string, firstIndex = 0): EntityExtraction {
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
  const owned = new Set<CopMatch>();
  const bracketed = spans.map((s) => {
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
    if (proposal) owned.add(proposal);
    return { text, start: s.start, end: s.end, proposal };
  });
  // Merge the spans and the standalone tags (both already in text order) in one pass; every
  // entity is built with the same key order so that readers see one object shape.
  const entities: ExtractedEntity[] = [];
  let bi = 0;
  for (const g of cop.groundings) {
    if (owned.has(g)) continue;
    while (bi < bracketed.length && (bracketed[bi] as { start: number }).start < g.start)
      entities.push(bracketedEntity(bracketed[bi++]!, firstIndex + entities.length));
    entities.push({
      index: firstIndex + entities.length,
      text: standaloneLabel(reasoning, g, cop.groundings),
      start: g.start,
      end: g.end,
      proposal: g,
      standalone: true,
    });
  }
  while (bi < bracketed.length)
    entities.push(bracketedEntity(bracketed[bi++]!, firstIndex + entities.length));
  issues.sort((a, b) => a.offset - b.offset);
  return { entities, groundings: cop.groundings, issues };
}
