/**
 * Turns the models' suggestions into entity proposals in the document. The rule: a model
 * proposal is stored only when the entity has no proposal or its proposal is itself from a
 * model, and never over a person's work (a grounding, accepted/edited/rejected); a model
 * click (SAM) replaces any proposal the person has not accepted yet, since they asked for it.
 */
import type { EntityState, Grounding } from '../core/model';
import type { SampleView } from '../core/sample';
import { isProblem, readSample } from '../core/sample';
import { kindHistory, mayPropose } from '../core/suggest/proposeEntity';
import { RequestError } from '../protocol/envelope';
import type { CancelToken } from '../protocol/envelope';
import type { EntitySuggestion, ModelClick, SegmentOutcome } from '../protocol/suggestion';
import type { EditorSession } from './editorSession';
import { sampleViewAt } from './sampleSnapshot';
import type { ComputedSuggestion, SuggestionService } from './suggestionService';

function service(session: EditorSession): SuggestionService {
  const s = session.options.suggestions;
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
  const sample = sampleViewAt(session.doc, line);
  if (id !== undefined && sample.fields.id !== id)
    throw new RequestError('stale', `line ${line + 1} is no longer sample "${id}"`);
  const e = sample.state.entities[entity];
  if (!e)
    throw new RequestError('not-found', `sample "${sample.fields.id}" has no entity ${entity}`);
  return { sample, e };
}

const boxKey = (g: Grounding | undefined): string =>
  g && g.tag === 'object'
    ? `${g.frame}:${g.points
        .flat()
        .map((v) => Math.round(v))
        .join(',')}`
    : '';

/** Stores `proposal` as the entity's proposal when the rule allows; returns whether it did. */
function store(
  session: EditorSession,
  sample: SampleView,
  index: number,
  proposal: Grounding,
  label: string,
  force: boolean,
): { applied: boolean; reason?: string } {
  const { e } = entityAt(session, sample.line, sample.fields.id, index);
  const allowed = force ? !e.grounding && e.status !== 'rejected' : mayPropose(e);
  if (!allowed)
    return {
      applied: false,
      reason: e.grounding
        ? 'kept the human grounding'
        : e.status === 'rejected'
          ? 'the entity is marked not groundable'
          : 'kept the imported proposal',
    };
  if (JSON.stringify(e.proposal) === JSON.stringify(proposal)) return { applied: true };
  const value: EntityState = {
    text: e.text,
    status: 'proposed',
    kind: proposal.tag,
    proposal,
    ...(e.replaced ? { replaced: e.replaced } : {}),
    ...(e.timeMs !== undefined ? { timeMs: e.timeMs } : {}),
  };
  session.edit(
    { type: 'entity/set', line: sample.line, id: sample.fields.id, entity: index, value },
    label,
  );
  return { applied: true };
}

function boxProposal(c: ComputedSuggestion, chosen: number): Grounding | undefined {
  const b = c.candidates[chosen];
  if (!b || c.kind !== 'object') return undefined;
  const [x1, y1, x2, y2] = b.box;
  return {
    tag: 'object',
    frame: c.frame,
    points: [
      [x1, y1],
      [x2, y2],
    ],
    size: [c.size[0], c.size[1]],
    source: `model:${c.modelId}`,
    score: Math.min(1, Math.max(0, b.score)),
  };
}

function finish(
  session: EditorSession,
  sample: SampleView,
  entity: number,
  c: ComputedSuggestion,
  chosen: number,
): EntitySuggestion {
  const p = boxProposal(c, chosen);
  const r = p
    ? store(session, sample, entity, p, 'model proposal', false)
    : { applied: false, reason: c.reason };
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
  session.broadcast({ type: 'model/suggestion/didChange', suggestion: out });
  return out;
}

/** The kind choices of every sample of the document, for the learned kind rule. */
function history(session: EditorSession): ReturnType<typeof kindHistory> {
  const states = [];
  for (let i = 0; i < session.doc.lines.length; i++) {
    const s = readSample((session.doc.lines[i] as { raw: string }).raw, i);
    if (!isProblem(s)) states.push(s.state);
  }
  return kindHistory(states);
}

/** `model/suggest`: runs the models for one entity and stores the best box when allowed. */
export async function suggestEntity(
  session: EditorSession,
  line: number,
  entity: number,
  signal?: CancelToken,
): Promise<EntitySuggestion> {
  const svc = service(session);
  const { sample, e } = entityAt(session, line, undefined, entity);
  const computed = await svc.suggest(sample, e.text, history(session), signal);
  // A kind the person chose (1 / 2) beats the suggested one.
  const own = e.kind === 'object' || e.kind === 'area' ? e.kind : undefined;
  const { reason: _reason, ...rest } = computed;
  const ownReason =
    own === 'area'
      ? 'area: points need a model click (SAM)'
      : rest.candidates.length
        ? undefined
        : 'no detection matches the text';
  const c: ComputedSuggestion =
    own && own !== computed.kind
      ? { ...rest, kind: own, ...(ownReason ? { reason: ownReason } : {}) }
      : computed;
  // The sample may have changed while the models ran: re-read it before choosing.
  const now = entityAt(session, line, sample.fields.id, entity).sample;
  // Two entities of one sample ("the girl", "the boy") should not get the same box.
  const used = new Set(
    now.state.entities.filter((_, i) => i !== entity).map((x) => boxKey(x.grounding ?? x.proposal)),
  );
  const free = c.candidates.findIndex(
    (b) => !used.has(boxKey(boxProposal({ ...c, candidates: [b] }, 0))),
  );
  const chosen = free >= 0 ? free : 0;
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

/** `model/segment`: SAM from clicks; an object gets the mask's tight box, an area 5 points. */
export async function segmentEntity(
  session: EditorSession,
  line: number,
  entity: number,
  frame: number,
  clicks: readonly ModelClick[],
  signal?: CancelToken,
): Promise<SegmentOutcome> {
  const svc = service(session);
  const { sample, e } = entityAt(session, line, undefined, entity);
  const tag = e.kind === 'area' ? 'area' : 'object';
  const { modelId, reply } = await svc.segment(
    sample,
    frame,
    clicks,
    tag === 'area' ? 5 : undefined,
    signal,
  );
  const [w, h] = reply.mask.size[0] > 0 ? [reply.mask.size[1], reply.mask.size[0]] : [0, 0];
  const points =
    tag === 'area'
      ? (reply.points ?? []).map((p) => [p[0], p[1]] as const)
      : reply.box
        ? [[reply.box[0], reply.box[1]] as const, [reply.box[2], reply.box[3]] as const]
        : [];
  if (points.length === 0)
    return {
      modelId,
      tag,
      score: reply.score,
      applied: false,
      reason: 'the model found no mask at the clicks',
    };
  const proposal: Grounding = {
    tag,
    frame,
    points,
    size: [w, h],
    source: `model:${modelId}`,
    mask: reply.mask,
    score: Math.min(1, Math.max(0, reply.score)),
  };
  const r = store(session, sample, entity, proposal, 'model click', true);
  return {
    modelId,
    tag,
    score: reply.score,
    applied: r.applied,
    ...(r.reason ? { reason: r.reason } : {}),
  };
}
