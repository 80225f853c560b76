/**
 * The frame on screen gets the cores to itself: while its decode runs, the low-priority
 * ffmpeg processes (neighbours, the filmstrip, a proxy transcode) are stopped (SIGSTOP) and
 * continued after. Nice 10 alone was not enough on two cores: the on-screen decode of a
 * mid-GOP 1080p frame took 270 ms beside them against 110-125 ms alone (seek probe, load 3).
 * A hold ends when released or after HOLD_LIMIT_MS, so a hung decode never starves the rest;
 * the stopped decoders' own time-outs (4 s and more) are far above that.
 */
import type { ChildProcess } from 'node:child_process';

const HOLD_LIMIT_MS = 1000;
const live = new Set<ChildProcess>();
let holds = 0;

function send(child: ChildProcess, signal: 'SIGSTOP' | 'SIGCONT'): void {
  try {
    child.kill(signal);
  } catch {
    /* gone already, or a platform without job control signals: it just keeps running */
  }
}

/** Adds a low-priority child; it is stopped at once if a hold is on. */
export function registerLowPriority(child: ChildProcess): void {
  if (process.platform === 'win32') return;
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (holds > 0) send(child, 'SIGSTOP');
}

/** Stops the low-priority children until the returned release is called (idempotent). */
export function holdLowPriority(): () => void {
  if (holds++ === 0) for (const child of live) send(child, 'SIGSTOP');
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    if (--holds === 0) for (const child of live) send(child, 'SIGCONT');
  };
  const timer = setTimeout(release, HOLD_LIMIT_MS);
  timer.unref?.();
  return release;
}

/** How many low-priority children are known and whether a hold is on (for tests). */
export function lowPriorityState(): { live: number; held: boolean } {
  return { live: live.size, held: holds > 0 };
}
