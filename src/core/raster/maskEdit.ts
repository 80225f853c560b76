/**
 * The rules of the mask ops (`mask/set`, `mask/clear`): which grounding or track entry a
 * mask goes to, and when the points follow it. A mask on the entity's grounding frame
 * (the grounding's, else the proposal's) is that grounding's mask; a mask on any other
 * frame is an entry of the entity's track. Points made from a mask (`fromMask`) follow it;
 * points a person drew stay, and the mask is only attached to them.
 */
import { rescalePoint } from '../coordinates';
import type { EntityState, Grounding, GroundingSource, Rle, TrackMask } from '../model';
import { decodeRle } from '../rle';
import { MAX_SIDE, groundingProblem } from '../rules/geometryCheck';
import { pointsFromMask } from './maskGrounding';

/** A mask edit of one entity on one frame; `mask` absent clears that frame's mask. */
export interface MaskEdit {
  readonly frame: number;
  readonly mask?: Rle;
  readonly source?: GroundingSource;
  readonly score?: number;
}

/** The entity's next state, or why the edit does not fit. */
export type MaskDecision =
  | { readonly ok: true; readonly value: EntityState; readonly human: boolean }
  | { readonly ok: false; readonly message: string };

function refuse(message: string): MaskDecision {
  return { ok: false, message };
}

/** Why `rle` is not a mask of a sane frame, or undefined; decodes it to check its counts. */
function maskProblem(rle: Rle): string | undefined {
  const [height, width] = rle.size;
  const sane = (v: number): boolean => Number.isInteger(v) && v >= 1 && v <= MAX_SIDE;
  if (!sane(height) || !sane(width))
    return `mask size [${height}, ${width}] is not a frame size (each side 1-${MAX_SIDE} pixels)`;
  if (typeof rle.counts !== 'string') return 'mask counts must be a COCO compressed RLE string';
  try {
    decodeRle(rle);
  } catch (e) {
    return `mask: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

/** The grounding `g` carrying `mask`, its points following the mask or kept (rescaled). */
function withMask(g: Grounding, rle: Rle, source: GroundingSource, score?: number): Grounding {
  const size: [number, number] = [rle.size[1], rle.size[0]];
  const { score: _s, ...rest } = g;
  const points = g.fromMask
    ? pointsFromMask(decodeRle(rle), g.tag)
    : g.points.map((p) => rescalePoint(p, g.size, size));
  return {
    ...rest,
    points,
    size,
    source,
    mask: rle,
    ...(score !== undefined ? { score } : {}),
  };
}

function sortedTrack(track: readonly TrackMask[]): TrackMask[] | undefined {
  const out = track.slice().sort((a, b) => a.frame - b.frame);
  return out.length ? out : undefined;
}

function setTrack(e: EntityState, track: TrackMask[] | undefined): EntityState {
  const { track: _t, ...rest } = e;
  return track ? { ...rest, track } : rest;
}

/** The next state of `e` for `edit`; `frameCount` bounds frames when known. */
export function decideMask(e: EntityState, edit: MaskEdit, frameCount?: number): MaskDecision {
  const { frame } = edit;
  if (!Number.isInteger(frame) || frame < 0) return refuse(`frame ${frame} is not a frame index`);
  if (frameCount !== undefined && frame >= frameCount)
    return refuse(`frame ${frame} is out of range: the sample has ${frameCount} frames`);
  if (e.status === 'not_groundable')
    return refuse(`"${e.text}" is not groundable; restore it before editing its mask`);
  const main = e.grounding ?? e.proposal;
  const onMain = main !== undefined && main.frame === frame;
  const others = (e.track ?? []).filter((t) => t.frame !== frame);
  if (!edit.mask) {
    if (onMain) {
      if (!main.mask) return refuse(`"${e.text}" has no mask on frame ${frame}`);
      const { mask: _m, fromMask: _f, ...bare } = main;
      const value = e.grounding ? { ...e, grounding: bare } : { ...e, proposal: bare };
      return { ok: true, value, human: true };
    }
    if (others.length === (e.track ?? []).length)
      return refuse(`"${e.text}" has no mask on frame ${frame}`);
    return { ok: true, value: setTrack(e, sortedTrack(others)), human: true };
  }
  const rle: Rle = { size: [edit.mask.size[0], edit.mask.size[1]], counts: edit.mask.counts };
  const problem = maskProblem(rle);
  if (problem) return refuse(`"${e.text}": ${problem}`);
  const source = edit.source ?? 'human';
  const human = source === 'human';
  if (edit.score !== undefined && !(edit.score >= 0 && edit.score <= 1))
    return refuse(`score ${edit.score} is not between 0 and 1`);
  if (!onMain && main) {
    const entry: TrackMask = {
      frame,
      mask: rle,
      source,
      ...(edit.score !== undefined ? { score: edit.score } : {}),
    };
    return { ok: true, value: setTrack(e, sortedTrack([...others, entry])), human };
  }
  const tag = main?.tag ?? (e.kind === 'area' ? 'area' : 'object');
  const base: Grounding = main ?? { tag, frame, points: [], size: [1, 1], source, fromMask: true };
  const g = withMask(base, rle, source, edit.score);
  if (g.points.length === 0)
    return refuse(`"${e.text}": the mask on frame ${frame} is empty; clear it instead`);
  const geometry = groundingProblem(g, frameCount);
  if (geometry) return refuse(`"${e.text}": ${geometry}`);
  if (!human) {
    if (e.grounding)
      return refuse(
        `"${e.text}" has a person's grounding on frame ${frame}; a model mask does not replace it (correct it with model clicks or the brush)`,
      );
    return { ok: true, value: { ...e, status: 'proposed', proposal: g }, human };
  }
  if (e.grounding) return { ok: true, value: { ...e, grounding: g }, human };
  // A person's mask over a proposal (or nothing): their grounding now, as entity/draw does.
  const value: EntityState = e.proposal
    ? { ...e, status: 'edited', kind: e.kind ?? tag, grounding: g, replaced: e.proposal }
    : { ...e, status: 'accepted', kind: e.kind ?? tag, grounding: g };
  return { ok: true, value, human };
}
