/**
 * COCO run lengths read straight into a mask's tight box (DOM-free, so unit-tested): the
 * mask layer draws a click's mask from these without a frame-sized array or a frame-sized
 * scan for its box. Runs are column-major and alternate unset / set, unset first.
 */

/** The tight box [x1, y1, x2, y2] (pixel edges) of COCO's column-major runs, undefined when empty. */
export function runsBox(
  counts: readonly number[],
  height: number,
): [number, number, number, number] | undefined {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -1, -1];
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    const run = counts[i] as number;
    if (i % 2 === 1 && run > 0) {
      const first = at;
      const last = at + run - 1;
      const [left, right] = [Math.floor(first / height), Math.floor(last / height)];
      x1 = Math.min(x1, left);
      x2 = Math.max(x2, right);
      // A run over a column's end covers that column's last row and the next one's first.
      y1 = Math.min(y1, right > left ? 0 : first % height);
      y2 = Math.max(y2, right > left ? height - 1 : last % height);
    }
    at += run;
  }
  return x2 >= 0 ? [x1, y1, x2 + 1, y2 + 1] : undefined;
}

/**
 * The runs written into the box grown by one pixel each way (row-major, 0 outside the mask
 * and the frame), so each pixel's 4-neighbours can be read without bounds tests.
 */
export function boxPixels(
  counts: readonly number[],
  height: number,
  box: readonly [number, number, number, number],
): Uint8Array {
  const [left, top, right, bottom] = box;
  const stride = right - left + 2;
  const out = new Uint8Array(stride * (bottom - top + 2));
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    const run = counts[i] as number;
    // Column by column: a run is a stretch of rows in each column it crosses.
    for (let p = at, end = at + run; i % 2 === 1 && p < end;) {
      const x = Math.floor(p / height);
      const stop = Math.min(end, (x + 1) * height);
      const column = x - left + 1;
      for (let y = p - x * height, last = stop - x * height; y < last; y++)
        out[(y - top + 1) * stride + column] = 1;
      p = stop;
    }
    at += run;
  }
  return out;
}
