/**
 * Builds the EditorSession of serve mode through the shared factory: the dataset read from
 * disk, media checked against the roots and served through the server's URLs, and an undo
 * stack of the session's own (no VS Code around).
 */
import { dirname } from 'node:path';
import { openDataset } from '../io/datasetFile';
import { defaultMediaRoots } from '../io/mediaFacts';
import { createSession } from '../session/createSession';
import type { EditorSession, LogLevel } from '../session/editorSession';

/** Options of a serve-mode session. */
export interface ServeSessionOptions {
  readonly datasetPath: string;
  readonly mediaRoots?: readonly string[];
  readonly exportDrafts?: boolean;
  /** False with `--no-models`: no inference worker is ever started. */
  readonly models?: boolean;
  /** The inference device (`auto` by default) and the models folder. */
  readonly device?: 'auto' | 'cuda' | 'cpu';
  readonly modelsDir?: string;
  readonly log: (level: LogLevel, message: string) => void;
}

/** Opens the dataset and builds the session; `toUri` comes from the server. */
export async function makeServeSession(
  o: ServeSessionOptions,
  toUri: (abs: string) => string,
): Promise<{ session: EditorSession; roots: () => Promise<readonly string[]> }> {
  const doc = await openDataset(o.datasetPath);
  const roots = defaultMediaRoots(o.datasetPath, o.mediaRoots ?? []);
  const session = createSession({
    path: o.datasetPath,
    opened: { doc },
    mode: 'serve',
    roots,
    toUri,
    log: o.log,
    models: {
      enabled: o.models !== false,
      offReason: '--no-models',
      ...(o.device ? { device: o.device } : {}),
      ...(o.modelsDir ? { modelsDir: o.modelsDir } : {}),
    },
    exportDrafts: o.exportDrafts === true,
  });
  o.log('info', `media roots: ${roots.join(', ')} (dataset folder ${dirname(o.datasetPath)})`);
  return { session, roots: () => session.media.roots() };
}
