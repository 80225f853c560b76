/**
 * The verification flow of DESIGN.md section 4 as pure functions from an entity's state to
 * its next state: accept a proposal, draw (replacing it), reject, change kind. The app
 * wraps the results in `entity/set` ops; the host applies them.
 */
import { rescalePoint } from '../../src/core/coordinates';
import type { EntityState, Grounding, GroundingTag, Point } from '../../src/core/model';

/** The entity's geometry to show: the final grounding, else a live proposal. */
export function shownGrounding(e: EntityState): { g: Grounding; proposal: boolean } | undefined {
  if (e.grounding) return { g: e.grounding, proposal: false };
  if (e.proposal && e.status !== 'rejected') return { g: e.proposal, proposal: true };
  return undefined;
}

/** Points of `g` in the pixel space of a frame of size `size` (proposals are in [1000, 1000]). */
export function displayPoints(g: Grounding, size: readonly [number, number]): Point[] {
  if (!(size[0] > 0 && size[1] > 0) || (g.size[0] === size[0] && g.size[1] === size[1]))
    return g.points.map((p) => [p[0], p[1]] as const);
  return g.points.map((p) => rescalePoint(p, g.size, size));
}

function withTime(e: EntityState, addMs: number): { timeMs?: number } {
  const t = (e.timeMs ?? 0) + Math.max(0, Math.round(addMs));
  return t > 0 ? { timeMs: t } : {};
}

function base(e: EntityState): EntityState {
  // Only the fields the model defines, in a stable order (the line is written in this order).
  const out: { -readonly [K in keyof EntityState]: EntityState[K] } = {
    text: e.text,
    status: e.status,
  };
  if (e.kind) out.kind = e.kind;
  if (e.grounding) out.grounding = e.grounding;
  if (e.proposal) out.proposal = e.proposal;
  if (e.replaced) out.replaced = e.replaced;
  if (e.timeMs !== undefined) out.timeMs = e.timeMs;
  return out;
}

/** Accepts the proposal: points converted to the frame's pixel space, the source kept. */
export function acceptProposal(
  e: EntityState,
  frameSize: readonly [number, number],
  elapsedMs: number,
): EntityState | undefined {
  const p = e.proposal;
  if (!p) return undefined;
  const known = frameSize[0] > 0 && frameSize[1] > 0;
  const grounding: Grounding = known
    ? { ...p, points: displayPoints(p, frameSize), size: [frameSize[0], frameSize[1]] }
    : p;
  const { replaced: _r, ...rest } = base(e);
  return {
    ...rest,
    status: 'accepted',
    kind: e.kind ?? p.tag,
    grounding,
    ...withTime(e, elapsedMs),
  };
}

/** A drawing replaces whatever was there: `edited` if a proposal existed, else `accepted`. */
export function drawn(
  e: EntityState,
  tag: GroundingTag,
  frame: number,
  points: readonly Point[],
  frameSize: readonly [number, number],
  elapsedMs: number,
): EntityState {
  const grounding: Grounding = {
    tag,
    frame,
    points: points.map((p) => [round2(p[0]), round2(p[1])] as const),
    size: [frameSize[0], frameSize[1]],
    source: 'human',
  };
  const b = base(e);
  return {
    ...b,
    status: e.proposal ? 'edited' : 'accepted',
    kind: tag,
    grounding,
    ...(e.proposal ? { replaced: e.proposal } : {}),
    ...withTime(e, elapsedMs),
  };
}

/** Marks the entity not groundable; pressing it again on a rejected entity restores it. */
export function toggleRejected(e: EntityState, elapsedMs: number): EntityState {
  const b = base(e);
  if (e.status === 'rejected') {
    const status = e.grounding
      ? e.replaced
        ? 'edited'
        : 'accepted'
      : e.proposal
        ? 'proposed'
        : 'pending';
    return { ...b, status, ...withTime(e, elapsedMs) };
  }
  const { grounding: _g, ...rest } = b;
  return { ...rest, status: 'rejected', ...withTime(e, elapsedMs) };
}

/** Sets the kind (1 object, 2 area); the geometry stays until something is drawn. */
export function withKind(e: EntityState, kind: GroundingTag, elapsedMs: number): EntityState {
  return { ...base(e), kind, ...withTime(e, elapsedMs) };
}

/** Geometry in source pixels is kept to 2 decimals: sub-pixel enough, and short lines. */
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The tag a tool draws. */
export function tagForKind(kind: GroundingTag | undefined): GroundingTag {
  return kind ?? 'object';
}
