/** The shape of one `groundwork` subcommand and the I/O it is given. */

/** Exit codes of the CLI: 0 success, 1 the data failed a check, 2 usage or I/O error. */
export const EXIT = { ok: 0, invalid: 1, error: 2 } as const;

/** Parsed command line: positional arguments and `--flag value` / `--flag` options. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean>>;
}

/** Where a command writes; tests pass buffers, the CLI passes the process streams. */
export interface CliIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly cwd: string;
}

/** One subcommand: its name, one-line summary, usage text and its run function. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Options that take no value. */
  readonly booleanOptions?: readonly string[];
  /** Options that take a value (`out` is also `-o`); any other option is a usage error. */
  readonly valueOptions?: readonly string[];
  /** Most positional arguments the command takes (default 1); more is a usage error. */
  readonly maxPositionals?: number;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Raised by commands for a usage or input problem; the CLI prints the message, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}
