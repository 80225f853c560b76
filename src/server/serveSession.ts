/**
 * Builds the EditorSession of serve mode: the dataset read from disk, media checked against
 * the roots and served through the server's URLs, video through the video layer, and an
 * undo stack of its own (no VS Code around).
 */
import { dirname } from 'node:path';
import { openDataset } from '../io/datasetFile';
import { defaultMediaRoots } from '../io/mediaFacts';
import { EditorSession } from '../session/editorSession';
import type { LogLevel } from '../session/editorSession';
import { makeEditorExporter } from '../session/editorExport';
import { LocalMedia } from '../session/sampleMedia';
import { SuggestionService } from '../session/suggestionService';
import { createVideoFrames } from '../session/videoFramesAdapter';

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
  const { video, provider, problem } = createVideoFrames({ mediaRoots: roots });
  if (problem) o.log('warn', `video samples will show no frames: ${problem}`);
  const media = new LocalMedia({
    datasetPath: o.datasetPath,
    roots,
    toUri,
    ...(video ? { video } : {}),
  });
  const holder: { session?: EditorSession } = {};
  const exporter = provider
    ? makeEditorExporter({
        datasetPath: () => holder.session?.path ?? o.datasetPath,
        frames: provider,
        includeUnapproved: o.exportDrafts === true,
      })
    : undefined;
  const suggestions = new SuggestionService({
    enabled: o.models !== false,
    offReason: '--no-models',
    datasetPath: () => holder.session?.path ?? o.datasetPath,
    ...(provider ? { frames: provider } : {}),
    log: o.log,
    client: {
      ...(o.device ? { device: o.device } : {}),
      ...(o.modelsDir ? { modelsDir: o.modelsDir } : {}),
    },
  });
  const session = new EditorSession({
    path: o.datasetPath,
    doc,
    mode: 'serve',
    media,
    log: o.log,
    suggestions,
    ...(exporter ? { exporter } : {}),
  });
  holder.session = session;
  o.log('info', `media roots: ${roots.join(', ')} (dataset folder ${dirname(o.datasetPath)})`);
  return { session, roots: () => media.roots() };
}
