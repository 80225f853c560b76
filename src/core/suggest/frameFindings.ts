/**
 * What the models saw on one frame, computed the same way for the editor and for
 * `groundwork prelabel`: detector boxes scaled back to source pixels and the frame's
 * sharpness on the decoded image. The two once measured sharpness on differently sized
 * images with different steps, and so chose different frames for the same entity.
 */
import type { Detection } from './boxMatch';
import { sharpness } from './frameScore';
import type { PixelImage } from './frameScore';

/** What the models saw on one frame of a sample's list. */
export interface FrameFindings {
  /** [width, height] of the frame in source pixels. */
  readonly size: readonly [number, number];
  /** Detector boxes in source pixels. */
  readonly detections: readonly Detection[];
  readonly sharpness: number;
}

/** Sharpness on every pixel of small frames, every 2nd or 4th of bigger ones: a few ms per frame at most. */
export function sharpnessStep(width: number): number {
  return width > 1280 ? 4 : width > 640 ? 2 : 1;
}

/**
 * The findings of one decoded frame: `image` is what the detector saw (possibly scaled down
 * to its input size), `sourceSize` the frame's displayed size the boxes are scaled to.
 */
export function frameFindings(
  image: PixelImage,
  detections: readonly Detection[],
  sourceSize: readonly [number, number],
): FrameFindings {
  const sx = sourceSize[0] / image.width,
    sy = sourceSize[1] / image.height;
  return {
    size: [sourceSize[0], sourceSize[1]],
    detections: detections.map((d) => ({
      ...d,
      box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy] as const,
    })),
    sharpness: sharpness(image, sharpnessStep(image.width)),
  };
}
