/**
 * Puts a sample snapshot from the host into the store: a new sample opens on its first
 * undecided entity and that entity's frame; the same sample in a new state keeps the frame
 * and the active entity (clamped), and the frames already extracted.
 */
import type { InitSnapshot, SampleSnapshot } from '../../src/protocol/snapshot';
import { takeInitSamples } from '../panels/samplePickerSync';
import type { Store } from './store';

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

/** Shows `snap`; `keep` keeps the frame and active entity (same sample, new state). */
export function showSample(store: Store, snap: SampleSnapshot, keep: boolean): void {
  store.update(['sample', 'frames', 'frame', 'entity', 'ui'], (draft) => {
    const old = keep ? draft.frames : [];
    draft.sample = snap;
    // Keep frames already extracted for this sample: the new snapshot may not carry them yet.
    draft.frames = snap.media.frames.map((frame, index) => {
      const known = old[index];
      return !frame.uri && known?.uri ? known : frame;
    });
    const count = snap.state.entities.length;
    if (keep) {
      if (draft.entity !== undefined && draft.entity >= count)
        draft.entity = count ? count - 1 : undefined;
      if (draft.frame >= draft.frames.length) draft.frame = Math.max(0, draft.frames.length - 1);
      return;
    }
    draft.notice = undefined;
    // Another sample: review mode stays only when the queue itself opens the next one.
    draft.reviewing = false;
    draft.showProposal = false;
    const first = snap.state.entities.findIndex(
      (e) => e.status === 'pending' || e.status === 'proposed',
    );
    draft.entity = count ? (first >= 0 ? first : 0) : undefined;
    const entity = draft.entity !== undefined ? snap.state.entities[draft.entity] : undefined;
    const frame = entity?.grounding?.frame ?? entity?.proposal?.frame ?? 0;
    draft.frame = frame < draft.frames.length ? frame : 0;
  });
}
