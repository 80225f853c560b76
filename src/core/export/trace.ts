/**
 * The reasoning trace with groundings: every inline tag of the source text removed, each
 * entity followed by its final grounding, brackets removed (or kept). Built as segments so
 * that `--interleave-images` can put the chosen frame's image right after `<frame n>:`.
 */
import { formatCop } from '../chainOfPoint';
import type { CopGrounding } from '../chainOfPoint';
import { normalizePoint } from '../coordinates';
import type { EntityState, Grounding } from '../model';
import type { SampleView } from '../sample';

/** A piece of a trace: text, or the image of frame `frame` of the sample's frame list. */
export type TraceSegment =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly frame: number };

/** Options shaping the trace. */
export interface TraceOptions {
  readonly keepBrackets?: boolean;
  readonly interleaveImages?: boolean;
  /** Emit the proposal of entities nobody verified (drafts, previews); off for training data. */
  readonly useProposals?: boolean;
}

/** A grounding normalised to the [0, 1000] grid, as the trace writes it. */
export function toCop(g: Grounding): CopGrounding {
  return { tag: g.tag, frame: g.frame, points: g.points.map((p) => normalizePoint(p, g.size)) };
}

/** The grounding an entity contributes to the trace, if any. */
export function exportedGrounding(e: EntityState, opts: TraceOptions = {}): Grounding | undefined {
  if (e.status === 'rejected') return undefined;
  if ((e.status === 'accepted' || e.status === 'edited') && e.grounding) return e.grounding;
  return opts.useProposals ? e.proposal : undefined;
}

/** Builds the trace of a sample as segments (adjacent text merged). */
export function traceSegments(s: SampleView, opts: TraceOptions = {}): TraceSegment[] {
  const text = s.fields.reasoning;
  const out: TraceSegment[] = [];
  // Text accumulates in one string and becomes a segment only when an image cuts it.
  let pending = '';
  const push = (t: string) => {
    pending += t;
  };
  const flush = () => {
    if (pending) out.push({ type: 'text', text: pending });
    pending = '';
  };
  // Cut points: entity spans, and every inline tag (proposals are replaced, strays dropped).
  const tags = [...s.extraction.groundings];
  let at = 0;
  const entities = s.extraction.entities;
  let ti = 0;
  for (const ent of entities) {
    while (ti < tags.length && (tags[ti]?.start ?? 0) < ent.start) {
      const t = tags[ti++]!;
      push(trimTrailingSpace(text.slice(at, t.start), text, t.end));
      at = t.end;
    }
    push(text.slice(at, ent.start));
    push(opts.keepBrackets ? `[${ent.text}]` : ent.text);
    at = ent.end;
    if (ent.proposal) {
      at = ent.proposal.end;
      ti = tags.indexOf(ent.proposal) + 1;
    }
    const state = s.state.entities[ent.index];
    const g = state ? exportedGrounding(state, opts) : undefined;
    if (g) {
      const cop = formatCop(toCop(g));
      if (opts.interleaveImages) {
        const cut = cop.indexOf(':') + 1;
        push(' ' + cop.slice(0, cut));
        flush();
        out.push({ type: 'image', frame: g.frame });
        push(';' + cop.slice(cut));
      } else push(' ' + cop);
    }
  }
  while (ti < tags.length) {
    const t = tags[ti++]!;
    push(trimTrailingSpace(text.slice(at, t.start), text, t.end));
    at = t.end;
  }
  push(text.slice(at));
  flush();
  return out;
}

// A stray tag removed from "a <tag> b" should not leave "a  b".
function trimTrailingSpace(before: string, text: string, tagEnd: number): string {
  return /\s$/.test(before) && /^\s/.test(text.slice(tagEnd, tagEnd + 1))
    ? before.replace(/\s+$/, '')
    : before;
}

/** The trace as one string (images, if interleaved, become nothing). */
export function traceText(s: SampleView, opts: TraceOptions = {}): string {
  return traceSegments(s, { ...opts, interleaveImages: false })
    .map((seg) => (seg.type === 'text' ? seg.text : ''))
    .join('');
}
