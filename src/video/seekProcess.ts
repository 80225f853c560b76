/**
 * The long-lived ffmpeg behind the seek decoder (seekDecoder.ts). Its graph reads the video
 * with the `movie` source, which can seek on command, and takes commands over ZeroMQ (the
 * `zmq` filter, run for every decoded frame, so commands land even while ffmpeg is deep in
 * the graph): `movie=…,zmq,framestep@gate,select=<frames it may serve>,showinfo,setpts,split`
 * into the cache outputs. The gate (framestep with a step no video reaches, switched
 * by its timeline `enable` expression) drops frames before the wanted one; everything after
 * it that `select` lets through is encoded, so once we stop reading, the pipe fills and
 * ffmpeg blocks: parked at the wanted frame, using no CPU, its next frame already decoded.
 * `setpts` renumbers output frames 1 ms apart (with `-r 1000` as the encoders' clock), so
 * timestamps keep increasing across backward seeks (the encoder refuses others, and the
 * gate's step divides the frame rate into nonsense); identity is read before, at showinfo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PassOutput } from './framePass';
import { selectExpression } from './framePass';
import { JpegSplitter } from './jpegSplitter';
import { startProcess } from './processRunner';
import type { StartedProcess } from './processRunner';
import { connectZmq } from './zmqClient';
import type { ZmqCommands } from './zmqClient';

/** A framestep step no video reaches: with the gate enabled, nothing passes. */
const NEVER = 1 << 30;
// Linux caps one argument at 128 KiB; longer graphs go through a script file.
const INLINE_GRAPH_LIMIT = 100_000;

/** A running seek process: its command channel, and outputs matched to shown pts. */
export interface SeekProcess {
  readonly proc: StartedProcess;
  readonly zmq: ZmqCommands;
  /** Called with each frame's pts and its outputs (in `outputs` order), as they complete. */
  onFrame: (pts: number, parts: Buffer[]) => void;
  /** pts of the last frame shown (passed the gate and select), -Infinity before any. */
  lastShownPts: number;
  /**
   * Set once ffmpeg is ending: its command socket closed (the graph was freed at the end of
   * the file, well before the exit is seen) or the process exited. It takes no more commands.
   */
  readonly exited: boolean;
  /** Resolves when `exited` is set. */
  readonly ended: Promise<void>;
  /**
   * Whether the process keeps this one alive: only while a request waits on it, so that a
   * parked decoder never holds up the exit of `serve` or a command-line run.
   */
  hold(on: boolean): void;
  /** Stops reading ffmpeg's pipes (it blocks once they fill) or resumes. */
  pause(): void;
  resume(): void;
  /**
   * Stops the process itself (SIGSTOP) or continues it: a paused one still decodes on to
   * the frame that fills its pipe; a stopped one uses no CPU at all. No-op on Windows.
   */
  stop(on: boolean): void;
  kill(): void;
}

/** Escapes a filter option value for a filtergraph: option level, then graph level. */
export function escapeGraphValue(value: string): string {
  return value.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

/** Starts the seek process; rejects when ffmpeg cannot build the graph or bind the socket. */
export async function startSeekProcess(
  ffmpegPath: string,
  input: string,
  outputs: readonly PassOutput[],
  selectPts: readonly number[],
  lowPriority = false,
): Promise<SeekProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'groundwork-seek-'));
  // A Unix socket in a private folder: no port to race for, nobody else can send commands.
  const windows = process.platform === 'win32';
  const port = 20000 + Math.floor(Math.random() * 20000);
  const socket = join(dir, 'cmd');
  const bind = windows ? `tcp://127.0.0.1:${port}` : `ipc://${socket}`;
  const sorted = [...selectPts].sort((a, b) => a - b);
  const graph =
    // loop=0: at the end of the file it reads on from the start instead of exiting, so a
    // request after the last frame finds it alive (no 250-450 ms restart, no race with exit).
    // dec_threads=3: seek bench p95 222-237 ms in five runs, against 199-283 ms with 2.
    `movie=filename=${escapeGraphValue(input)}:dec_threads=3:loop=0,` +
    `zmq=bind_address=${escapeGraphValue(bind)},` +
    `framestep@gate=step=${NEVER}:enable=0,select=${selectExpression(sorted)},` +
    `showinfo=checksum=0,setpts=N/(1000*TB),split=${outputs.length}` +
    outputs.map((_, k) => `[s${k}]`).join('') +
    ';' +
    outputs.map((o, k) => `[s${k}]${o.filter || 'null'}[o${k}]`).join(';');
  let graphArgs = ['-filter_complex', graph];
  if (graph.length > INLINE_GRAPH_LIMIT) {
    writeFileSync(join(dir, 'graph.txt'), graph);
    graphArgs = ['-filter_complex_script', join(dir, 'graph.txt')];
  }
  const args = [
    ...['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin'],
    ...graphArgs,
    '-vsync',
    'passthrough',
  ];
  // One encoder thread and a flush per packet: a frame-threaded encoder holds each image
  // back until the next frames arrive, and a parked decoder sends no next frames.
  outputs.forEach((o, k) =>
    args.push(
      ...['-map', `[o${k}]`, '-threads', '1', '-r', '1000', ...o.encode, '-flush_packets', '1'],
      k === 0 ? 'pipe:1' : `pipe:${k + 2}`,
    ),
  );
  const shown: number[] = [];
  const parts: Buffer[][] = outputs.map(() => []);
  const proc = startProcess(ffmpegPath, args, {
    what: `seeking in ${input}`,
    ...(lowPriority ? { lowPriority } : {}),
    extraPipes: Math.max(0, outputs.length - 1),
    onStderrLine: (line) => {
      const m = /Parsed_showinfo[^\]]*\]\s+n:\s*\d+\s+pts:\s*(-?\d+)/.exec(line);
      if (m) {
        shown.push(Number(m[1]));
        sp.lastShownPts = Number(m[1]);
        drain();
      }
    },
  });
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  proc.done.catch(() => undefined).finally(cleanup);
  const streams = outputs.map(
    (_, k) => proc.child.stdio[k === 0 ? 1 : k + 2] as NodeJS.ReadableStream,
  );
  const drain = (): void => {
    while (shown.length && parts.every((q) => q.length)) {
      const pts = shown.shift() as number;
      sp.onFrame(
        pts,
        parts.map((q) => q.shift() as Buffer),
      );
    }
  };
  outputs.forEach((o, k) => {
    const splitter = o.framing.kind === 'jpeg' ? new JpegSplitter() : undefined;
    const size = o.framing.kind === 'fixed' ? o.framing.bytes : 0;
    let held: Buffer = Buffer.alloc(0);
    streams[k]?.on('data', (chunk: Buffer) => {
      if (splitter) parts[k]?.push(...splitter.push(chunk));
      else {
        held = held.length ? Buffer.concat([held, chunk]) : chunk;
        while (held.length >= size) {
          parts[k]?.push(Buffer.from(held.subarray(0, size)));
          held = held.subarray(size);
        }
      }
      drain();
    });
  });
  let markEnded = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    markEnded = () => {
      sp.exited = true;
      resolve();
    };
  });
  // Paused until the first request: a looping source read without pause would never stop.
  streams.forEach((s) => s.pause());
  const sp: Omit<SeekProcess, 'zmq'> & { exited: boolean } = {
    proc,
    ended,
    onFrame: () => undefined,
    lastShownPts: -Infinity,
    exited: false,
    hold: (on) => {
      for (const h of [proc.child, ...proc.child.stdio, socketOf()])
        (h as { ref?: () => void; unref?: () => void } | null)?.[on ? 'ref' : 'unref']?.();
    },
    pause: () => streams.forEach((s) => s.pause()),
    resume: () => streams.forEach((s) => s.resume()),
    stop: (on) => {
      if (windows || sp.exited) return;
      try {
        proc.child.kill(on ? 'SIGSTOP' : 'SIGCONT');
      } catch {
        /* gone already */
      }
    },
    // The folder goes at once (synchronously): at our own exit no later callback would run.
    kill: () => {
      proc.child.kill('SIGKILL');
      cleanup();
    },
  };
  // Until the first command it passes its first selected frame and parks there. `exit`, not
  // `done`: a paused output pipe holds `close` (and so `done`) back until it is read.
  proc.child.once('exit', () => markEnded());
  proc.done.then(markEnded, markEnded);
  let zmq: ZmqCommands | undefined;
  const socketOf = (): unknown => zmq?.socket;
  for (let attempt = 0; ; attempt++) {
    try {
      zmq = await connectZmq(windows ? port : socket);
      // Registered after the client's own listener, so replies failed by the close find
      // `exited` set: a process at the end of its file is finished, not broken.
      zmq.socket.once('close', () => markEnded());
      sp.hold(false);
      return Object.assign(sp, { zmq });
    } catch (e) {
      // ffmpeg binds once its graph is built: a few hundred ms after start on a busy machine.
      if (sp.exited || attempt > 200) {
        sp.kill();
        throw new Error(`the seek decoder did not start: ${(await proc.done).stderr.slice(-300)}`, {
          cause: e,
        });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
