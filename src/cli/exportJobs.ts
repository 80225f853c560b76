/**
 * How many threads `groundwork export` uses (`--jobs N`, default the cores this process may
 * use) and where its worker script lies: `exportWorker.js` beside the bundle, or the `.ts`
 * source run through tsx in tests.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { WorkerScript } from '../io/exportPool';
import { CliError } from './command';

/** The most threads an export starts, whatever the machine: beyond it the writer is the limit. */
export const MAX_JOBS = 16;

/** The thread count from `--jobs` (a whole number 1..MAX_JOBS), or the cores available. */
export function exportJobs(option: string | undefined, cores = availableParallelism()): number {
  if (option === undefined) return Math.max(1, Math.min(MAX_JOBS, cores));
  const n = Number(option);
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS)
    throw new CliError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, not "${option}"`);
  return n;
}

/** The export worker script next to this module. */
export function exportWorkerScript(): WorkerScript {
  if (__filename.endsWith('.ts')) return { path: join(__dirname, 'exportWorker.ts'), tsx: true };
  return { path: join(__dirname, 'exportWorker.js') };
}
