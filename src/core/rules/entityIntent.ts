/**
 * What a person (or a model) asks of one entity, and the state it leads to: accept the
 * proposal, draw, mark not groundable (and back), set the kind, move to another frame,
 * or store a model proposal. Pure: `apply` in ops.ts runs these and refuses the ones that
 * do not fit, so that the webview only asks and never decides a state.
 */
import { rescalePoint } from '../coordinates';
import type { EntityState, Grounding, GroundingTag, Point } from '../model';
import { groundingProblem } from './geometryCheck';
import { proposalVerdict } from './proposalRule';

/** One request for an entity; `elapsedMs` is the annotator's time spent, added to `timeMs`. */
export type EntityIntent =
  /** Take the proposal as the grounding; `size` is the frame's pixel size to convert to. */
  | { readonly type: 'accept'; readonly size?: readonly [number, number] }
  /** A drawing on `frame`, in the frame's pixel space `size`; replaces any proposal. */
  | {
      readonly type: 'draw';
      readonly tag: GroundingTag;
      readonly frame: number;
      readonly points: readonly Point[];
      readonly size: readonly [number, number];
    }
  /** Not groundable; asked again of a not groundable entity, restores it. */
  | { readonly type: 'notGroundable' }
  /** The kind the annotator chose (1 object, 2 area); the geometry stays. */
  | { readonly type: 'kind'; readonly kind: GroundingTag }
  /** The grounding belongs on another frame (same points): a person's edit. */
  | { readonly type: 'frame'; readonly frame: number }
  /** A model proposal, stored only where the proposal rule allows. */
  | { readonly type: 'propose'; readonly proposal: Grounding; readonly click?: boolean };

/** The outcome: the entity's next state, or why the request does not fit. */
export type EntityDecision =
  | { readonly ok: true; readonly value: EntityState }
  | { readonly ok: false; readonly message: string };

/** Geometry in source pixels is kept to 2 decimals: sub-pixel enough, and short lines. */
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Only the fields the model defines, in a stable order (the line is written in this order). */
function tidy(e: EntityState): EntityState {
  const out: { -readonly [K in keyof EntityState]: EntityState[K] } = {
    text: e.text,
    status: e.status,
  };
  if (e.kind) out.kind = e.kind;
  if (e.grounding) out.grounding = e.grounding;
  if (e.proposal) out.proposal = e.proposal;
  if (e.replaced) out.replaced = e.replaced;
  if (e.timeMs !== undefined) out.timeMs = e.timeMs;
  if (e.groundedBy !== undefined) out.groundedBy = e.groundedBy;
  if (e.groundedAt !== undefined) out.groundedAt = e.groundedAt;
  // The answer item's own fields (issue 15; src/core/answer.ts) must survive every intent.
  if (e.role) out.role = e.role;
  if (e.alternates) out.alternates = e.alternates;
  if (e.count !== undefined) out.count = e.count;
  if (e.proposedCount !== undefined) out.proposedCount = e.proposedCount;
  // A mask track (issue 11) must survive every intent too.
  if (e.track) out.track = e.track;
  return out;
}

function withoutGeometry(e: EntityState): EntityState {
  const { grounding: _g, replaced: _r, ...rest } = e;
  return rest;
}

/** A person's grounding: `edited` when it replaced a proposal, else `accepted`. */
function grounded(e: EntityState, grounding: Grounding): EntityState {
  const base = withoutGeometry(e);
  return e.proposal
    ? { ...base, status: 'edited', kind: grounding.tag, grounding, replaced: e.proposal }
    : { ...base, status: 'accepted', kind: grounding.tag, grounding };
}

function refuse(message: string): EntityDecision {
  return { ok: false, message };
}

/** The next state of entity `e` for `intent`; `frameCount` bounds frames when known. */
export function decideEntity(
  e: EntityState,
  intent: EntityIntent,
  elapsedMs = 0,
  frameCount?: number,
): EntityDecision {
  const next = nextState(e, intent, frameCount);
  if (!next.ok) return next;
  const spent = (e.timeMs ?? 0) + Math.max(0, Math.round(elapsedMs));
  const value =
    spent > 0 && intent.type !== 'propose' ? { ...next.value, timeMs: spent } : next.value;
  if (value.grounding) {
    const problem = groundingProblem(value.grounding, frameCount);
    if (problem) return refuse(`"${e.text}": ${problem}`);
  }
  return { ok: true, value: tidy(value) };
}

function nextState(e: EntityState, intent: EntityIntent, frameCount?: number): EntityDecision {
  switch (intent.type) {
    case 'accept': {
      const p = e.proposal;
      // A counting answer proposes a number, not geometry: accepting it verifies the number.
      if (!p && e.role === 'answer' && e.proposedCount !== undefined)
        return { ok: true, value: { ...e, status: 'accepted', count: e.proposedCount } };
      if (!p) return refuse(`"${e.text}" has no proposal to accept; draw its geometry instead`);
      if (frameCount !== undefined && p.frame >= frameCount)
        return refuse(
          `"${e.text}": the proposal is on frame ${p.frame}, but the sample has ${frameCount} frames; draw its geometry instead`,
        );
      const size = intent.size;
      const convert = size && size[0] > 0 && size[1] > 0;
      const grounding: Grounding = convert
        ? {
            ...p,
            points: p.points.map((q) => rescalePoint(q, p.size, size)),
            size: [size[0], size[1]],
          }
        : p;
      return {
        ok: true,
        value: { ...withoutGeometry(e), status: 'accepted', kind: e.kind ?? p.tag, grounding },
      };
    }
    case 'draw': {
      const grounding: Grounding = {
        tag: intent.tag,
        frame: intent.frame,
        points: intent.points.map((q) => [round2(q[0]), round2(q[1])] as const),
        size: [intent.size[0], intent.size[1]],
        source: 'human',
      };
      return { ok: true, value: grounded(e, grounding) };
    }
    case 'notGroundable': {
      if (e.status !== 'not_groundable')
        return { ok: true, value: { ...withoutGeometry(e), status: 'not_groundable' } };
      return { ok: true, value: { ...e, status: e.proposal ? 'proposed' : 'pending' } };
    }
    case 'kind':
      return { ok: true, value: { ...e, kind: intent.kind } };
    case 'frame': {
      if (!e.grounding)
        return refuse(`"${e.text}" has no grounding to move; accept or draw one first`);
      return {
        ok: true,
        value: grounded(e, { ...e.grounding, frame: intent.frame, source: 'human' }),
      };
    }
    case 'propose': {
      const verdict = proposalVerdict(e, intent.click ? 'click' : 'model');
      if (!verdict.allowed) return refuse(`"${e.text}": ${verdict.reason}`);
      const problem = groundingProblem(intent.proposal, frameCount);
      if (problem) return refuse(`"${e.text}": the proposal's ${problem}`);
      return {
        ok: true,
        value: { ...e, status: 'proposed', kind: intent.proposal.tag, proposal: intent.proposal },
      };
    }
  }
}
