/**
 * `mask/propagate`: an entity's mask on one frame carried over the sampled frames by SAM
 * (core's runTrack: box + interior point + previous low-res mask, stop on drift). Every
 * propagated mask is stored as a `model:<id>` track entry with its predicted IoU, all of
 * them as one undo step; frames holding a person's mask are never overwritten (a corrected
 * frame re-seeds: propagate from it). A cancelled run stores nothing.
 */
import type { EntityState, Rle } from '../core/model';
import type { Op, ViewLeafOp } from '../core/ops';
import { runTrack, trackPrompt } from '../core/raster/trackRun';
import { decodeRle } from '../core/rle';
import type { TrackRun, TrackStep } from '../core/raster/trackRun';
import type { CancelToken } from '../protocol/envelope';
import { RequestError } from '../protocol/envelope';
import type { PropagateOutcome } from '../protocol/suggestion';
import type { EditorSession } from './editorSession';
import { sampleViewAt } from './sampleSnapshot';

/** The entity's mask on `frame`, from its grounding (or proposal) or its track. */
export function maskOn(e: EntityState, frame: number): Rle | undefined {
  const main = e.grounding ?? e.proposal;
  if (main?.frame === frame && main.mask) return main.mask;
  return e.track?.find((t) => t.frame === frame)?.mask;
}

/** Why propagation must not overwrite `frame` of `e` (a person's mask there), or undefined. */
function personalFrame(e: EntityState, frame: number): string | undefined {
  if (e.grounding?.frame === frame) return `frame ${frame} holds the entity's grounding`;
  const t = e.track?.find((x) => x.frame === frame);
  return t?.source === 'human'
    ? `frame ${frame} holds a person's mask (propagate from it)`
    : undefined;
}

/** Runs `mask/propagate` for entity `entity` of sample `line` from `frame`. */
export async function propagateMask(
  session: EditorSession,
  line: number,
  entity: number,
  frame: number,
  direction: 'forward' | 'backward' | 'both',
  signal?: CancelToken,
): Promise<PropagateOutcome> {
  const svc = session.suggestions;
  if (!svc?.segmentPrompt || !svc.frameCount)
    throw new RequestError('unsupported', 'mask propagation needs the models (SAM)');
  const sample = sampleViewAt(session.doc, line);
  const e = sample.state.entities[entity];
  if (!e)
    throw new RequestError('not-found', `sample "${sample.fields.id}" has no entity ${entity}`);
  const seed = maskOn(e, frame);
  if (!seed)
    throw new RequestError(
      'not-found',
      `"${e.text}" has no mask on frame ${frame}: make one first (model click, brush or polygon)`,
    );
  const count = await svc.frameCount(sample);
  const sides: ('forward' | 'backward')[] =
    direction === 'both' ? ['forward', 'backward'] : [direction];
  const total = sides.reduce((n, d) => n + (d === 'forward' ? count - frame - 1 : frame), 0);
  let modelId = '';
  let done = 0;
  const runs: Partial<Record<'forward' | 'backward', TrackRun>> = {};
  const segmentPrompt = svc.segmentPrompt.bind(svc);
  // SAM's low-res logits of the seed and the embedding under it (what the drift check
  // compares each frame with): a brushed or imported mask has neither, and a click's are the
  // session's; one decoder run on the (shown, so embedded) seed frame gives both.
  const seedPrompt = trackPrompt(decodeRle(seed));
  const seedReply = seedPrompt
    ? (
        await segmentPrompt(
          sample,
          frame,
          {
            box: seedPrompt.box,
            clicks: [{ x: seedPrompt.point[0], y: seedPrompt.point[1], positive: true }],
          },
          signal,
        )
      ).reply
    : undefined;
  const seedLowRes = seedReply?.lowResMask;
  const seedFeature = seedReply?.feature;
  for (const side of sides) {
    const order =
      side === 'forward'
        ? Array.from({ length: Math.max(0, count - frame - 1) }, (_, i) => frame + 1 + i)
        : Array.from({ length: frame }, (_, i) => frame - 1 - i);
    runs[side] = await runTrack(
      seed,
      order,
      async (f, prompt) => {
        const r = await segmentPrompt(
          sample,
          f,
          {
            box: prompt.box,
            clicks: [{ x: prompt.point[0], y: prompt.point[1], positive: true }],
            ...(prompt.maskInput ? { maskInput: prompt.maskInput } : {}),
          },
          signal,
        );
        modelId = r.modelId;
        return r.reply;
      },
      {
        ...(seedLowRes ? { seedLowRes } : {}),
        ...(seedFeature ? { seedFeature } : {}),
        stopAt: (f) => personalFrame(e, f),
        aborted: () => signal?.aborted === true,
        onStep: (step: TrackStep) => {
          done++;
          session.post({
            type: 'mask/propagate/didProgress',
            line,
            entity,
            frame: step.frame,
            score: step.score,
            done,
            total,
          });
        },
      },
    );
  }
  if (signal?.aborted)
    throw new RequestError('cancelled', 'propagation cancelled; nothing was stored');
  const steps = [...(runs.backward?.steps ?? []), ...(runs.forward?.steps ?? [])];
  const stops = {
    ...(runs.forward ? { forward: runs.forward.stop } : {}),
    ...(runs.backward ? { backward: runs.backward.stop } : {}),
  };
  const frames = steps.map((s) => ({ frame: s.frame, score: s.score }));
  if (steps.length === 0)
    return { modelId, frames, ...stops, applied: false, reason: 'no frame kept a mask' };
  // Re-read: the sample may have changed while SAM ran (an edit, a reload).
  const now = sampleViewAt(session.doc, line);
  if (now.fields.id !== sample.fields.id)
    throw new RequestError('stale', `line ${line + 1} is no longer sample "${sample.fields.id}"`);
  const ops: ViewLeafOp[] = steps.map((s) => ({
    type: 'mask/set',
    line,
    id: sample.fields.id,
    entity,
    text: e.text,
    frame: s.frame,
    mask: s.mask,
    source: `model:${modelId}`,
    score: s.score,
  }));
  const op: Op = ops.length === 1 ? (ops[0] as ViewLeafOp) : { type: 'batch', ops };
  session.edit(op, 'propagate mask');
  return { modelId, frames, ...stops, applied: true };
}
