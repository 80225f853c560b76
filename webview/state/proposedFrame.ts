/**
 * The frame the models propose for the active entity, while it still waits for a person:
 * the filmstrip marks it and `J` jumps there. A suggestion never moves the view by itself
 * (DESIGN.md section 4), so this is the only way its frame reaches the stage.
 */
import type { EditorState } from './store';
import { suggestionKey } from './store';

/** The active entity's proposed frame; undefined once it is accepted, drawn or not groundable. */
export function proposedFrame(state: EditorState): number | undefined {
  const index = state.entity;
  const entity = index === undefined ? undefined : state.sample?.state.entities[index];
  if (!state.sample || index === undefined || !entity) return undefined;
  if (entity.status !== 'pending' && entity.status !== 'proposed') return undefined;
  if (entity.proposal) return entity.proposal.frame;
  return state.suggestions.get(suggestionKey(state.sample.id, index))?.frame;
}
