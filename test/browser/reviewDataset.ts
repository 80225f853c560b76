/**
 * The crafted dataset of the review browser tests: real frames from ../shared/assets, and
 * states written by hand so that the queue order, the IoU and the thread are known. Kept
 * beside the dataset as `<name>.orig` so a test can check untouched lines byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyAssets } from './harness';

/** The dataset's path inside the copied assets folder. */
export const REVIEW_DATASET = join('datasets', 'review.cop.jsonl');

const FRAMES = ['00000', '00015'].map((f) => `../frames/rb_object_location/${f}.jpg`);
const SIZE = [1920, 1080];

function box(x0: number, y0: number, x1: number, y1: number, source: string): object {
  return {
    tag: 'object',
    frame: 0,
    points: [
      [x0, y0],
      [x1, y1],
    ],
    size: SIZE,
    source,
  };
}

const accepted = {
  text: 'cup',
  status: 'accepted',
  kind: 'object',
  grounding: box(100, 100, 300, 300, 'human'),
  groundedBy: 'ann',
};

function line(id: string, state?: object): string {
  const base = `{"id": "${id}", "frames": ${JSON.stringify(FRAMES)}, "question": "where is the cup?", "reasoning": "the [cup] is on the shelf"`;
  return state ? `${base}, "groundwork": ${JSON.stringify(state)}}` : `${base}}`;
}

function annotated(at: string, entity: object = accepted): object {
  return { status: 'annotated', entities: [entity], annotatedBy: 'ann', annotatedAt: at };
}

/** The lines: todo, three annotated ones (12:00, 09:00, 10:00), approved, rejected. */
export const REVIEW_LINES = [
  line('r-todo'),
  line(
    'r-late',
    annotated('2026-11-30T12:00:00.000Z', {
      text: 'cup',
      status: 'edited',
      kind: 'object',
      grounding: box(100, 100, 300, 300, 'human'),
      proposal: box(150, 150, 350, 350, 'model:yolox-nano'),
      replaced: box(150, 150, 350, 350, 'model:yolox-nano'),
      groundedBy: 'ann',
    }),
  ),
  line('r-early', annotated('2026-11-30T09:00:00.000Z')),
  line('r-mid', annotated('2026-11-30T10:00:00.000Z')),
  line('r-approved', { ...annotated('2026-11-30T08:00:00.000Z'), status: 'approved' }),
  line('r-rejected', {
    ...annotated('2026-11-30T07:00:00.000Z'),
    status: 'rejected',
    comment: 'the cup is on frame 2',
    reviewedBy: 'rita',
    reviewedAt: '2026-11-30T13:00:00.000Z',
    comments: [{ author: 'rita', at: '2026-11-30T13:00:00.000Z', text: 'the cup is on frame 2' }],
  }),
];

/** Copies the shared assets to a temp folder and writes the dataset there; returns the folder. */
export function writeReviewDataset(): string {
  const dir = copyAssets();
  const text = REVIEW_LINES.join('\n') + '\n';
  writeFileSync(join(dir, REVIEW_DATASET), text);
  writeFileSync(join(dir, `${REVIEW_DATASET}.orig`), text);
  return dir;
}

/** The review dataset's workspace, in the form the served-editor fixture takes. */
export function reviewWorkspace(): { dir: string; dataset: string } {
  const dir = writeReviewDataset();
  return { dir, dataset: join(dir, REVIEW_DATASET) };
}
