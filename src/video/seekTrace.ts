/**
 * Stage stamps of a frame asked for on screen, for the seek bench and its probe
 * (bench/seekProbe.ts): with GW_TRACE set, the host writes `TRACE seek <stage> <frame> at
 * <epoch ms>` to stderr, on the page's clock too (performance.timeOrigin is the epoch in
 * every process), so the time between the key press and the image can be split between
 * the decoder, the cache write, the reply and the page. Off by default: one read at load.
 */

/** Read once: the flag cannot change while the process runs. */
const ENABLED = !!process.env.GW_TRACE;

/** Writes one stage stamp of an on-screen frame request when GW_TRACE is set. */
export function traceSeek(stage: string, sourceFrame: number): void {
  if (ENABLED)
    process.stderr.write(
      `TRACE seek ${stage} ${sourceFrame} at ${(performance.timeOrigin + performance.now()).toFixed(2)}\n`,
    );
}
