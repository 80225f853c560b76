/**
 * The answer as RynnBrain's preprocessing reads it (issue 15). Its SFT step
 * (`preprocess_cot.py`) takes the first `<frame n>` and every `(x, y)` of the assistant's text
 * items; its RL step (`preprocess_rl.py`) and reward take `{"frame<n>": [[x, y], ...]}` items,
 * one per acceptable frame. So the text item holds exactly one canonical grounding.
 */
import { answerFrames, isAnswer, verifiedCount } from '../answer';
import { formatCop } from '../chainOfPoint';
import type { CopGrounding } from '../chainOfPoint';
import type { SampleView } from '../sample';
import { toCop } from './trace';
import type { TraceOptions } from './trace';

/** What a sample's answer exports as, in both RynnBrain layouts. */
export interface ExportedAnswer {
  /** The assistant text item of `rynnbrain-raw`. */
  readonly text: string;
  /** The non-text assistant items of `rynnbrain-raw`: `{"frame<n>": ...}` or `{"count": N}`. */
  readonly items: readonly Record<string, unknown>[];
  /** What `rynnbrain-sft` writes inside `<answer>…</answer>`, in RynnBrain's own form. */
  readonly sft: string;
}

/** RynnBrain's SFT answer form: `<tag><frame n>, (x, y), (x, y)</tag>` (no space, a comma). */
export function sftGrounding(g: CopGrounding): string {
  const pts = g.points.map(([x, y]) => `(${x}, ${y})`).join(', ');
  return `<${g.tag}><frame ${g.frame}>, ${pts}</${g.tag}>`;
}

/**
 * The exported answer; undefined when a grounding or counting answer has nothing verified
 * (validation refuses such samples before export, so this is only a guard).
 */
export function exportedAnswer(s: SampleView, opts: TraceOptions = {}): ExportedAnswer | undefined {
  const item = s.state.entities[0];
  const text = s.fields.answer ?? '';
  if (s.task === 'general' || !isAnswer(item) || !item)
    return { text, items: [], sft: text.trim() };
  if (s.task === 'counting') {
    const n = verifiedCount(item) ?? (opts.useProposals ? item.proposedCount : undefined);
    if (n === undefined) return undefined;
    return {
      text: `<counting>${n}</counting>`,
      items: [{ count: n }],
      sft: `<counting>${n}</counting>`,
    };
  }
  const frames = answerFrames(item, opts.useProposals).map(toCop);
  const first = frames[0];
  if (!first) return undefined;
  // Validation refuses an answer of another tag than the task's, so `first.tag` is the task's.
  const main = first;
  return {
    text: formatCop(main),
    items: frames.map((g) => ({ [`frame${g.frame}`]: g.points.map(([x, y]) => [x, y]) })),
    sft: sftGrounding(main),
  };
}
