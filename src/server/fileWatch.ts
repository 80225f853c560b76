/**
 * Watches one file for changes made by other programs. It watches folders, since an atomic
 * save by another program replaces the file (a watch on the file itself would go with the
 * old inode); through a symlink both the link's folder (the link replaced or re-pointed)
 * and the target's folder (the target edited: nothing changes in the link's folder then).
 */
import { realpathSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Calls `changed` when the file (or the link to it, or its target) may have changed. */
export class FileWatch {
  /** Watched folders, each with the names in it that are our file (the link, its target). */
  private readonly watchers = new Map<string, { watcher: FSWatcher; names: Set<string> }>();

  constructor(
    private readonly path: string,
    private readonly changed: () => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** Starts watching the file's folder and, through a symlink, the target's. */
  start(): void {
    this.add(this.path);
    this.follow();
  }

  /** Watches the symlink's target too, again after the link was pointed elsewhere. */
  follow(): void {
    if (this.watchers.size === 0) return;
    let real: string;
    try {
      real = realpathSync(this.path);
    } catch {
      return; // gone or dangling: the link's folder says when it comes back
    }
    if (!this.watchers.get(dirname(real))?.names.has(basename(real))) this.add(real);
  }

  /** Stops every watcher. */
  dispose(): void {
    for (const w of this.watchers.values()) w.watcher.close();
    this.watchers.clear();
  }

  private add(path: string): void {
    const dir = dirname(path);
    const known = this.watchers.get(dir);
    if (known) {
      known.names.add(basename(path));
      return;
    }
    const names = new Set([basename(path)]);
    try {
      const watcher = watch(dir, (_event, file) => {
        if (file === null || names.has(file)) this.changed();
      });
      watcher.on('error', (e) => this.warn(`watching ${dir} stopped: ${String(e)}`));
      this.watchers.set(dir, { watcher, names });
    } catch (e) {
      this.warn(`cannot watch ${path} (${String(e)}); saves still check it`);
    }
  }
}
