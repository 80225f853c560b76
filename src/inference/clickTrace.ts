/**
 * Stage stamps of a model click for the SAM bench (bench/sam.bench.ts): with GW_TRACE set,
 * the host and the worker write `TRACE click <stage> at <epoch ms>` to stderr, on one clock
 * (performance.timeOrigin is the epoch in every process), so the bench can say where a
 * click's time goes between the page, the host, the worker and the decoder graph. Off by
 * default: one environment read at load, then a boolean test per stage.
 */

/** Read once: the flag cannot change while the process runs. */
const ENABLED = !!process.env.GW_TRACE;

/** The current time in epoch milliseconds, comparable across processes on one machine. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Writes one stage stamp of a click when GW_TRACE is set. */
export function traceClick(stage: string): void {
  if (ENABLED) process.stderr.write(`TRACE click ${stage} at ${epochMs().toFixed(2)}\n`);
}

/**
 * Runs `run` and, when GW_TRACE is set, writes the process's CPU time over it (every thread,
 * onnxruntime's pool included) as `TRACE click <what> cpu <ms>`: against the wall time it
 * tells waiting for the cores from work.
 */
export async function traceCpu<T>(what: string, run: () => Promise<T>): Promise<T> {
  if (!ENABLED) return run();
  const before = process.cpuUsage();
  const out = await run();
  const used = process.cpuUsage(before);
  process.stderr.write(
    `TRACE click ${what} cpu ${((used.user + used.system) / 1000).toFixed(2)}\n`,
  );
  return out;
}
