/**
 * The entity panel: every entity with its status, kind and source (as data attributes for
 * tests), and the active entity's details: kind, frame, geometry, status, source, proposal,
 * time spent, with the kind buttons and accept / reject.
 */
import type { EntityState, Grounding } from '../../src/core/model';
import { h } from '../dom';
import { entityColor } from '../stage/palette';
import type { Change, Store } from '../state/store';
import { suggestionKey } from '../state/store';
import { button, setEnabled, setPressed } from './controls';

/** What the panel's controls do. */
export interface EntityActions {
  activate(entity: number): void;
  setKind(kind: 'object' | 'area'): void;
  accept(): void;
  reject(): void;
  suggest(): void;
  cycleCandidate(): void;
}

function describe(g: Grounding | undefined): string {
  if (!g) return '—';
  const pts = g.points.map((p) => `(${Math.round(p[0])}, ${Math.round(p[1])})`).join(' ');
  return `${g.tag} @ frame ${g.frame}: ${pts} in ${g.size[0]}×${g.size[1]} [${g.source}${g.score !== undefined ? `, ${g.score.toFixed(2)}` : ''}]`;
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
  private items: HTMLElement[] = [];

  constructor(
    private readonly store: Store,
    private readonly a: EntityActions,
  ) {
    this.list = h('ol', { class: 'entity-list', 'data-testid': 'entity-list' });
    this.details = h('dl', { class: 'entity-details', 'data-testid': 'entity-details' });
    this.kindObject = button('kind-object', '1 Object', 'Kind: object, grounded by a box (1)', () =>
      a.setKind('object'),
    );
    this.kindArea = button('kind-area', '2 Area', 'Kind: area, grounded by points (2)', () =>
      a.setKind('area'),
    );
    this.acceptBtn = button('btn-accept', 'Accept', 'Accept the proposal (Enter)', a.accept, {
      secondary: false,
    });
    this.rejectBtn = button('btn-reject', 'Not groundable', 'Mark not groundable (Del)', a.reject);
    this.suggestBtn = button(
      'btn-suggest',
      'Suggest',
      'Ask the models for this entity now: kind, frame, box (S)',
      a.suggest,
    );
    this.cycleBtn = button(
      'btn-cycle',
      'Next box',
      'Next-best box candidate (C)',
      a.cycleCandidate,
    );
    this.suggestion = h('div', {
      class: 'entity-suggestion',
      'data-testid': 'active-entity-suggestion',
    });
    this.el = h(
      'section',
      { class: 'panel entity-panel', 'data-testid': 'entity-panel' },
      h('div', { class: 'panel-title' }, h('span', {}, 'Entities')),
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
      this.suggestion,
      this.details,
      this.list,
    );
    store.subscribe((c) => this.render(c));
  }

  private render(c: ReadonlySet<Change>): void {
    if (c.has('sample')) this.buildList();
    if (c.has('sample') || c.has('entity')) this.renderActive();
    if (c.has('sample') || c.has('entity') || c.has('ui')) this.renderSuggestion();
  }

  private renderSuggestion(): void {
    const s = this.store.state;
    const key = s.sample && s.entity !== undefined ? suggestionKey(s.sample.id, s.entity) : '';
    const sg = key ? s.suggestions.get(key) : undefined;
    setEnabled(this.suggestBtn, s.canSuggest && key !== '');
    setEnabled(this.cycleBtn, (sg?.candidates.length ?? 0) > 1);
    this.suggestion.dataset.state = s.suggesting === key && key ? 'running' : sg ? 'done' : 'none';
    if (s.suggesting === key && key) {
      this.suggestion.textContent = `Asking the models… (${s.inference.provider ?? s.inference.message})`;
      return;
    }
    if (!sg) {
      this.suggestion.textContent = s.canSuggest
        ? 'Suggest (S): kind, frame and box from the models'
        : s.inference.message;
      return;
    }
    const c = sg.candidates[sg.chosen];
    const box = c
      ? `box ${sg.chosen + 1}/${sg.candidates.length} ${c.label} ${c.score.toFixed(2)}`
      : (sg.reason ?? 'no box');
    this.suggestion.textContent = `Suggested: ${sg.kind} (${sg.kindReason}) · frame ${sg.frame} · ${box}${sg.applied ? '' : c ? ` — not stored: ${sg.reason ?? ''}` : ''} [model:${sg.modelId}]`;
  }

  private buildList(): void {
    const ents = this.store.state.sample?.state.entities ?? [];
    this.items = ents.map((e, i) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = entityColor(i);
      const li = h(
        'li',
        {
          class: 'entity-item',
          'data-testid': `entity-item-${i}`,
          'data-status': e.status,
          'data-kind': e.kind ?? '',
          'data-source': (e.grounding ?? e.proposal)?.source ?? '',
          'data-active': 'false',
          title: e.text,
        },
        swatch,
        h('span', { class: 'entity-text' }, e.text),
        h('span', { class: 'entity-status' }, e.kind ? `${e.kind} · ${e.status}` : e.status),
      );
      li.addEventListener('click', () => this.a.activate(i));
      return li;
    });
    this.list.replaceChildren(...this.items);
  }

  private renderActive(): void {
    const s = this.store.state;
    const i = s.entity;
    this.items.forEach((el, k) => {
      el.dataset.active = String(k === i);
      el.classList.toggle('active', k === i);
    });
    if (i !== undefined) this.items[i]?.scrollIntoView({ block: 'nearest' });
    const e: EntityState | undefined = this.store.activeEntity();
    setPressed(this.kindObject, e?.kind === 'object');
    setPressed(this.kindArea, e?.kind === 'area');
    for (const b of [this.kindObject, this.kindArea, this.rejectBtn])
      setEnabled(b, e !== undefined);
    setEnabled(this.acceptBtn, e?.proposal !== undefined);
    if (!e || i === undefined) {
      this.details.replaceChildren(
        h(
          'dd',
          {},
          s.sample && s.sample.state.entities.length === 0
            ? 'This reasoning has no [bracketed] entities.'
            : 'No entity selected (Tab).',
        ),
      );
      return;
    }
    const row = (k: string, v: string, id: string): Node[] => [
      h('dt', {}, k),
      h('dd', { 'data-testid': id }, v),
    ];
    this.details.replaceChildren(
      ...row('Entity', `${i}: ${e.text}`, 'active-entity-text'),
      ...row('Kind', e.kind ?? '—', 'active-entity-kind'),
      ...row('Status', e.status, 'active-entity-status'),
      ...row(
        'Frame',
        e.grounding
          ? String(e.grounding.frame)
          : e.proposal
            ? `${e.proposal.frame} (proposed)`
            : '—',
        'active-entity-frame',
      ),
      ...row('Geometry', describe(e.grounding), 'active-entity-geometry'),
      ...row('Source', e.grounding?.source ?? '—', 'active-entity-source'),
      ...row('Proposal', describe(e.proposal ?? e.replaced), 'active-entity-proposal'),
      ...row(
        'Time',
        e.timeMs !== undefined ? `${(e.timeMs / 1000).toFixed(1)} s` : '—',
        'active-entity-time',
      ),
    );
  }
}
