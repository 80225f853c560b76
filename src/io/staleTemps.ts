/**
 * Leftovers of saves that crashed: temp files beside a dataset that no running process is
 * writing. Rule: a temp name carries the writer's pid (writeFs.ts `tempPattern`); one is
 * removed only when that pid is not running here (kill(pid, 0) says ESRCH). A live save, of
 * this process or another, is never touched; a pid reused by an unrelated process keeps its
 * leftover until that process ends (the safe side). Writers in another pid namespace that
 * share the folder are not told apart; one folder, one machine is what Groundwork assumes.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tempPattern } from './writeFs';

/** True while a process with this pid runs (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes stale temp files of `datasetPath` (through a symlink: of its target); returns them. */
export async function removeStaleTemps(datasetPath: string): Promise<string[]> {
  const real = await fs.realpath(datasetPath).catch(() => datasetPath);
  const dir = dirname(real);
  const pattern = tempPattern(basename(real));
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || pidAlive(Number(m[2]))) continue;
    const path = join(dir, name);
    const st = await fs.lstat(path).catch(() => undefined);
    if (!st?.isFile()) continue;
    await fs.rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}
