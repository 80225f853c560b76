/**
 * Checks for ops that write a line's text wholesale. A line of a JSONL file must stay one
 * line of JSON: an embedded line break would add a line on save. A view may only change
 * Groundwork's own value, only to a legal state reached by a legal move; every other key
 * is the dataset's.
 */
import { parseLine } from '../jsonLine';
import { STATE_KEY } from '../model';
import { readSample, isProblem } from '../sample';
import { canTransition, sampleProblems } from './sampleStatus';

/** Why `raw` cannot be one line of the file (a line break, not a JSON object), or undefined. */
export function lineBreakProblem(raw: string): string | undefined {
  const at = raw.search(/[\r\n]/);
  if (at >= 0)
    return `the new text has a line break at character ${at + 1}; a line must stay one line`;
  const p = parseLine(raw);
  return p.ok ? undefined : `the new text is ${p.message}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Why a view may not replace line text `before` with `after`, or undefined when it may:
 * the line must stay one JSON object, keep every key but `groundwork` as it was, and hold
 * a legal state.
 */
export function checkViewRaw(before: string, after: string): string | undefined {
  const broken = lineBreakProblem(after);
  if (broken) return broken;
  const old = parseLine(before);
  const now = parseLine(after);
  if (!old.ok || !now.ok) return undefined;
  const keys = new Set([...Object.keys(old.value), ...Object.keys(now.value)]);
  for (const key of keys) {
    if (key === STATE_KEY) continue;
    if (!sameJson(old.value[key], now.value[key]))
      return `the new text changes "${key}"; a view may only change the "${STATE_KEY}" value`;
  }
  const s = readSample(after, 0);
  if (isProblem(s)) return `the new text is not a sample: ${s.message}`;
  const problems = sampleProblems(s.state);
  if (problems.length) return `the new state is not legal: ${problems.join('; ')}`;
  // The status moves only as the state machine allows, as it would through sample/status.
  const was = readSample(before, 0);
  if (!isProblem(was) && !canTransition(was.state.status, s.state.status))
    return `the new text moves the sample from ${was.state.status} to ${s.state.status}, which the state machine does not allow`;
  return undefined;
}
