/**
 * The `rynnec` export: the layout RynnEC's segmentation loader reads
 * (benchmark/dataloader/seg_dataloader.py, used by evaluation/eval_seg.py): `video` the
 * frame list; `masks` one dict per object mapping frame keys to COCO compressed RLE,
 * decoded by pycocotools; the masks flattened in that order, `mask_ids[i]` the frame index
 * of the i-th; `height`, `width`, `timestamps`, `type`, `video_id` and the conversation.
 * The loader stacks every mask against frames of one size, so a mask of another size is a
 * reason to skip the sample, never a record RynnEC would crash on.
 */
import type { EntityState, FrameInfo, Rle } from '../model';
import type { SampleView } from '../sample';
import { exportedGrounding, traceText } from './trace';
import type { TraceOptions } from './trace';

/** What the record is made from (formats.ts's ExportInput, named here to keep imports one way). */
export interface RynnecInput {
  readonly sample: SampleView;
  readonly frames: readonly FrameInfo[];
  readonly imagePath: (index: number) => string;
}

/** The masks of one entity by frame (its grounding's and its track's), frame order. */
export function entityMasks(e: EntityState, opts: TraceOptions): { frame: number; mask: Rle }[] {
  const g = exportedGrounding(e, opts);
  if (!g) return [];
  const byFrame = new Map<number, Rle>();
  for (const t of e.track ?? []) byFrame.set(t.frame, t.mask);
  // The grounding's own mask wins over a stale track entry on its frame.
  if (g.mask) byFrame.set(g.frame, g.mask);
  return [...byFrame.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([frame, mask]) => ({ frame, mask }));
}

/** A record, or the reason this sample has none (every skip is reported with its reason). */
export type RynnecOutcome =
  { readonly record: Record<string, unknown> } | { readonly reason: string };

/** The `rynnec` record of one sample, or why it is skipped. */
export function rynnecOutcome(input: RynnecInput, opts: TraceOptions): RynnecOutcome {
  const s = input.sample;
  const where = `line ${s.line + 1}, sample "${s.fields.id}"`;
  const first = input.frames[0];
  if (!first) return { reason: `${where}: rynnec: the sample has no frames` };
  const odd = input.frames.find((f) => f.width !== first.width || f.height !== first.height);
  if (odd)
    return {
      reason: `${where}: rynnec: frame ${odd.index} is ${odd.width}x${odd.height}, frame 0 is ${first.width}x${first.height}; RynnEC needs one frame size`,
    };
  const masks: Record<string, { size: [number, number]; counts: string }>[] = [];
  const maskIds: number[] = [];
  const objects: string[] = [];
  for (const [i, e] of s.state.entities.entries()) {
    const list = entityMasks(e, opts);
    if (list.length === 0) continue;
    const dict: Record<string, { size: [number, number]; counts: string }> = {};
    for (const { frame, mask } of list) {
      if (frame >= input.frames.length)
        return {
          reason: `${where}, entity ${i} "${e.text}": rynnec: a mask is on frame ${frame}, the sample has ${input.frames.length} frames`,
        };
      if (mask.size[0] !== first.height || mask.size[1] !== first.width)
        return {
          reason: `${where}, entity ${i} "${e.text}": rynnec: the mask on frame ${frame} is ${mask.size[1]}x${mask.size[0]}, the frames are ${first.width}x${first.height}`,
        };
      dict[String(frame)] = { size: [mask.size[0], mask.size[1]], counts: mask.counts };
      maskIds.push(frame);
    }
    masks.push(dict);
    objects.push(e.text);
  }
  if (masks.length === 0)
    return {
      reason: `${where}: rynnec: no entity has a mask (draw one, or run prelabel --masks)`,
    };
  const fps = s.fields.fps ?? 2;
  return {
    record: {
      id: s.fields.id,
      video_id: '',
      video: input.frames.map((_, i) => input.imagePath(i)),
      timestamps: input.frames.map((f, i) => f.time ?? i / fps),
      height: first.height,
      width: first.width,
      type: s.task,
      conversations: [
        { from: 'human', value: s.fields.question ?? '' },
        { from: 'gpt', value: s.fields.answer ?? '' },
      ],
      objects,
      masks,
      mask_ids: maskIds,
      trace: traceText(s, opts),
    },
  };
}
