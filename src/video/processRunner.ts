/** Spawning ffmpeg and ffprobe: argument lists only (never a shell), killed on cancel. */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { setPriority } from 'node:os';
import { registerLowPriority } from './lowPriorityHold';
import { cancelledError } from './videoError';

/** The spawn seam: tests pass a wrapper that counts or inspects processes. */
export type SpawnFn = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => ChildProcess;

/** The real `child_process.spawn`, with `shell` forced off. */
export const nodeSpawn: SpawnFn = (command, args, options) =>
  spawn(command, args as string[], { ...options, shell: false, windowsHide: true });

/** How a finished process ended; `stderr` keeps only the tail that error messages need. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Options of `startProcess`: extra output pipes (fd 3, 4, ...), a cancel signal, a time limit. */
export interface StartOptions {
  readonly spawnFn?: SpawnFn;
  readonly extraPipes?: number;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** What the process does, for the cancellation message. */
  readonly what: string;
  /** Called with each stderr line (ffmpeg's showinfo lines carry the frame identities). */
  readonly onStderrLine?: (line: string) => void;
  /** Runs at a low OS priority (nice 10), so the frame on screen decodes first on busy cores. */
  readonly lowPriority?: boolean;
}

// nice 10: weight 110 against 1024 for a foreground pass, so a background pass yields ~90%.
const LOW_PRIORITY = 10;

/** A running process and the promise of its end; `done` rejects only on cancel or timeout. */
export interface StartedProcess {
  readonly child: ChildProcess;
  readonly done: Promise<ProcessExit>;
}

// Enough for ffmpeg's last error lines; the full stderr of a long run can be megabytes.
const STDERR_TAIL = 16 * 1024;

/** Starts `command args` with stdin closed and stdout/stderr (+ extra fds) piped. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartOptions,
): StartedProcess {
  const stdio: SpawnOptions['stdio'] = [
    'ignore',
    'pipe',
    'pipe',
    ...Array.from({ length: options.extraPipes ?? 0 }, () => 'pipe' as const),
  ];
  const child = (options.spawnFn ?? nodeSpawn)(command, args, { stdio });
  if (options.lowPriority && child.pid !== undefined) {
    try {
      setPriority(child.pid, LOW_PRIORITY);
    } catch {
      /* the process already exited, or the OS refuses: it only runs at normal priority */
    }
    registerLowPriority(child);
  }
  const done = new Promise<ProcessExit>((resolve, reject) => {
    let stderr = '';
    let partial = '';
    let failure: Error | undefined;
    // SIGKILL, not SIGTERM: we write every file ourselves atomically, so nothing to flush.
    const kill = (err: Error): void => {
      failure ??= err;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => kill(cancelledError(options.what));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs
      ? setTimeout(
          () =>
            kill(
              new Error(
                `${options.what}: timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s`,
              ),
            ),
          options.timeoutMs,
        )
      : undefined;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      stderr = (stderr + s).slice(-STDERR_TAIL);
      if (!options.onStderrLine) return;
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) options.onStderrLine(l);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= new Error(`${options.what}: cannot start ${command} (${e.code ?? e.message})`);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (partial && options.onStderrLine) options.onStderrLine(partial);
      if (failure) reject(failure);
      else resolve({ code, signal, stderr });
    });
  });
  return { child, done };
}

/** Runs a process to its end and returns its whole stdout with its exit. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: StartOptions,
): Promise<ProcessExit & { stdout: Buffer }> {
  const p = startProcess(command, args, options);
  const chunks: Buffer[] = [];
  p.child.stdout?.on('data', (b: Buffer) => chunks.push(b));
  const exit = await p.done;
  return { ...exit, stdout: Buffer.concat(chunks) };
}
