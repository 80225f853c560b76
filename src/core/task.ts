/**
 * RynnBrain's task types (its `preprocess_cot.py` TASK_CONFIGS) and what a sample's answer is
 * for each: a grounding of the task's tag, a count, or text. The task comes from the editor's
 * choice, the line's `task`, a dataset default, or, when none says, a tag in the answer.
 */
import { parseCop } from './chainOfPoint';
import type { CopMatch } from './chainOfPoint';
import type { GroundingTag, SampleFields, TaskType } from './model';

/** Every task type, in RynnBrain's order. */
export const TASK_TYPES: readonly TaskType[] = [
  'trajectory',
  'affordance',
  'area',
  'counting',
  'segment',
  'general',
];

// `segmentation` is RynnBrain's own alias; its reward calls box answers `referring`.
const ALIASES: Readonly<Record<string, TaskType>> = {
  segmentation: 'segment',
  referring: 'segment',
  object: 'segment',
  traj: 'trajectory',
};

/** Resolves a task name or alias (`segmentation`, `referring`) case-insensitively. */
export function parseTask(name: string): TaskType | undefined {
  const n = name.trim().toLowerCase();
  if ((TASK_TYPES as readonly string[]).includes(n)) return n as TaskType;
  return Object.prototype.hasOwnProperty.call(ALIASES, n) ? ALIASES[n] : undefined;
}

/** The grounding tag a task's answer uses; undefined for `counting` and `general`. */
export function answerTag(task: TaskType): GroundingTag | undefined {
  switch (task) {
    case 'trajectory':
    case 'affordance':
    case 'area':
      return task;
    case 'segment':
      return 'object';
    default:
      return undefined;
  }
}

/** True for the tasks whose answer is a grounding (an item to verify on the frames). */
export function isGroundingTask(task: TaskType): boolean {
  return answerTag(task) !== undefined;
}

/** The task whose answer uses `tag` (grasp poses have no RynnBrain task). */
function taskOfTag(tag: GroundingTag): TaskType | undefined {
  if (tag === 'object') return 'segment';
  return tag === 'grasp_pose' ? undefined : tag;
}

const COUNTING = /<counting>\s*(\d+)\s*<\/counting>/i;

/** The task an answer text implies: its first grounding tag, `<counting>N</counting>`, else general. */
export function inferTask(answer: string | undefined): TaskType {
  if (!answer) return 'general';
  if (COUNTING.test(answer)) return 'counting';
  for (const g of parseCop(answer).groundings) {
    const t = taskOfTag(g.tag);
    if (t) return t;
  }
  return 'general';
}

/** Where a sample's task came from, for messages. */
export type TaskOrigin = 'editor' | 'line' | 'default' | 'inferred';

/** A sample's task and why; an unknown name in `task` is reported and the task inferred. */
export function sampleTask(
  fields: SampleFields,
  defaultTask?: TaskType,
): { task: TaskType; origin: TaskOrigin; problem?: string } {
  const chosen = fields.groundwork?.task;
  if (typeof chosen === 'string' && parseTask(chosen))
    return { task: parseTask(chosen) as TaskType, origin: 'editor' };
  let problem: string | undefined;
  if (typeof fields.task === 'string') {
    const t = parseTask(fields.task);
    if (t) return { task: t, origin: 'line' };
    problem = `unknown "task" "${fields.task}"; one of ${TASK_TYPES.join(', ')} (or segmentation, referring)`;
  } else if (fields.task !== undefined) problem = '"task" must be a string';
  const base = defaultTask
    ? { task: defaultTask, origin: 'default' as const }
    : { task: inferTask(fields.answer), origin: 'inferred' as const };
  return problem ? { ...base, problem } : base;
}

/** The groundings an answer text proposes for `task`: every tag of the task's tag, in order. */
export function answerGroundings(answer: string | undefined, task: TaskType): CopMatch[] {
  const tag = answerTag(task);
  if (!answer || !tag) return [];
  return parseCop(answer).groundings.filter((g) => g.tag === tag);
}

/** The number a counting answer proposes: `<counting>N</counting>`, or the answer is a bare number. */
export function answerCount(answer: string | undefined): number | undefined {
  if (!answer) return undefined;
  const m = COUNTING.exec(answer) ?? /^\s*(\d+)\s*$/.exec(answer);
  return m ? Number(m[1]) : undefined;
}
