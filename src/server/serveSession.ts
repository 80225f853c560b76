/**
 * Builds the EditorSession of serve mode through the shared factory: the dataset read from
 * disk, media checked against the roots and served through the server's URLs, and an undo
 * stack of the session's own (no VS Code around).
 */
import { dirname } from 'node:path';
import { openDataset } from '../io/datasetFile';
import { defaultMediaRoots } from '../io/mediaFacts';
import type { DatasetDoc } from '../core/dataset';
import type { TaskType } from '../core/model';
import { chooseOpenedDocument, createSession } from '../session/createSession';
import type { EditorSession, LogLevel } from '../session/editorSession';
import { resolveUser } from '../session/identity';

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
  /** A crash recovery to open instead of the file (serve --recover); gets the file as read. */
  readonly recover?: (file: DatasetDoc) => DatasetDoc | undefined;
  /** Who edits (`--user`); else git's user.name of the dataset's folder, else the OS user. */
  readonly user?: string;
  /** The task of samples whose line names none (`--task`), as `export --task` reads them. */
  readonly defaultTask?: TaskType;
}

/** Opens the dataset and builds the session; `toUri` comes from the server. */
export async function makeServeSession(
  o: ServeSessionOptions,
  toUri: (abs: string) => string,
): Promise<{
  session: EditorSession;
  roots: () => Promise<readonly string[]>;
  base?: DatasetDoc;
}> {
  const doc = await openDataset(o.datasetPath);
  const opened = chooseOpenedDocument(doc, o.recover?.(doc));
  const roots = defaultMediaRoots(o.datasetPath, o.mediaRoots ?? []);
  const user = await resolveUser(o.user, { cwd: dirname(o.datasetPath) });
  const session = createSession({
    path: o.datasetPath,
    opened,
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
    user: () => user,
    ...(o.defaultTask ? { defaultTask: () => o.defaultTask } : {}),
  });
  o.log('info', `media roots: ${roots.join(', ')} (dataset folder ${dirname(o.datasetPath)})`);
  const base = opened.base ? { base: opened.base } : {};
  return { session, roots: () => session.media.roots(), ...base };
}
