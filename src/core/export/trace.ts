/**
 * The reasoning trace with groundings: every inline tag of the source text removed, each
 * entity followed by its final grounding, brackets removed (or kept), and each standalone
 * grounding (a tag with no entity before it) replaced in place by its final grounding. Built as segments so
 * that `--interleave-images` can put the chosen frame's image right after `<frame n>:`.
 */
import { isNotGroundable } from '../answer';
import { formatCop } from '../chainOfPoint';
import type { CopGrounding } from '../chainOfPoint';
import { normalizePoint } from '../coordinates';
import type { EntityState, Grounding, TaskType } from '../model';
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
  /** The task of samples whose line names none (`--task`); else inferred from the answer. */
  readonly defaultTask?: TaskType;
}

/** A grounding normalised to the [0, 1000] grid, as the trace writes it. */
export function toCop(g: Grounding): CopGrounding {
  return { tag: g.tag, frame: g.frame, points: g.points.map((p) => normalizePoint(p, g.size)) };
}

/** The grounding an entity contributes to the trace, if any. */
export function exportedGrounding(e: EntityState, opts: TraceOptions = {}): Grounding | undefined {
  if (isNotGroundable(e.status)) return undefined;
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
  const pushGrounding = (g: Grounding, inPlace: boolean) => {
    const cop = formatCop(toCop(g));
    const lead = inPlace ? '' : ' ';
    if (opts.interleaveImages) {
      const cut = cop.indexOf(':') + 1;
      push(lead + cop.slice(0, cut));
      flush();
      out.push({ type: 'image', frame: g.frame });
      push(';' + cop.slice(cut));
    } else push(lead + cop);
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
    const state = s.state.entities[ent.index];
    const g = state ? exportedGrounding(state, opts) : undefined;
    if (ent.standalone) {
      // The tag itself is the item: its grounding goes where the tag was, nothing else moves.
      push(
        g ? text.slice(at, ent.start) : trimTrailingSpace(text.slice(at, ent.start), text, ent.end),
      );
      at = ent.end;
      ti = tags.indexOf(ent.proposal as (typeof tags)[number]) + 1;
      if (g) pushGrounding(g, true);
      continue;
    }
    push(text.slice(at, ent.start));
    push(opts.keepBrackets ? `[${ent.text}]` : ent.text);
    at = ent.end;
    if (ent.proposal) {
      at = ent.proposal.end;
      ti = tags.indexOf(ent.proposal) + 1;
    }
    if (g) pushGrounding(g, false);
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
