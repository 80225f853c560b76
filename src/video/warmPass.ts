/**
 * An ffmpeg pass started before its frames are known. A cold extraction needs the probe
 * index (ffprobe) before it can name its frames, and each of the two processes pays the
 * system ffmpeg's start-up (250-550 ms on a loaded 2-core machine: it links ~200 shared
 * libraries) one after the other. Here ffmpeg starts beside ffprobe and waits for its
 * filtergraph on an extra pipe (`-filter_complex_script pipe:N` is read while options are
 * parsed, before the input is opened), so its start-up overlaps the probe. Only passes that
 * decode from the first frame can use it: its arguments cannot carry a seek.
 */
import { startProcess } from './processRunner';
import type { SpawnFn, StartedProcess } from './processRunner';

/** A started, waiting pass; `feed` hands it the filtergraph, `cancel` kills it unused. */
export interface WarmPass {
  readonly proc: StartedProcess;
  readonly input: string;
  readonly outputCount: number;
  /** Receives stderr lines (showinfo) once the pass is fed. */
  onLine: ((line: string) => void) | undefined;
  /** Hands over the filtergraph (outputs labelled `[o0]`, `[o1]`, ...): decoding starts. */
  feed(graph: string): void;
  /** Kills the pass unused (the probe failed, or the frames need a seek). */
  cancel(): void;
}

/** Starts ffmpeg on `input` with `outputs`' encoders, waiting for its filtergraph. */
export function startWarmPass(
  ffmpegPath: string,
  input: string,
  // Only the encoders: framePass's PassOutput (structurally) — importing it would make a cycle.
  outputs: readonly { readonly encode: readonly string[] }[],
  opts: { spawnFn?: SpawnFn } = {},
): WarmPass {
  const n = outputs.length;
  // Outputs use fds 1, 3, 4, ... (as in framePass); the graph comes on the next one.
  const graphFd = n + 2;
  const args = [
    ...['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin'],
    ...['-filter_complex_script', `pipe:${graphFd}`],
    // -copyts keeps the demuxer's pts in the filtergraph, the same numbers ffprobe listed.
    ...['-copyts', '-i', input, '-vsync', 'passthrough'],
  ];
  outputs.forEach((o, k) =>
    args.push('-map', `[o${k}]`, ...o.encode, k === 0 ? 'pipe:1' : `pipe:${k + 2}`),
  );
  let fed = false;
  const warm: WarmPass = {
    input,
    outputCount: n,
    onLine: undefined,
    proc: startProcess(ffmpegPath, args, {
      what: `decoding frames of ${input}`,
      extraPipes: n,
      ...(opts.spawnFn ? { spawnFn: opts.spawnFn } : {}),
      onStderrLine: (line) => warm.onLine?.(line),
    }),
    feed(graph) {
      fed = true;
      const pipe = warm.proc.child.stdio[graphFd] as NodeJS.WritableStream | null;
      // EPIPE when ffmpeg died waiting: its exit code tells, not an unhandled 'error'.
      pipe?.on('error', () => undefined);
      pipe?.end(graph);
    },
    cancel() {
      if (!fed) warm.proc.child.kill('SIGKILL');
    },
  };
  // An unfed pass that dies (no ffmpeg, a bad file) is reported by the probe, not here.
  warm.proc.done.catch(() => undefined);
  return warm;
}
