/**
 * A mask turned into what the stage draws: a fill canvas and an outline canvas in the
 * entity's colour, at source resolution over the mask's tight box, made once per change of the mask (decoding a
 * 1920x1080 RLE and filling its pixels costs milliseconds; redrawing a canvas costs none).
 */
import type { Rle } from '../../src/core/model';
import { stringToCounts } from '../../src/core/rle';
import { boxPixels, runsBox } from './maskRuns';

/** A decoded mask ready to draw. */
export interface MaskBitmap {
  /** The RLE this was made from (a new one means a new bitmap). */
  readonly counts: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly width: number;
  readonly height: number;
  /** Where the canvases sit in the mask (they cover its tight box only). */
  readonly left: number;
  readonly top: number;
  readonly fill: HTMLCanvasElement;
  readonly outline: HTMLCanvasElement;
  /** Set pixels. */
  readonly area: number;
  /** Tight box [x1, y1, x2, y2] (pixel edges), undefined when empty. */
  readonly box?: readonly [number, number, number, number];
}

/** Dash period of a proposal's outline, in source pixels along the diagonals. */
const DASH_PERIOD = 8;

/** Packed RGBA words (in the platform's byte order) of CSS colours, parsed once each. */
const packed = new Map<string, number>();

/** `color` as one ImageData pixel word, opaque; the canvas parses the CSS for us. */
function colorWord(color: string): number {
  const known = packed.get(color);
  if (known !== undefined) return known;
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  let word = 0;
  if (ctx) {
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const [red, green, blue] = ctx.getImageData(0, 0, 1, 1).data;
    word =
      new Uint32Array(new Uint8ClampedArray([red ?? 0, green ?? 0, blue ?? 0, 255]).buffer)[0] ?? 0;
  }
  packed.set(color, word);
  return word;
}

/** A canvas holding `image`. */
function canvasOf(image: ImageData): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  return canvas;
}

/**
 * Decodes `rle` into fill and outline canvases; `dashed` breaks the outline (a proposal).
 * The canvases hold the mask's tight box only (placed at `left`, `top`): a click's mask is
 * a small part of the frame, and filling and uploading a frame-sized bitmap twice was most
 * of the cost of showing it. The runs are read into that box alone (never a frame-sized
 * array), which is what the click's reply waits for before it is drawn.
 */
export function maskBitmap(rle: Rle, color: string, dashed: boolean): MaskBitmap {
  const [height, width] = rle.size;
  const counts = stringToCounts(rle.counts);
  const box = runsBox(counts, height);
  const [left, top, right, bottom] = box ?? [0, 0, 1, 1];
  const boxWidth = right - left;
  const boxHeight = bottom - top;
  const fillImage = new ImageData(boxWidth, boxHeight);
  const edgeImage = new ImageData(boxWidth, boxHeight);
  // One word per pixel, written in the entity's colour: no compositing pass afterwards.
  const fill = new Uint32Array(fillImage.data.buffer);
  const edge = new Uint32Array(edgeImage.data.buffer);
  const word = colorWord(color);
  const data = box ? boxPixels(counts, height, box) : new Uint8Array(0);
  const stride = boxWidth + 2;
  let area = 0;
  for (let by = 0; box && by < boxHeight; by++) {
    const y = top + by;
    for (let bx = 0; bx < boxWidth; bx++) {
      const i = (by + 1) * stride + bx + 1;
      if (!data[i]) continue;
      const x = left + bx;
      area++;
      const out = by * boxWidth + bx;
      fill[out] = word;
      // A set pixel with an unset 4-neighbour (or the frame edge) is on the outline.
      const boundary =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !data[i - 1] ||
        !data[i + 1] ||
        !data[i - stride] ||
        !data[i + stride];
      if (boundary && !(dashed && Math.floor((x + y) / DASH_PERIOD) % 2 === 1)) edge[out] = word;
    }
  }
  return {
    counts: rle.counts,
    color,
    dashed,
    width,
    height,
    left,
    top,
    fill: canvasOf(fillImage),
    outline: canvasOf(edgeImage),
    area,
    ...(box ? { box } : {}),
  };
}
