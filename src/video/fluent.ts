/**
 * The one module that touches fluent-ffmpeg (named by the product brief). It only answers
 * capability questions for `groundwork doctor`; frame extraction spawns ffmpeg directly
 * because it needs extra output pipes, exact selection and a kill on cancel.
 */
import ffmpeg from 'fluent-ffmpeg';

/** Codecs the video layer relies on, and whether this ffmpeg build has them. */
export interface CodecSupport {
  /** Decoders for the formats ego-centric datasets come in. */
  readonly decoders: Readonly<Record<string, boolean>>;
  /** The JPEG encoder that writes the frame cache; without it nothing can be extracted. */
  readonly mjpegEncoder: boolean;
}

const DECODERS = ['h264', 'hevc', 'vp9', 'av1', 'mpeg4'];

/** Asks `ffmpegPath` (through fluent-ffmpeg's codec listing) which codecs it supports. */
export function codecSupport(ffmpegPath: string, ffprobePath: string): Promise<CodecSupport> {
  // fluent-ffmpeg keeps its paths and its codec list in one process-wide cache.
  ffmpeg.setFfmpegPath(ffmpegPath);
  ffmpeg.setFfprobePath(ffprobePath);
  return new Promise((resolve, reject) => {
    ffmpeg.getAvailableCodecs((err, codecs) => {
      if (err) {
        reject(new Error(`cannot list codecs of ${ffmpegPath}: ${err.message}`));
        return;
      }
      const decoders: Record<string, boolean> = {};
      for (const d of DECODERS) decoders[d] = codecs[d]?.canDecode === true;
      resolve({ decoders, mjpegEncoder: codecs.mjpeg?.canEncode === true });
    });
  });
}
