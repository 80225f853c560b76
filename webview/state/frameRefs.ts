/**
 * The frame refs of a sample shown again in a new state (issue 14 item 5): what the page
 * already knows of a frame stays, and an unchanged list stays the same array, so an edit
 * reloads no frame and rebuilds no filmstrip. DOM-free, so it is tested in plain Node.
 */
import type { FrameRef } from '../../src/protocol/snapshot';

/**
 * The frame list after a new snapshot of the same sample: the refs already known stay (a
 * lazily extracted frame the snapshot does not carry yet, a size measured on the page), and
 * the list itself stays when no ref changed, so nothing downstream reloads a frame.
 */
export function keptFrames(old: readonly FrameRef[], fresh: readonly FrameRef[]): FrameRef[] {
  let changed = old.length !== fresh.length;
  const out = fresh.map((frame, index) => {
    const known = old[index];
    if (!known) return frame;
    const keepKnown =
      (!frame.uri && known.uri !== undefined) ||
      (frame.uri === known.uri && !(frame.width > 0) && known.width > 0) ||
      sameRef(frame, known);
    if (keepKnown) return known;
    changed = true;
    return frame;
  });
  return changed ? out : (old as FrameRef[]);
}

function sameRef(a: FrameRef, b: FrameRef): boolean {
  return (
    a.index === b.index &&
    a.uri === b.uri &&
    a.thumbUri === b.thumbUri &&
    a.width === b.width &&
    a.height === b.height &&
    a.time === b.time &&
    a.sourceFrame === b.sourceFrame &&
    a.sharpness === b.sharpness
  );
}
