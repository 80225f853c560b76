/** Runs the CLI in-process with captured output, for tests. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main';

/** Captured result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `groundwork ...args` in `cwd` with `stdin` text. */
export async function cli(
  args: string[],
  opts: { cwd?: string; stdin?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: {
      write: (s: string) => {
        stdout += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    },
    stdin: Readable.from([opts.stdin ?? '']),
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

/** ../shared/assets relative to the repository root, and why tests skip without it. */
export const SHARED = join(__dirname, '..', '..', '..', 'shared');
export const ASSETS = join(SHARED, 'assets');
export const SAMPLE = join(ASSETS, 'datasets', 'sample.cop.jsonl');
export const NO_ASSETS: string | false = existsSync(SAMPLE)
  ? false
  : `needs ../shared/assets (absent at ${ASSETS})`;
