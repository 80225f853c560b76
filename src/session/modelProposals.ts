/**
 * Turns the models' suggestions into entity proposals. A suggestion (`S`, `C`, and the one a
 * view asks for by itself while someone browses) is an overlay held by the session, never an
 * edit: looking changes nothing. It is shown only where the entity has no proposal or a
 * model's, and never over a person's work (a grounding, accepted/edited/rejected). A model
 * click (SAM) is a person's act: it stores its proposal in the document, over any proposal
 * the person has not accepted yet, since they asked for it.
 */
import type { EntityState, Grounding } from '../core/model';
import type { SampleView } from '../core/sample';
import { isProblem, readSample } from '../core/sample';
import { proposalVerdict } from '../core/rules/proposalRule';
import { kindHistory } from '../core/suggest/proposeEntity';
import {
  candidateProposal,
  chooseCandidate,
  takenBoxes,
  unchosenReason,
} from '../core/suggest/rankCandidates';
import { AREA_POINT_COUNT } from '../core/raster/maskGrounding';
import { traceClick } from '../inference/clickTrace';
import { holdLowPriority } from '../video/lowPriorityHold';
import { RequestError } from '../protocol/envelope';
import type { CancelToken } from '../protocol/envelope';
import type { EntitySuggestion, ModelClick, SegmentOutcome } from '../protocol/suggestion';
import type { EditorSession, Suggester } from './editorSession';
import { sampleViewAt } from './sampleSnapshot';
import type { ComputedSuggestion } from './suggestionService';

function service(session: EditorSession): Suggester {
  const s = session.suggestions;
  if (!s)
    throw new RequestError('unsupported', 'model suggestions are not available in this build');
  return s;
}

function entityAt(
  session: EditorSession,
  line: number,
  id: string | undefined,
  entity: number,
): { sample: SampleView; e: EntityState } {
  const sample = sampleViewAt(session.doc, line, session.readOptions);
  if (id !== undefined && sample.fields.id !== id)
    throw new RequestError('stale', `line ${line + 1} is no longer sample "${id}"`);
  const e = sample.state.entities[entity];
  if (!e)
    throw new RequestError('not-found', `sample "${sample.fields.id}" has no entity ${entity}`);
  return { sample, e };
}

/** Shows `proposal` as the entity's suggestion (an overlay) when the proposal rule allows. */
function overlay(
  session: EditorSession,
  sample: SampleView,
  index: number,
  proposal: Grounding,
): { applied: boolean; reason?: string } {
  const { e } = entityAt(session, sample.line, sample.fields.id, index);
  const verdict = proposalVerdict(e, 'model');
  if (!verdict.allowed) return { applied: false, reason: verdict.reason };
  session.suggest(sample.line, sample.fields.id, index, e.text, proposal);
  return { applied: true };
}

/** Stores a model click's `proposal` in the document when the rule allows (an undo step). */
function store(
  session: EditorSession,
  sample: SampleView,
  index: number,
  proposal: Grounding,
): { applied: boolean; reason?: string } {
  const { e } = entityAt(session, sample.line, sample.fields.id, index);
  const verdict = proposalVerdict(e, 'click');
  if (!verdict.allowed) return { applied: false, reason: verdict.reason };
  if (JSON.stringify(e.proposal) === JSON.stringify(proposal)) return { applied: true };
  session.edit(
    {
      type: 'entity/propose',
      line: sample.line,
      id: sample.fields.id,
      entity: index,
      text: e.text,
      proposal,
      click: true,
    },
    'model click',
  );
  return { applied: true };
}

function finish(
  session: EditorSession,
  sample: SampleView,
  entity: number,
  c: ComputedSuggestion,
  chosen: number,
): EntitySuggestion {
  const p = candidateProposal(c, chosen, c.modelId);
  const r = p ? overlay(session, sample, entity, p) : { applied: false, reason: unchosenReason(c) };
  const out: EntitySuggestion = {
    line: sample.line,
    id: sample.fields.id,
    entity,
    kind: c.kind,
    kindReason: c.kindReason,
    frame: c.frame,
    candidates: c.candidates,
    chosen: p ? chosen : -1,
    applied: r.applied,
    modelId: c.modelId,
    ...(r.reason ? { reason: r.reason } : {}),
  };
  session.post({ type: 'model/suggestion/didChange', suggestion: out });
  return out;
}

/** The kind choices of every sample of the document, for the learned kind rule. */
function history(session: EditorSession): ReturnType<typeof kindHistory> {
  const states = [];
  for (let i = 0; i < session.doc.lines.length; i++) {
    const s = readSample((session.doc.lines[i] as { raw: string }).raw, i, session.readOptions);
    if (!isProblem(s)) states.push(s.state);
  }
  return kindHistory(states);
}

/** `model/suggest`: runs the models for one entity and shows the best box as an overlay. */
export async function suggestEntity(
  session: EditorSession,
  line: number,
  entity: number,
  signal?: CancelToken,
): Promise<EntitySuggestion> {
  const svc = service(session);
  const { sample, e } = entityAt(session, line, undefined, entity);
  // Core's pipeline, as prelabel runs it: a kind the person chose (1 / 2) beats the suggested one.
  const c = await svc.suggest(sample, e.text, history(session), signal, e.kind);
  // The sample may have changed while the models ran: re-read it before choosing.
  const now = entityAt(session, line, sample.fields.id, entity).sample;
  // Two entities of one sample ("the girl", "the boy") should not get the same box.
  const shown = session.overlays.apply(now.fields.id, now.state).state;
  const chosen = chooseCandidate(c, takenBoxes(shown.entities, entity));
  svc.remember(sample.fields.id, entity, c, chosen);
  return finish(session, now, entity, c, chosen);
}

/** `model/suggest/cycle`: the entity's next-best box candidate. */
export function cycleEntity(
  session: EditorSession,
  line: number,
  entity: number,
): EntitySuggestion {
  const svc = service(session);
  const { sample } = entityAt(session, line, undefined, entity);
  const next = svc.cycle(sample.fields.id, entity);
  if (!next)
    throw new RequestError(
      'not-found',
      'no box candidates for this entity yet: press S to ask the models',
    );
  return finish(session, sample, entity, next.s, next.chosen);
}

/**
 * `model/segment`: SAM from clicks (and a box); an object gets the mask's tight box, an area
 * 5 points inside it. On a fresh entity the result is its proposal; where the entity already
 * holds a person's grounding or a mask track, the click corrects the mask on that frame
 * (`mask/set`, a person's act), so refining clicks and propagated frames work the same way.
 */
export async function segmentEntity(
  session: EditorSession,
  line: number,
  entity: number,
  frame: number,
  clicks: readonly ModelClick[],
  signal?: CancelToken,
  box?: readonly [number, number, number, number],
): Promise<SegmentOutcome> {
  traceClick('host start');
  const svc = service(session);
  if (clicks.length === 0 && !box)
    throw new RequestError('invalid', 'a model click needs at least one click or a box');
  const { sample, e } = entityAt(session, line, undefined, entity);
  const tag = e.kind === 'area' ? 'area' : 'object';
  // A click is the person waiting: the video layer's background ffmpeg processes (filmstrip,
  // neighbours) stop while its decoder runs, as they do for the frame on screen (at most 1 s).
  const release = holdLowPriority();
  const { modelId, reply } = await svc
    .segment(sample, frame, clicks, tag === 'area' ? AREA_POINT_COUNT : undefined, signal, {
      entity,
      ...(box ? { box } : {}),
    })
    .finally(release);
  traceClick('host reply');
  const [w, h] = reply.mask.size[0] > 0 ? [reply.mask.size[1], reply.mask.size[0]] : [0, 0];
  const points =
    tag === 'area'
      ? (reply.points ?? []).map((p) => [p[0], p[1]] as const)
      : reply.box
        ? [[reply.box[0], reply.box[1]] as const, [reply.box[2], reply.box[3]] as const]
        : [];
  const base = { modelId, tag, score: reply.score, mask: reply.mask } as const;
  if (points.length === 0)
    return { ...base, applied: false, reason: 'the model found no mask at the clicks' };
  const now = entityAt(session, line, sample.fields.id, entity).e;
  const main = now.grounding ?? now.proposal;
  if (now.grounding || (main && main.frame !== frame)) {
    session.edit(
      {
        type: 'mask/set',
        line,
        id: sample.fields.id,
        entity,
        text: now.text,
        frame,
        mask: reply.mask,
        source: 'human',
      },
      'model click',
    );
    traceClick('host stored');
    return { ...base, applied: true, storedAs: 'mask' };
  }
  const proposal: Grounding = {
    tag,
    frame,
    points,
    size: [w, h],
    source: `model:${modelId}`,
    mask: reply.mask,
    score: Math.min(1, Math.max(0, reply.score)),
    fromMask: true,
  };
  // The click is what the person asked for: its proposal replaces any overlay shown there.
  session.overlays.forget(sample.fields.id, entity);
  const r = store(session, sample, entity, proposal);
  traceClick('host stored');
  return {
    ...base,
    applied: r.applied,
    ...(r.applied ? { storedAs: 'proposal' as const } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}
