/**
 * The answer item's own actions (issue 15): the sample's task, the tool that draws the
 * answer of each task, and more acceptable frames of a grounding answer ("add frame" mode:
 * what a tool draws on another frame becomes an acceptable frame instead of moving the
 * answer). Every change is one op the host's `apply` decides.
 */
import { isAnswer } from '../src/core/answer';
import type { EntityState, Point, TaskType } from '../src/core/model';
import type { HostClient } from './host/hostClient';
import { sendOp } from './sendOp';
import type { Notice } from './sendOp';
import type { Store, ToolId } from './state/store';

/** The tool that draws the answer of `task` (general answers text: none). */
export function answerTool(task: TaskType | undefined): ToolId | undefined {
  switch (task) {
    case 'segment':
      return 'box';
    case 'area':
      return 'points';
    case 'trajectory':
      return 'trajectory';
    case 'affordance':
      return 'affordance';
    case 'counting':
      return 'count';
    default:
      return undefined;
  }
}

/** What the answer of `task` is, in words for the entity list ("object box", "a number"). */
export function answerWords(task: TaskType | undefined): string {
  switch (task) {
    case 'segment':
      return 'object box';
    case 'area':
      return 'area points';
    case 'trajectory':
      return 'trajectory';
    case 'affordance':
      return 'affordance point';
    case 'counting':
      return 'click to count';
    default:
      return 'text';
  }
}

/** Task, tool and acceptable frames of the active sample's answer. */
export class AnswerActions {
  /** While on, geometry drawn on a frame other than the answer's own is an acceptable frame. */
  private adding = false;

  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly notice: Notice,
  ) {}

  /** True while "add frame" mode is on (the entity panel shows the button pressed). */
  get addingFrame(): boolean {
    return this.adding;
  }

  /** Sets the sample's task (`sample/task`); the host rebuilds the answer item for it. */
  async setTask(task: TaskType): Promise<void> {
    const s = this.store.state.sample;
    if (!s || s.task === task) return;
    this.setAdding(false);
    await sendOp(
      this.client,
      this.notice,
      { type: 'sample/task', line: s.line, id: s.id, task },
      `task ${task}`,
    );
  }

  /** Turns "add frame" mode on or off (only for a grounding answer that has a grounding). */
  toggleAddFrame(): void {
    const e = this.store.activeEntity();
    if (!this.adding && !(isAnswer(e) && (e?.grounding ?? e?.proposal))) {
      this.notice('info', 'draw or accept the answer first; then add more acceptable frames');
      return;
    }
    this.setAdding(!this.adding);
    if (this.adding)
      this.notice('info', 'add frame: go to another frame and draw the answer there (Esc ends)');
  }

  /** Ends "add frame" mode (a new sample, another entity, Esc); true when it was on. */
  stopAdding(): boolean {
    const was = this.adding;
    this.setAdding(false);
    return was;
  }

  /**
   * The entity as the tools see it on `frame`: on one of the answer's acceptable frames, that
   * frame's grounding is the one they show, move and extend.
   */
  toolView(e: EntityState, frame: number): EntityState {
    const main = e.grounding ?? e.proposal;
    const also = isAnswer(e) && main?.frame !== frame ? alternateOn(e, frame) : undefined;
    return also ? { ...e, grounding: also } : e;
  }

  /**
   * A tool's gesture on a frame other than the answer's own, while "add frame" is on or on an
   * acceptable frame already there: stored as that acceptable frame; false when not for that.
   */
  commitAlternate(
    points: readonly Point[],
    size: readonly [number, number],
    label: string,
  ): boolean {
    const s = this.store.state.sample;
    const e = this.store.activeEntity();
    const main = e?.grounding ?? e?.proposal;
    const frame = this.store.state.frame;
    if (!s || !e || !isAnswer(e) || !main || main.frame === frame) return false;
    if (!this.adding && !alternateOn(e, frame)) return false;
    void sendOp(
      this.client,
      this.notice,
      { type: 'answer/alternate', line: s.line, id: s.id, action: 'add', frame, points, size },
      `${label} (acceptable frame ${frame})`,
    );
    return true;
  }

  /** Removes the acceptable frame on the current frame. */
  async removeFrame(): Promise<void> {
    const s = this.store.state.sample;
    const e = this.store.activeEntity();
    const frame = this.store.state.frame;
    if (!s || !isAnswer(e)) return;
    if (!e || !alternateOn(e, frame)) {
      this.notice('info', `frame ${frame} is not an acceptable frame of the answer`);
      return;
    }
    const op = {
      type: 'answer/alternate' as const,
      line: s.line,
      id: s.id,
      action: 'remove' as const,
      frame,
    };
    await sendOp(this.client, this.notice, op, `remove acceptable frame ${frame}`);
  }

  private setAdding(on: boolean): void {
    if (this.adding === on) return;
    this.adding = on;
    // The panels render from the store: a change there shows the mode.
    this.store.update(['entity'], () => undefined);
  }
}

/** The answer's acceptable frame on `frame`, beyond its own. */
function alternateOn(e: EntityState, frame: number): EntityState['grounding'] {
  return e.alternates?.find((g) => g.frame === frame);
}
