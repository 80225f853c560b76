/**
 * Puts a sample snapshot from the host into the store: a new sample opens on its first
 * undecided entity and that entity's frame; the same sample in a new state keeps the frame
 * and the active entity (clamped), and the frames already extracted.
 */
import { PAGE_INIT_ID, openingView } from '../../src/protocol/snapshot';
import type { InitSnapshot, SampleSnapshot } from '../../src/protocol/snapshot';
import { keptFrames } from './frameRefs';
import { takeInitSamples } from '../panels/samplePickerSync';
import type { Change, Store } from './store';

/**
 * Takes the host's first (or a reconnect's) snapshot: the dataset, the document, what the
 * host can do, and its sample (the same sample keeps its frame and entity). Returns the
 * sample shown, if any.
 */
export function showInit(store: Store, snap: InitSnapshot): SampleSnapshot | undefined {
  store.update(['samples', 'document', 'ui'], (draft) => {
    draft.datasetName = snap.datasetName;
    takeInitSamples(draft, snap);
    draft.document = snap.document;
    draft.canExport = snap.canExport;
    draft.canSuggest = snap.canSuggest;
    draft.inference = snap.inference;
    draft.user = snap.user;
  });
  const sample = snap.sample;
  if (sample) {
    const open = store.state.sample;
    showSample(store, sample, open?.line === sample.line && open.id === sample.id);
  } else
    store.update(['sample', 'frames', 'frame', 'entity'], (draft) => {
      draft.sample = undefined;
      draft.frames = [];
      draft.frame = 0;
      draft.entity = undefined;
    });
  return sample;
}

/**
 * Shows the snapshot a serve page carries (src/server/pageInit.ts), before its socket opens;
 * returns the sample shown. The socket's own `host/init` follows and shows the same sample in
 * its newest state; a reload that `remembered` another sample waits for that one instead.
 */
export function showPageInit(
  store: Store,
  remembered: number | undefined,
): SampleSnapshot | undefined {
  const block = document.getElementById(PAGE_INIT_ID);
  const text = block?.textContent;
  block?.remove();
  if (!text) return undefined;
  let snapshot: InitSnapshot;
  try {
    snapshot = JSON.parse(text) as InitSnapshot;
  } catch {
    return undefined;
  }
  if (remembered !== undefined && remembered !== snapshot.sample?.line) return undefined;
  return showInit(store, snapshot);
}

/**
 * Shows `snap`; `keep` keeps the frame and active entity (same sample, new state). A kept
 * sample announces only what changed (issue 14 item 5): `sample`, and `frames`, `frame` or
 * `entity` when they did, so an edit does not reload the frame or rebuild the filmstrip.
 */
export function showSample(store: Store, snap: SampleSnapshot, keep: boolean): void {
  if (keep) {
    keepSample(store, snap);
    return;
  }
  store.update(['sample', 'frames', 'frame', 'entity', 'ui'], (draft) => {
    draft.sample = snap;
    draft.frames = snap.media.frames.slice();
    draft.notice = undefined;
    // Another sample: review mode stays only when the queue itself opens the next one.
    draft.reviewing = false;
    draft.showProposal = false;
    const opening = openingView(snap);
    draft.entity = opening.entity;
    draft.frame = opening.frame;
  });
}

/** The same sample in a new state: the frame and the active entity stay (clamped). */
function keepSample(store: Store, snap: SampleSnapshot): void {
  const state = store.state;
  const frames = keptFrames(state.frames, snap.media.frames);
  const count = snap.state.entities.length;
  let entity = state.entity;
  if (entity !== undefined && entity >= count) entity = count ? count - 1 : undefined;
  const frame = Math.min(state.frame, Math.max(0, frames.length - 1));
  const changes: Change[] = ['sample'];
  if (frames !== state.frames) changes.push('frames');
  if (entity !== state.entity) changes.push('entity');
  if (frame !== state.frame) changes.push('frame');
  store.update(changes, (draft) => {
    draft.sample = snap;
    draft.frames = frames;
    draft.entity = entity;
    draft.frame = frame;
  });
}
