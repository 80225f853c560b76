/**
 * How the entity panel shows the answer item (issue 15): its label with the task's tag and
 * tool, the task control, and the details only the answer has (acceptable frames, count).
 */
import { verifiedCount } from '../../src/core/answer';
import type { EntityState, TaskType } from '../../src/core/model';
import { TASK_TYPES } from '../../src/core/task';
import type { TaskOrigin } from '../../src/core/task';
import { answerWords } from '../answerActions';
import { h } from '../dom';

/** The list label of the answer item: "Answer" and the task's tag with the tool that draws it. */
export function answerTag(task: TaskType | undefined): string {
  return `${task ?? 'general'} · ${answerWords(task)}`;
}

const ORIGIN_WORDS: Readonly<Record<TaskOrigin, string>> = {
  editor: 'chosen here',
  line: "from the line's task",
  default: 'the dataset default (groundwork.defaultTask)',
  inferred: "inferred from the answer's tag",
};

/** The task control: a select of RynnBrain's task types; a change is one `sample/task` op. */
export function taskSelect(onChange: (task: TaskType) => void): HTMLSelectElement {
  const select = h(
    'select',
    {
      class: 'task-select',
      'data-testid': 'task-select',
      'aria-label': 'task type',
    },
    ...TASK_TYPES.map((task) => h('option', { value: task }, task)),
  );
  select.addEventListener('change', () => onChange(select.value as TaskType));
  // Keys typed into the select are for it, not the editor's shortcuts.
  select.addEventListener('keydown', (event) => event.stopPropagation());
  return select;
}

/** Shows the sample's task (and where it came from) in the control. */
export function showTask(
  select: HTMLSelectElement,
  task: TaskType | undefined,
  origin: TaskOrigin | undefined,
): void {
  select.value = task ?? 'general';
  select.disabled = task === undefined;
  select.title = origin ? `Task: ${task} (${ORIGIN_WORDS[origin]})` : 'Task';
  select.dataset.origin = origin ?? '';
}

/** The acceptable frames of a grounding answer, main first ("1, 4, 7"). */
export function answerFrameList(e: EntityState): number[] {
  const main = e.grounding ?? e.proposal;
  if (!main) return [];
  return [main.frame, ...(e.alternates ?? []).map((g) => g.frame).filter((f) => f !== main.frame)];
}

/** The number a counting answer stands at: the clicks, the accepted number, or the proposal. */
export function countText(e: EntityState): string {
  const verified = verifiedCount(e);
  if (verified !== undefined)
    return e.grounding ? `${verified} (clicked)` : `${verified} (accepted)`;
  const clicks = e.grounding?.points.length;
  if (clicks !== undefined) return `${clicks} (clicked)`;
  return e.proposedCount !== undefined ? `${e.proposedCount} (proposed)` : '—';
}

/** The answer's own detail rows. */
export function answerRows(
  e: EntityState,
  task: TaskType | undefined,
  frame: number,
  row: (term: string, value: string, id: string) => Node[],
): Node[] {
  if (task === 'counting') return row('Count', countText(e), 'answer-count');
  if (task === 'general' || task === undefined) return [];
  const frames = answerFrameList(e);
  const here = e.alternates?.find((g) => g.frame === frame);
  return [
    ...row(
      'Acceptable frames',
      frames.length ? frames.join(', ') : '— (draw the answer)',
      'answer-frames',
    ),
    // What the tools edit on an acceptable frame (the Geometry row is the answer's own frame).
    ...(here
      ? row(
          'This frame',
          `${here.tag}: ${here.points.map((p) => `(${Math.round(p[0])}, ${Math.round(p[1])})`).join(' ')}`,
          'answer-frame-here',
        )
      : []),
  ];
}

/** A small tag element for the list item ("segment · object box"). */
export function answerBadge(task: TaskType | undefined): HTMLElement {
  return h('span', { class: 'answer-tag', 'data-testid': 'answer-tag' }, answerTag(task));
}
