/**
 * A mask turned into what the stage draws: a fill canvas and an outline canvas in the
 * entity's colour, at source resolution, made once per change of the mask (decoding a
 * 1920x1080 RLE and filling its pixels costs milliseconds; redrawing a canvas costs none).
 */
import type { Rle } from '../../src/core/model';
import { decodeRle } from '../../src/core/rle';

/** A decoded mask ready to draw. */
export interface MaskBitmap {
  /** The RLE this was made from (a new one means a new bitmap). */
  readonly counts: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly width: number;
  readonly height: number;
  readonly fill: HTMLCanvasElement;
  readonly outline: HTMLCanvasElement;
  /** Set pixels. */
  readonly area: number;
  /** Tight box [x1, y1, x2, y2] (pixel edges), undefined when empty. */
  readonly box?: readonly [number, number, number, number];
}

/** Dash period of a proposal's outline, in source pixels along the diagonals. */
const DASH_PERIOD = 8;

/** Paints `alpha` (255 where set) with `color` into a new canvas of the mask's size. */
function tinted(
  alpha: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
  color: string,
) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const image = new ImageData(alpha, width, height);
  ctx.putImageData(image, 0, 0);
  // Keep the mask's alpha, take the colour: no HSL-to-RGB conversion of our own.
  ctx.globalCompositeOperation = 'source-in';
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, width, height);
  return canvas;
}

/** Decodes `rle` into fill and outline canvases; `dashed` breaks the outline (a proposal). */
export function maskBitmap(rle: Rle, color: string, dashed: boolean): MaskBitmap {
  const mask = decodeRle(rle);
  const { width, height, data } = mask;
  const fill = new Uint8ClampedArray(width * height * 4);
  const edge = new Uint8ClampedArray(width * height * 4);
  let area = 0;
  let x1 = width,
    y1 = height,
    x2 = -1,
    y2 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!data[i]) continue;
      area++;
      fill[i * 4 + 3] = 255;
      if (x < x1) x1 = x;
      if (x > x2) x2 = x;
      if (y < y1) y1 = y;
      if (y > y2) y2 = y;
      // A set pixel with an unset 4-neighbour (or the frame edge) is on the outline.
      const boundary =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !data[i - 1] ||
        !data[i + 1] ||
        !data[i - width] ||
        !data[i + width];
      if (boundary && !(dashed && Math.floor((x + y) / DASH_PERIOD) % 2 === 1))
        edge[i * 4 + 3] = 255;
    }
  }
  return {
    counts: rle.counts,
    color,
    dashed,
    width,
    height,
    fill: tinted(fill, width, height, color),
    outline: tinted(edge, width, height, color),
    area,
    ...(x2 >= 0 ? { box: [x1, y1, x2 + 1, y2 + 1] as const } : {}),
  };
}
