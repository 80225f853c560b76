/**
 * Validation rules with clear messages (issue 2): frame index out of range, box inverted or
 * degenerate, points outside the frame, wrong point count for the tag, entity not grounded,
 * sample not approved, missing media. Every issue names the line, the sample and the entity.
 */
import { isAnswer, isNotGroundable, isVerified } from './answer';
import { parseCop, pointCountOk, pointCountRule } from './chainOfPoint';
import type { Grounding } from './model';
import type { SampleView } from './sample';
import { answerTag, isGroundingTask } from './task';

/** How bad an issue is: errors block export, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found in a dataset. */
export interface Issue {
  readonly severity: Severity;
  /** A stable code, for filtering and for tests. */
  readonly code: string;
  /** 0-based line index. */
  readonly line: number;
  readonly sampleId?: string;
  readonly entity?: number;
  readonly message: string;
}

/** What validation knows about a sample's media (resolved by the caller, which can do I/O). */
export interface MediaFacts {
  /** Number of frames in the frame list, when known. */
  readonly frameCount?: number;
  /** Displayed [width, height] per frame index, when known. */
  readonly frameSize?: (index: number) => readonly [number, number] | undefined;
  /** A message when media is missing or unreadable. */
  readonly missing?: string;
}

/** Options of a validation run. */
export interface ValidateOptions {
  /** Require every sample to be approved (what export requires). */
  readonly requireApproved?: boolean;
  /** Require every entity to be grounded or rejected. */
  readonly requireGrounded?: boolean;
}

function where(s: SampleView, entity?: number): string {
  const e =
    entity === undefined ? '' : `, entity ${entity} "${s.state.entities[entity]?.text ?? '?'}"`;
  return `line ${s.line + 1}, sample "${s.fields.id}"${e}`;
}

/** Checks one grounding's geometry against its tag and frame; returns problems as text. */
export function checkGrounding(
  g: Grounding,
  facts: MediaFacts,
): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = [];
  if (!Number.isInteger(g.frame) || g.frame < 0)
    out.push({
      code: 'frame-range',
      message: `frame index ${g.frame} is not a non-negative integer`,
    });
  else if (facts.frameCount !== undefined && g.frame >= facts.frameCount) {
    out.push({
      code: 'frame-range',
      message: `frame index ${g.frame} is out of range: the frame list has ${facts.frameCount} frames (0-${facts.frameCount - 1})`,
    });
  }
  if (!pointCountOk(g.tag, g.points.length)) {
    out.push({
      code: 'point-count',
      message: `<${g.tag}> has ${g.points.length} point(s), expected ${pointCountRule(g.tag).text}`,
    });
  }
  const [w, h] = g.size;
  const outside = g.points.findIndex(([x, y]) => !(x >= 0 && y >= 0 && x <= w && y <= h));
  if (outside >= 0) {
    const p = g.points[outside] as readonly [number, number];
    out.push({
      code: 'point-outside',
      message: `point ${outside + 1} (${p[0]}, ${p[1]}) is outside the ${w}x${h} frame`,
    });
  }
  if (g.tag === 'object' && g.points.length === 2) {
    const [[x1, y1], [x2, y2]] = g.points as readonly [
      readonly [number, number],
      readonly [number, number],
    ];
    if (x2 < x1 || y2 < y1)
      out.push({
        code: 'box-inverted',
        message: `box is inverted: top-left (${x1}, ${y1}) is not above-left of bottom-right (${x2}, ${y2})`,
      });
    else if (x2 === x1 || y2 === y1)
      out.push({
        code: 'box-degenerate',
        message: `box is degenerate (zero ${x2 === x1 ? 'width' : 'height'})`,
      });
  }
  return out;
}

/** Validates one sample; `facts` comes from the caller's media layer. */
export function validateSample(
  s: SampleView,
  facts: MediaFacts,
  opts: ValidateOptions = {},
): Issue[] {
  const issues: Issue[] = [];
  const base = { line: s.line, sampleId: s.fields.id };
  const add = (severity: Severity, code: string, message: string, entity?: number) =>
    issues.push(
      entity === undefined
        ? { ...base, severity, code, message: `${where(s)}: ${message}` }
        : { ...base, entity, severity, code, message: `${where(s, entity)}: ${message}` },
    );

  if (facts.missing) add('error', 'missing-media', facts.missing);
  if (!s.fields.video && !s.fields.frames)
    add('error', 'no-media', 'has neither "video" nor "frames"');
  for (const i of s.extraction.issues)
    add('warning', 'reasoning', `${i.message} (reasoning offset ${i.offset})`);
  for (const n of s.notes) add('warning', 'state', n);
  s.state.entities.forEach((e, i) => {
    const others = (e.alternates ?? []).map((g) => ['alternate frame', g] as const);
    for (const [label, g] of [
      ['grounding', e.grounding],
      ['proposal', e.proposal],
      ...others,
    ] as const) {
      if (!g) continue;
      const scaled: MediaFacts = facts;
      for (const p of checkGrounding(g, scaled))
        add(label === 'proposal' ? 'warning' : 'error', p.code, `${label}: ${p.message}`, i);
    }
    if (isAnswer(e)) {
      checkAnswer(s, i, add, opts);
      return;
    }
    const grounded =
      isNotGroundable(e.status) || (isVerified(e.status) && e.grounding !== undefined);
    if (opts.requireGrounded && !grounded)
      add('error', 'not-grounded', `entity is not grounded (status ${e.status})`, i);
  });
  if (opts.requireApproved && s.state.status !== 'approved')
    add('error', 'not-approved', `sample is ${s.state.status}, not approved`);
  return issues;
}

/** The answer item's own rules: a grounding task needs a grounding, counting a number. */
function checkAnswer(
  s: SampleView,
  i: number,
  add: (severity: Severity, code: string, message: string, entity?: number) => void,
  opts: ValidateOptions,
): void {
  const e = s.state.entities[i];
  if (!e) return;
  const tag = answerTag(s.task);
  if (isGroundingTask(s.task)) {
    if (!e.grounding && !e.proposal) {
      const other = parseCop(s.fields.answer ?? '').groundings[0];
      const why = other
        ? `the answer text has an <${other.tag}> tag, not <${tag}>`
        : `the answer text has no <${tag}> tag`;
      add(
        'warning',
        'answer-missing',
        `the ${s.task} answer has no grounding: ${why} and none was drawn`,
        i,
      );
    }
    const drawn = e.grounding ?? e.proposal;
    if (drawn && drawn.tag !== tag)
      add(
        e.grounding ? 'error' : 'warning',
        'answer-tag',
        `the answer is an <${drawn.tag}> but a ${s.task} answer is an <${tag}>; redraw it or change the task`,
        i,
      );
    if (!opts.requireGrounded) return;
    if (isNotGroundable(e.status))
      add(
        'error',
        'answer-not-grounded',
        `the ${s.task} answer is marked not groundable; RynnBrain has nothing to train on (ground it or set the task to general)`,
        i,
      );
    else if (!(isVerified(e.status) && e.grounding))
      add('error', 'not-grounded', `the answer is not grounded (status ${e.status})`, i);
    return;
  }
  if (s.task !== 'counting') return;
  if (e.proposedCount === undefined && e.count === undefined && !e.grounding)
    add(
      'warning',
      'answer-missing',
      'the counting answer has no number (<counting>N</counting>)',
      i,
    );
  if (opts.requireGrounded && !isVerified(e.status))
    add('error', 'not-grounded', `the count is not verified (status ${e.status})`, i);
}

/** Finds ids used by more than one line; the later lines get the issue. */
export function duplicateIds(samples: readonly SampleView[]): Issue[] {
  const first = new Map<string, number>();
  const issues: Issue[] = [];
  for (const s of samples) {
    const prev = first.get(s.fields.id);
    if (prev === undefined) first.set(s.fields.id, s.line);
    else
      issues.push({
        severity: 'error',
        code: 'duplicate-id',
        line: s.line,
        sampleId: s.fields.id,
        message: `line ${s.line + 1}, sample "${s.fields.id}": id repeats line ${prev + 1}`,
      });
  }
  return issues;
}
