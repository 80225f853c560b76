/**
 * The entity panel: every entity with its status, kind and source (as data attributes for
 * tests), and the active entity's details: kind, frame, geometry, status, source, proposal,
 * time spent, with the kind buttons and accept / reject.
 */
import { isAnswer } from '../../src/core/answer';
import type { EntityState, Grounding, TaskType } from '../../src/core/model';
import { h } from '../dom';
import { entityColor } from '../stage/palette';
import type { Change, Store } from '../state/store';
import { suggestionKey } from '../state/store';
import { answerBadge, answerRows, showTask, taskSelect } from './answerDetails';
import { button, setEnabled, setPressed } from './controls';

/** What the panel's controls do. */
export interface EntityActions {
  activate(entity: number): void;
  setKind(kind: 'object' | 'area'): void;
  accept(): void;
  reject(): void;
  suggest(): void;
  cycleCandidate(): void;
  /** The sample's task (the answer item is rebuilt for it). */
  setTask(task: TaskType): void;
  /** "Add frame" mode of a grounding answer: drawing on another frame adds an acceptable frame. */
  toggleAddFrame(): void;
  /** Removes the acceptable frame on the current frame. */
  removeFrame(): void;
  addingFrame(): boolean;
}

function describe(grounding: Grounding | undefined): string {
  if (!grounding) return '—';
  const pts = grounding.points.map((p) => `(${Math.round(p[0])}, ${Math.round(p[1])})`).join(' ');
  return `${grounding.tag} @ frame ${grounding.frame}: ${pts} in ${grounding.size[0]}×${grounding.size[1]} [${grounding.source}${grounding.score !== undefined ? `, ${grounding.score.toFixed(2)}` : ''}]`;
}

/** The entity panel. */
export class EntityPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly details: HTMLElement;
  private readonly kindObject: HTMLElement;
  private readonly kindArea: HTMLElement;
  private readonly acceptBtn: HTMLElement;
  private readonly rejectBtn: HTMLElement;
  private readonly suggestBtn: HTMLElement;
  private readonly cycleBtn: HTMLElement;
  private readonly suggestion: HTMLElement;
  private readonly task: HTMLSelectElement;
  private readonly answerBar: HTMLElement;
  private readonly addFrameBtn: HTMLElement;
  private readonly removeFrameBtn: HTMLElement;
  private items: HTMLElement[] = [];
  /** The sample and entity texts the list was built for. */
  private shape = '';
  /** The item last scrolled into view (undefined: none since the list was built). */
  private scrolledTo: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly actions: EntityActions,
  ) {
    this.list = h('ol', { class: 'entity-list', 'data-testid': 'entity-list' });
    this.details = h('dl', { class: 'entity-details', 'data-testid': 'entity-details' });
    this.kindObject = button('kind-object', '1 Object', 'Kind: object, grounded by a box (1)', () =>
      actions.setKind('object'),
    );
    this.kindArea = button('kind-area', '2 Area', 'Kind: area, grounded by points (2)', () =>
      actions.setKind('area'),
    );
    this.acceptBtn = button('btn-accept', 'Accept', 'Accept the proposal (Enter)', actions.accept, {
      secondary: false,
    });
    this.rejectBtn = button(
      'btn-reject',
      'Not groundable',
      'Mark not groundable (Del)',
      actions.reject,
    );
    this.suggestBtn = button(
      'btn-suggest',
      'Suggest',
      'Ask the models for this entity now: kind, frame, box (S)',
      actions.suggest,
    );
    this.cycleBtn = button(
      'btn-cycle',
      'Next box',
      'Next-best box candidate (C)',
      actions.cycleCandidate,
    );
    this.task = taskSelect((task) => actions.setTask(task));
    this.addFrameBtn = button(
      'btn-answer-add-frame',
      '+ Frame',
      'Add an acceptable frame: go to another frame and draw the answer there (Esc ends)',
      () => actions.toggleAddFrame(),
    );
    this.removeFrameBtn = button(
      'btn-answer-remove-frame',
      '− Frame',
      'Remove the acceptable frame shown (the current frame)',
      () => actions.removeFrame(),
    );
    this.answerBar = h(
      'div',
      { class: 'entity-actions answer-actions', 'data-testid': 'answer-actions' },
      this.addFrameBtn,
      this.removeFrameBtn,
    );
    this.suggestion = h('div', {
      class: 'entity-suggestion',
      'data-testid': 'active-entity-suggestion',
    });
    this.el = h(
      'section',
      { class: 'panel entity-panel', 'data-testid': 'entity-panel' },
      h(
        'div',
        { class: 'panel-title' },
        h('span', {}, 'Entities'),
        h('label', { class: 'task-label' }, 'Task ', this.task),
      ),
      h(
        'div',
        { class: 'entity-actions' },
        this.kindObject,
        this.kindArea,
        this.acceptBtn,
        this.rejectBtn,
        this.suggestBtn,
        this.cycleBtn,
      ),
      this.answerBar,
      this.suggestion,
      this.details,
      this.list,
    );
    store.subscribe((c) => this.render(c));
  }

  private render(changes: ReadonlySet<Change>): void {
    if (changes.has('sample')) this.buildList();
    // The answer's rows depend on the frame shown (its acceptable frames).
    if (changes.has('sample') || changes.has('entity') || changes.has('frame')) this.renderActive();
    if (changes.has('sample') || changes.has('entity') || changes.has('frame'))
      this.renderAnswerBar();
    if (changes.has('sample') || changes.has('entity') || changes.has('ui'))
      this.renderSuggestion();
  }

  private renderSuggestion(): void {
    const state = this.store.state;
    const key =
      state.sample && state.entity !== undefined
        ? suggestionKey(state.sample.id, state.entity)
        : '';
    const sg = key ? state.suggestions.get(key) : undefined;
    setEnabled(this.suggestBtn, state.canSuggest && key !== '');
    setEnabled(this.cycleBtn, (sg?.candidates.length ?? 0) > 1);
    this.suggestion.dataset.state =
      state.suggesting === key && key ? 'running' : sg ? 'done' : 'none';
    if (state.suggesting === key && key) {
      this.suggestion.textContent = `Asking the models… (${state.inference.provider ?? state.inference.message})`;
      return;
    }
    if (!sg) {
      this.suggestion.textContent = state.canSuggest
        ? 'Suggest (S): kind, frame and box from the models'
        : state.inference.message;
      return;
    }
    const candidate = sg.candidates[sg.chosen];
    const box = candidate
      ? `box ${sg.chosen + 1}/${sg.candidates.length} ${candidate.label} ${candidate.score.toFixed(2)}`
      : (sg.reason ?? 'no box');
    this.suggestion.textContent = `Suggested: ${sg.kind} (${sg.kindReason}) · frame ${sg.frame} · ${box}${sg.applied ? '' : candidate ? ` — not stored: ${sg.reason ?? ''}` : ''} [model:${sg.modelId}]`;
  }

  private renderAnswerBar(): void {
    const sample = this.store.state.sample;
    showTask(this.task, sample?.task, sample?.taskOrigin);
    const e = this.store.activeEntity();
    const grounding = isAnswer(e) && e?.kind !== undefined && sample?.task !== 'counting';
    this.answerBar.hidden = !grounding;
    if (!grounding || !e) return;
    const frame = this.store.state.frame;
    setPressed(this.addFrameBtn, this.actions.addingFrame());
    setEnabled(this.addFrameBtn, (e.grounding ?? e.proposal) !== undefined);
    setEnabled(
      this.removeFrameBtn,
      (e.alternates ?? []).some((g) => g.frame === frame),
    );
  }

  /**
   * The list of entities: built again only when the sample or its entities' shape changed;
   * an edit of the same sample updates the items in place (issue 14 item 5).
   */
  private buildList(): void {
    const sample = this.store.state.sample;
    const ents = sample?.state.entities ?? [];
    const shape = sample
      ? `${sample.line}:${sample.id}:${sample.task}:${ents.map((e) => `${e.text}\u0001${String(isAnswer(e))}`).join('\u0002')}`
      : '';
    if (shape === this.shape) {
      ents.forEach((entity, index) => {
        const li = this.items[index];
        if (li) this.fill(li, entity);
      });
      return;
    }
    this.shape = shape;
    this.items = ents.map((entity, index) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = entityColor(index);
      const li = h(
        'li',
        {
          class: 'entity-item',
          'data-testid': `entity-item-${index}`,
          'data-active': 'false',
          title: isAnswer(entity) ? `The answer (${sample?.task ?? 'general'} task)` : entity.text,
        },
        swatch,
        h('span', { class: 'entity-text' }, entity.text),
        // The answer shows its task's tag and tool in place of a kind.
        isAnswer(entity) ? answerBadge(sample?.task) : undefined,
        h('span', { class: 'entity-status' }),
      );
      this.fill(li, entity);
      li.addEventListener('click', () => this.actions.activate(index));
      return li;
    });
    this.list.replaceChildren(...this.items);
    this.scrolledTo = undefined;
  }

  /** Puts an entity's status, kind, source and role on its list item. */
  private fill(li: HTMLElement, entity: EntityState): void {
    setData(li, 'status', entity.status);
    setData(li, 'kind', entity.kind ?? '');
    setData(li, 'source', (entity.grounding ?? entity.proposal)?.source ?? '');
    setData(li, 'role', entity.role ?? '');
    const status = li.lastElementChild as HTMLElement;
    const words =
      entity.kind && !isAnswer(entity)
        ? `${entity.kind} · ${statusWords(entity.status)}`
        : statusWords(entity.status);
    if (status.textContent !== words) status.textContent = words;
  }

  private renderActive(): void {
    const state = this.store.state;
    const activeIndex = state.entity;
    this.items.forEach((el, index) => {
      el.dataset.active = String(index === activeIndex);
      el.classList.toggle('active', index === activeIndex);
    });
    // Only a newly active item is scrolled to: scrollIntoView lays the page out at once, which
    // an edit of the active entity need not pay.
    if (activeIndex !== undefined && activeIndex !== this.scrolledTo) {
      this.scrolledTo = activeIndex;
      this.items[activeIndex]?.scrollIntoView({ block: 'nearest' });
    }
    const entity: EntityState | undefined = this.store.activeEntity();
    const kind = isAnswer(entity) ? undefined : entity?.kind;
    setPressed(this.kindObject, kind === 'object');
    setPressed(this.kindArea, kind === 'area');
    // The answer's kind is its task's tag: the task control changes it, not the kind keys.
    for (const control of [this.kindObject, this.kindArea])
      setEnabled(control, entity !== undefined && !isAnswer(entity));
    setEnabled(this.rejectBtn, entity !== undefined);
    // A counting answer's proposal is a number, not geometry.
    setEnabled(
      this.acceptBtn,
      entity?.proposal !== undefined || (isAnswer(entity) && entity?.proposedCount !== undefined),
    );
    if (!entity || activeIndex === undefined) {
      this.details.replaceChildren(
        h(
          'dd',
          {},
          state.sample && state.sample.state.entities.length === 0
            ? 'This reasoning has no [bracketed] entities.'
            : 'No entity selected (Tab).',
        ),
      );
      return;
    }
    const row = (term: string, value: string, id: string): Node[] => [
      h('dt', {}, term),
      h('dd', { 'data-testid': id }, value),
    ];
    this.details.replaceChildren(
      ...row('Entity', `${activeIndex}: ${entity.text}`, 'active-entity-text'),
      // A counting answer's points are its count, whatever tag stores them.
      ...row(
        'Kind',
        isAnswer(entity) && state.sample?.task === 'counting' ? 'count' : (entity.kind ?? '—'),
        'active-entity-kind',
      ),
      ...row('Status', statusWords(entity.status), 'active-entity-status'),
      ...row(
        'Frame',
        entity.grounding
          ? String(entity.grounding.frame)
          : entity.proposal
            ? `${entity.proposal.frame} (proposed)`
            : '—',
        'active-entity-frame',
      ),
      ...row('Geometry', describe(entity.grounding), 'active-entity-geometry'),
      ...row('Source', entity.grounding?.source ?? '—', 'active-entity-source'),
      ...row('Proposal', describe(entity.proposal ?? entity.replaced), 'active-entity-proposal'),
      ...row(
        'Time',
        entity.timeMs !== undefined ? `${(entity.timeMs / 1000).toFixed(1)} s` : '—',
        'active-entity-time',
      ),
      ...(isAnswer(entity) ? answerRows(entity, state.sample?.task, state.frame, row) : []),
    );
  }
}

/** Sets a data attribute only when it changes (an unchanged write still restyles). */
function setData(el: HTMLElement, name: string, value: string): void {
  if (el.dataset[name] !== value) el.dataset[name] = value;
}

/** A status as words people read ("not groundable", never the key `not_groundable`). */
function statusWords(status: string): string {
  return status.replace('_', ' ');
}
