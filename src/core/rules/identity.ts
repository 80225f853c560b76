/**
 * Who did what, and when (DESIGN.md section 2, "People"): `apply` stamps a person's entity
 * decisions (`groundedBy/At`), a sample's status moves (`annotatedBy/At`, `reviewedBy/At`,
 * a short history) and the comment thread. All of it lives in the `groundwork` value, and
 * only when the host names the person: core never guesses an identity or reads a clock.
 */
import type { EntityState, SampleComment, SampleState, SampleStatus, StatusChange } from '../model';

/** The person making a change and the time of it (ISO 8601), as the host knows them. */
export interface Actor {
  readonly user: string;
  readonly now: string;
}

/** How many status changes a sample keeps: enough to see a review round trip, short lines. */
export const HISTORY_LIMIT = 20;

/** How many comments a thread keeps; older ones drop first (a line must stay readable). */
export const COMMENT_LIMIT = 200;

/** Longest comment text kept, in characters (the view's prompt allows 2000). */
export const COMMENT_MAX = 10_000;

/**
 * The entity after a person's decision: stamped when it is decided (grounded, accepted,
 * not groundable), unstamped when the decision was taken back (pending or proposed again).
 */
export function stampEntity(e: EntityState, actor: Actor | undefined): EntityState {
  if (!actor) return e;
  const { groundedBy: _by, groundedAt: _at, ...rest } = e;
  if (e.status === 'pending' || e.status === 'proposed') return rest;
  return { ...rest, groundedBy: actor.user, groundedAt: actor.now };
}

/** Keeps the last `limit` items of a list (oldest dropped first). */
function lastOf<T>(items: readonly T[], limit: number): T[] {
  return items.length > limit ? items.slice(items.length - limit) : items.slice();
}

/**
 * The state after its status went from `from` to `state.status`: who annotated or reviewed
 * it and when, and one more history step. Staying put records nothing.
 */
export function stampStatus(
  from: SampleStatus,
  state: SampleState,
  actor: Actor | undefined,
  comment?: string,
): SampleState {
  const to = state.status;
  if (!actor || from === to) return state;
  const step: StatusChange = {
    status: to,
    by: actor.user,
    at: actor.now,
    ...(comment !== undefined ? { comment } : {}),
  };
  const history = lastOf([...(state.history ?? []), step], HISTORY_LIMIT);
  const who =
    to === 'annotated'
      ? { annotatedBy: actor.user, annotatedAt: actor.now }
      : to === 'approved' || to === 'rejected'
        ? { reviewedBy: actor.user, reviewedAt: actor.now }
        : {};
  return { ...state, ...who, history };
}

/** The state with one more comment in its thread; `entity` is the item it is about. */
export function withComment(
  state: SampleState,
  text: string,
  actor: Actor | undefined,
  entity?: number,
): SampleState {
  const comment: SampleComment = {
    author: actor?.user ?? 'unknown',
    // Without a host clock (a batch tool), the epoch says "time not known" rather than lying.
    at: actor?.now ?? new Date(0).toISOString(),
    text: text.slice(0, COMMENT_MAX),
    ...(entity !== undefined ? { entity } : {}),
  };
  return { ...state, comments: lastOf([...(state.comments ?? []), comment], COMMENT_LIMIT) };
}

/** A change to one comment of the thread: new text, or its removal. */
export type CommentChange =
  { readonly action: 'edit'; readonly text: string } | { readonly action: 'delete' };

/**
 * The state after the comment at `index` was edited or deleted, or why not: only its author
 * may change it (a reviewer's words are not the annotator's to rewrite), and an edit keeps
 * the time it was written and says when it was changed.
 */
export function changedComment(
  state: SampleState,
  index: number,
  change: CommentChange,
  actor: Actor | undefined,
):
  | { readonly ok: true; readonly state: SampleState }
  | { readonly ok: false; readonly message: string } {
  const thread = state.comments ?? [];
  const old = thread[index];
  if (!old) return { ok: false, message: `there is no comment ${index + 1} in this thread` };
  const user = actor?.user ?? 'unknown';
  if (old.author !== user)
    return { ok: false, message: `only ${old.author} can change their comment (you are ${user})` };
  if (change.action === 'delete')
    return { ok: true, state: { ...state, comments: thread.filter((_c, i) => i !== index) } };
  const text = change.text.trim();
  if (!text) return { ok: false, message: 'an edited comment needs some text (or delete it)' };
  const edited: SampleComment = {
    ...old,
    text: text.slice(0, COMMENT_MAX),
    editedAt: actor?.now ?? new Date(0).toISOString(),
  };
  return {
    ok: true,
    state: { ...state, comments: thread.map((c, i) => (i === index ? edited : c)) },
  };
}
