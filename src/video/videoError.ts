/** Errors of the video layer: one class, a stable code, and a message that names the file. */

/** What went wrong, for callers that branch on it (the CLI, the editor's status line). */
export type VideoErrorCode =
  | 'not-found'
  | 'empty'
  | 'unreadable'
  | 'no-video'
  | 'no-frames'
  | 'ffmpeg-missing'
  | 'ffmpeg-failed'
  | 'outside-roots'
  | 'bad-request'
  | 'cancelled';

/** A video-layer failure whose message is fit to show a user as is (it names the path). */
export class VideoError extends Error {
  override readonly name = 'VideoError';
  constructor(
    readonly code: VideoErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** The error every cancelled operation rejects with, so callers can tell it from a failure. */
export function cancelledError(what: string): VideoError {
  return new VideoError('cancelled', `Cancelled: ${what}`);
}

/**
 * Turns ffmpeg/ffprobe stderr into one readable line: the last lines that look like errors,
 * without the `[mov,mp4 @ 0x55...]` prefixes that only mean something to ffmpeg developers.
 */
export function ffmpegReason(stderr: string, path?: string): string {
  const lines = (path ? stderr.split(`${path}: `).join('') : stderr)
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim())
    .filter(
      (l) =>
        l &&
        !/^(frame=|size=|video:|Input #|Output #|Stream |Duration:|Metadata:|\s*[a-z_]+\s*:)/i.test(
          l,
        ),
    );
  const tail = lines.slice(-2).join('; ');
  return tail.length > 300 ? tail.slice(0, 300) + '…' : tail || 'no error output';
}
