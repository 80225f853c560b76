/**
 * Samples of every RynnBrain task type, with model-written answers (a tag in `answer`) and
 * with answers a person drew (no tag; the grounding in the state), plus helpers to verify
 * every item the way an annotator would and to export a sample in both RynnBrain layouts.
 */
import { exportRecord } from '../../../src/core/export/formats';
import type { ExportFormat } from '../../../src/core/export/formats';
import type { TraceOptions } from '../../../src/core/export/trace';
import type {
  EntityState,
  FrameInfo,
  Grounding,
  SampleState,
  TaskType,
} from '../../../src/core/model';
import { isProblem, readSample } from '../../../src/core/sample';
import type { ReadOptions, SampleView } from '../../../src/core/sample';

/** One fixture: the line's fields, and the answer points RynnBrain must find, per frame. */
export interface Fixture {
  readonly name: string;
  readonly fields: Record<string, unknown>;
  /** The answer's acceptable frames and their points on the 0-1000 grid (grounding tasks). */
  readonly frames?: readonly { frame: number; points: [number, number][] }[];
  readonly tag?: string;
  readonly count?: number;
  readonly text?: string;
  /** A grounding a person drew for the answer (the answer text has none). */
  readonly drawn?: Grounding;
}

const base = {
  frames: ['f0.jpg', 'f1.jpg', 'f2.jpg', 'f3.jpg', 'f4.jpg', 'f5.jpg'],
  question: 'Where will the cup go?',
  reasoning:
    'The [cup] <object> <frame 1>: (100, 200), (300, 400) </object> moves along <trajectory> <frame 3>: ; (120, 410), (260, 300), (700, 290) </trajectory> to the [tray].',
};

/** Model-written answers of every task type (the grounding task answers carry their tags). */
export const MODEL_FIXTURES: readonly Fixture[] = [
  {
    name: 'trajectory',
    fields: {
      id: 'traj-1',
      ...base,
      answer: '<trajectory> <frame 3>: (120, 410), (260, 300), (700, 290) </trajectory>',
    },
    tag: 'trajectory',
    frames: [
      {
        frame: 3,
        points: [
          [120, 410],
          [260, 300],
          [700, 290],
        ],
      },
    ],
  },
  {
    name: 'affordance on two acceptable frames',
    fields: {
      id: 'aff-1',
      ...base,
      answer:
        'Grip here: <affordance> <frame 2>: (412, 388) </affordance> <affordance><frame 4>, (400, 380)</affordance>',
    },
    tag: 'affordance',
    frames: [
      { frame: 2, points: [[412, 388]] },
      { frame: 4, points: [[400, 380]] },
    ],
  },
  {
    name: 'area',
    fields: {
      id: 'area-1',
      ...base,
      task: 'area',
      answer: '<area> <frame 5>: ; (328, 812), (308, 817), (314, 817) </area>',
    },
    tag: 'area',
    frames: [
      {
        frame: 5,
        points: [
          [328, 812],
          [308, 817],
          [314, 817],
        ],
      },
    ],
  },
  {
    name: 'segment (alias referring) answers a box',
    fields: {
      id: 'seg-1',
      ...base,
      task: 'referring',
      answer: '<object>  <frame 0>:; (644, 0), (1000, 738) </object>',
    },
    tag: 'object',
    frames: [
      {
        frame: 0,
        points: [
          [644, 0],
          [1000, 738],
        ],
      },
    ],
  },
  {
    name: 'counting',
    fields: { id: 'count-1', ...base, answer: '<counting>4</counting>' },
    count: 4,
  },
  {
    name: 'counting with a bare number and task counting',
    fields: { id: 'count-2', ...base, task: 'counting', answer: ' 7 ' },
    count: 7,
  },
  {
    name: 'general',
    fields: { id: 'gen-1', ...base, question: '', answer: 'The cup ends on the tray.' },
    text: 'The cup ends on the tray.',
  },
];

/** Answers a person drew in the editor: the answer text has no grounding. */
export const DRAWN_FIXTURES: readonly Fixture[] = [
  {
    name: 'drawn segment box (pixels of a 640x480 frame)',
    fields: { id: 'seg-drawn', ...base, task: 'segmentation', answer: 'the cup' },
    tag: 'object',
    frames: [
      {
        frame: 2,
        points: [
          [100, 250],
          [500, 750],
        ],
      },
    ],
    drawn: {
      tag: 'object',
      frame: 2,
      points: [
        [64, 120],
        [320, 360],
      ],
      size: [640, 480],
      source: 'human',
    },
  },
  {
    name: 'drawn trajectory',
    fields: { id: 'traj-drawn', ...base, task: 'trajectory', answer: '' },
    tag: 'trajectory',
    frames: [
      {
        frame: 4,
        points: [
          [10, 20],
          [500, 500],
          [990, 980],
        ],
      },
    ],
    drawn: {
      tag: 'trajectory',
      frame: 4,
      points: [
        [10, 20],
        [500, 500],
        [990, 980],
      ],
      size: [1000, 1000],
      source: 'human',
    },
  },
];

/** Every item decided: proposals accepted, a drawn answer as an edit, the rest not groundable; approved. */
export function verifyAll(s: SampleView, drawn?: Grounding): SampleState {
  const entities = s.state.entities.map((e): EntityState => {
    if (e.role === 'answer' && drawn) return { ...e, status: 'edited', grounding: drawn };
    if (e.role === 'answer' && e.proposedCount !== undefined)
      return { ...e, status: 'accepted', count: e.proposedCount };
    if (e.proposal) return { ...e, status: 'accepted', grounding: e.proposal };
    // An entity nobody can ground (no proposal, nothing drawn) is marked so.
    return e.role === 'answer' ? e : { ...e, status: 'not_groundable' };
  });
  return { ...s.state, status: 'approved', entities };
}

/** Reads a line (throws on a problem), optionally with read options. */
export function view(line: string, opts: ReadOptions = {}): SampleView {
  const s = readSample(line, 0, opts);
  if (isProblem(s)) throw new Error(s.message);
  return s;
}

/** The fixture's line with every item verified, read back. */
export function verifiedView(f: Fixture, opts: ReadOptions = {}): SampleView {
  const s = view(JSON.stringify(f.fields), opts);
  return view(JSON.stringify({ ...f.fields, groundwork: verifyAll(s, f.drawn) }), opts);
}

/** Six 640x480 frames named like the fixtures' frame list. */
export const FRAMES: readonly FrameInfo[] = base.frames.map((p, index) => ({
  index,
  path: p,
  width: 640,
  height: 480,
}));

/** Exports a sample view in `format`. */
export function exportOf(
  s: SampleView,
  format: ExportFormat,
  opts: TraceOptions = {},
): Record<string, unknown> {
  const rec = exportRecord(
    format,
    { sample: s, frames: FRAMES, imagePath: (i) => `f${i}.jpg` },
    opts,
  );
  if (!rec) throw new Error('no record');
  return rec;
}

/** The task names each fixture stands for (the contract test runs every one). */
export const TASKS_COVERED: readonly TaskType[] = [
  'trajectory',
  'affordance',
  'area',
  'segment',
  'counting',
  'general',
];
