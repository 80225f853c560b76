/**
 * Opens a SAM decoder as the sessions the engine runs: the rewritten graphs of
 * families/samDecoderGraph.ts where the file is the standard export, else the file as it
 * is. `GW_SAM_GRAPH=export` keeps the file as it is (to compare against, and a way out
 * should a rewrite ever misbehave on some export).
 */
import type * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import type { SamDecoderGraphs } from './families/samDecoderGraph';
import { samDecoderGraphs } from './families/samDecoderGraph';
import type { Device, ProvidedSession } from './providers';
import { createSession } from './providers';

/** The decoder's sessions: `decoder` always; the two stages where the split applies. */
export interface SamDecoderSessions extends ProvidedSession {
  readonly imageStage?: ort.InferenceSession;
  readonly promptStage?: ort.InferenceSession;
  /** Which graph runs: the rewrite, or the file as exported and why. */
  readonly graph: string;
}

/** The rewrites of the file, or why there are none (unreadable file, none fits, or turned off). */
function rewrites(path: string): SamDecoderGraphs | string {
  if (process.env.GW_SAM_GRAPH === 'export') return 'GW_SAM_GRAPH=export';
  try {
    const bytes = readFileSync(path);
    const graphs = samDecoderGraphs(bytes);
    return graphs.full === bytes && !graphs.prompt ? graphs.notes.join('; ') : graphs;
  } catch (e) {
    // A file the rewrite cannot read is opened as it is, so onnxruntime's own error names it.
    return `not rewritten: ${(e as Error).message}`;
  }
}

/** Opens the decoder at `path` (see the file comment). */
export async function openSamDecoder(
  path: string,
  device: Device,
  what: string,
  threads?: number,
): Promise<SamDecoderSessions> {
  const graphs = rewrites(path);
  if (typeof graphs === 'string')
    return {
      ...(await createSession(path, device, what, threads)),
      graph: `as exported (${graphs})`,
    };
  let main: ProvidedSession;
  try {
    main = await createSession(graphs.full, device, `${what}, rewritten`, threads);
  } catch (e) {
    process.stderr.write(
      `groundwork inference worker: ${what}: the rewritten decoder does not load, using the file as it is: ${(e as Error).message}\n`,
    );
    return {
      ...(await createSession(path, device, what, threads)),
      graph: 'as exported (the rewrite did not load)',
    };
  }
  if (!graphs.image || !graphs.prompt)
    return { ...main, graph: `rewritten (${graphs.notes.join('; ')})` };
  const image = await createSession(graphs.image, device, `${what}, image stage`, threads);
  const prompt = await createSession(graphs.prompt, device, `${what}, prompt stage`, threads);
  return {
    ...main,
    imageStage: image.session,
    promptStage: prompt.session,
    graph: graphs.notes.length
      ? `rewritten, staged (${graphs.notes.join('; ')})`
      : 'rewritten, staged',
  };
}
