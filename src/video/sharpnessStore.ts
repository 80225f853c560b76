/** Per-video sharpness scores kept next to the frame cache as `sharpness.json`. */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDir, writeAtomic } from './videoCache';

/** Scores by source frame number. */
export type SharpnessScores = Map<number, number>;

const loaded = new Map<string, Promise<SharpnessScores>>();
const writes = new Map<string, Promise<void>>();

/** The scores stored at `file` (empty when none yet); one shared map per file per process. */
export function loadSharpness(file: string): Promise<SharpnessScores> {
  let p = loaded.get(file);
  if (!p) {
    p = readFile(file, 'utf8').then(
      (s) =>
        new Map(
          Object.entries(JSON.parse(s) as Record<string, number>).map(([k, v]) => [Number(k), v]),
        ),
      () => new Map<number, number>(),
    );
    loaded.set(file, p);
  }
  return p;
}

/**
 * Writes the file from the shared map (callers `set` scores in the map as frames land, so
 * readers see them at once); writes to one file are serialised so none is lost.
 */
export async function saveSharpness(file: string): Promise<void> {
  const map = await loadSharpness(file);
  const prev = writes.get(file) ?? Promise.resolve();
  const next = prev.then(async () => {
    await ensureDir(dirname(file));
    // Rounded: three decimals of a variance are plenty and keep the file small.
    await writeAtomic(
      file,
      JSON.stringify(
        Object.fromEntries(
          [...map].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
        ),
      ),
    );
  });
  writes.set(
    file,
    next.catch(() => undefined),
  );
  await next;
}
