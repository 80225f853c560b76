/**
 * Clean-ups of a binary mask: fill its holes, keep its largest connected part. Both use
 * 4-connectivity (a diagonal touch does not join two regions), so a one-pixel diagonal
 * gap in an outline still separates a hole from the outside.
 */
import type { Mask } from '../mask';
import { cloneMask } from './brush';

/** Labels the 4-connected regions of pixels equal to `value`; returns labels (0: other) and sizes. */
function regions(mask: Mask, value: 0 | 1): { labels: Int32Array; sizes: number[] } {
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(w * h);
  const sizes: number[] = [0];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if ((data[start] ? 1 : 0) !== value || labels[start]) continue;
    const label = sizes.length;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop() as number;
      size++;
      const x = i % w;
      const next = [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w];
      for (const j of next) {
        if (j < 0 || j >= w * h || labels[j] || (data[j] ? 1 : 0) !== value) continue;
        labels[j] = label;
        stack.push(j);
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** Sets every unset region that does not touch the frame's edge (the mask's holes). */
export function fillHoles(mask: Mask): Mask {
  const { width: w, height: h } = mask;
  const { labels, sizes } = regions(mask, 0);
  const outside = new Set<number>();
  for (let x = 0; x < w; x++)
    outside.add(labels[x] as number).add(labels[(h - 1) * w + x] as number);
  for (let y = 0; y < h; y++)
    outside.add(labels[y * w] as number).add(labels[y * w + w - 1] as number);
  const out = cloneMask(mask);
  if (sizes.length <= 1) return out;
  for (let i = 0; i < w * h; i++) {
    const l = labels[i] as number;
    if (l && !outside.has(l)) out.data[i] = 1;
  }
  return out;
}

/** Keeps only the largest connected set region (the first one found on a tie). */
export function keepLargestComponent(mask: Mask): Mask {
  const { labels, sizes } = regions(mask, 1);
  let best = 0;
  for (let l = 1; l < sizes.length; l++)
    if ((sizes[l] as number) > (sizes[best] as number)) best = l;
  const out = cloneMask(mask);
  for (let i = 0; i < out.data.length; i++) out.data[i] = best && labels[i] === best ? 1 : 0;
  return out;
}
