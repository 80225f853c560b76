/**
 * The sample list's side of the host messages (moved out of app.ts): `host/init` brings every
 * summary once, `dataset/didChange` only the changed lines and the counts. A delta is placed
 * by binary search on the line, so an edit costs O(changed · log n) on the page, never a pass
 * over all samples.
 */
import type { DatasetDidChange, SampleListDidLoad } from '../../src/protocol/messages';
import type { InitSnapshot, SampleSummary } from '../../src/protocol/snapshot';
import type { EditorState, Store } from '../state/store';

/** Where the summary of line `line` is in `samples` (sorted by line), or -1. */
export function indexOfLine(samples: readonly SampleSummary[], line: number): number {
  let lo = 0;
  let hi = samples.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = (samples[mid] as SampleSummary).line;
    if (at === line) return mid;
    if (at < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Takes the full list of a `host/init` into `draft` (inside the init's store update); for a
 * large dataset the list follows in `dataset/didList`, and until then the picker is empty.
 */
export function takeInitSamples(draft: EditorState, snapshot: InitSnapshot): void {
  draft.samples = snapshot.samples.slice();
  draft.counts = snapshot.counts;
  draft.samplesDelta = 'all';
}

/** Takes the list that follows a large dataset's `host/init`. */
export function applySampleList(store: Store, message: SampleListDidLoad): void {
  store.update(['samples'], (draft) => {
    draft.samples = message.samples.slice();
    draft.counts = message.counts;
    draft.samplesDelta = 'all';
  });
}

/** Applies a `dataset/didChange` delta: the changed summaries, the counts, the document state. */
export function applySamplesDelta(store: Store, message: DatasetDidChange): void {
  store.update(['samples', 'document'], (draft) => {
    draft.document = message.document;
    draft.counts = message.counts;
    const lines: number[] = [];
    for (const summary of message.changed) {
      const at = indexOfLine(draft.samples, summary.line);
      // A line that became blank or stopped being blank changes the list's shape: not seen
      // from an edit (ops keep lines), and a reload comes as a whole new `host/init`.
      if (at < 0) continue;
      draft.samples[at] = summary;
      lines.push(summary.line);
    }
    draft.samplesDelta = lines;
  });
}
