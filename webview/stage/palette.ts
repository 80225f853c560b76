/**
 * Entity colours: saturated hues that stay legible on any frame because every shape is
 * drawn with a dark halo under a coloured outline (the halo carries it on bright frames,
 * the colour on dark ones).
 */

const HUES = [200, 30, 120, 320, 55, 260, 0, 170, 90, 285, 15, 230];

/** The colour of entity `i` (stable across frames and sessions). */
export function entityColor(index: number): string {
  const hue = HUES[index % HUES.length] as number;
  const light = index >= HUES.length ? 70 : 60;
  return `hsl(${hue} 95% ${light}%)`;
}

/** The halo drawn under every outline. */
export const HALO = 'rgba(0, 0, 0, 0.75)';

/** Screen-pixel widths: outline, halo, point radius (constant whatever the zoom). */
export const LINE = { outline: 2, activeOutline: 3, halo: 5, point: 5, activePoint: 6 } as const;

/** Dash pattern of proposals, in screen pixels. */
export const DASH = [7, 5] as const;
